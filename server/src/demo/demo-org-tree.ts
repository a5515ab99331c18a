import type { DemoBuild } from './demo-plan.js';
import { DISTRICTS, LOCALITIES, PROVINCE, PROVINCE_CODE, REFORM_DATE } from './demo-province.js';

/** The Bộ, the Sở, the district offices (closed on 1/7/2025) and the commune offices that took over. */
export function buildOffices(build: DemoBuild): void {
  build.ministryId = build.unit('ministry', 'BO');
  build.version({ unit_id: build.ministryId, name: 'Bộ Giáo dục và Đào tạo', province_code: null, address: '35 Đại Cồ Việt, Hà Nội' });
  build.provinceId = build.unit('province_office', PROVINCE_CODE);
  build.version({
    unit_id: build.provinceId,
    parent_id: build.ministryId,
    name: `Sở Giáo dục và Đào tạo ${PROVINCE} (demo)`,
    address: `Số 1 đường Trần Hưng Đạo, phường Xuân Thông, ${PROVINCE}`,
  });
  for (const d of DISTRICTS) {
    const id = build.unit('district_office', `${PROVINCE_CODE}${d.code}`);
    build.districtIds.push(id);
    build.version({
      unit_id: id,
      valid_to: REFORM_DATE,
      parent_id: build.provinceId,
      name: `Phòng Giáo dục và Đào tạo ${d.name.charAt(0).toLowerCase()}${d.name.slice(1)}`,
      address: `${d.name}, ${PROVINCE}`,
    });
  }
  for (const loc of LOCALITIES) {
    const id = build.unit('commune_office', loc.officeCode);
    build.communeIds.push(id);
    build.version({
      unit_id: id,
      valid_from: REFORM_DATE,
      parent_id: build.provinceId,
      name: `UBND ${loc.commune} — Phòng Văn hóa–Xã hội`,
      area: loc.area,
      address: `${loc.commune}, ${PROVINCE}`,
      change_reason: 'Thành lập theo mô hình chính quyền địa phương hai cấp',
    });
  }
}
