import type { TStaff, TStaffDirectoryEntry } from '../../../../contracts/school.js';
import { ageOn, formatVnDate, isoToday, nameSortKey, normalizeNameText, schoolYearLabel, searchFold, splitFullName } from '../../../../domain/index.js';
import type { Updateable } from 'kysely';
import type { Sex, StaffPosition, StaffRow, StaffTable } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { badRequest, conflict, isUniqueViolation, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { buildXlsx } from '../../platform/xlsx-export.js';
import { nameSearch, rankedBySearch } from '../../platform/name-search.js';
import { type Db, assertInCodeList, defaultYear, personName, requireSchool } from './school.common.js';
import {
  findStaff,
  homeroomClassesFrom,
  insertStaff,
  listStaff,
  listStaffDirectory,
  staffByCitizenId,
  staffByCode,
  subjectsByCode,
  updateStaffFields,
} from './school.repo.js';

type StaffListRow = Awaited<ReturnType<typeof listStaff>>[number];

export const POSITION_LABEL: Record<StaffPosition, string> = {
  principal: 'Hiệu trưởng',
  vice_principal: 'Phó hiệu trưởng',
  teacher: 'Giáo viên',
  staff: 'Nhân viên',
};

function presentStaff(r: StaffListRow): TStaff {
  return {
    id: r.id,
    staffCode: r.staff_code,
    familyName: r.family_name,
    middleName: r.middle_name,
    givenName: r.given_name,
    fullName: personName(r),
    dateOfBirth: r.date_of_birth,
    sex: r.sex,
    phone: r.phone,
    email: r.email,
    position: r.position,
    qualificationCode: r.qualification_code,
    qualificationName: r.qualification_name,
    contractTypeCode: r.contract_type_code,
    contractTypeName: r.contract_type_name,
    subjectCodes: r.subject_codes,
    status: r.status,
    schoolContact: r.school_contact,
  };
}

export type StaffQuery = { q?: string; position?: StaffPosition; includeLeft?: boolean };

export async function getStaff(db: Db, schoolId: string, query: StaffQuery): Promise<TStaff[]> {
  await requireSchool(db, schoolId);
  const search = nameSearch(query.q);
  const rows = await listStaff(db, schoolId, { search, position: query.position, includeLeft: query.includeLeft });
  return rankedBySearch(rows.map(presentStaff), query.q, (s) => ({ fullName: s.fullName, codes: [s.staffCode] }));
}

async function getOneStaff(db: Db, schoolId: string, staffId: string): Promise<TStaff> {
  const [row] = await listStaff(db, schoolId, { staffId });
  if (!row) throw notFound('Không tìm thấy cán bộ, giáo viên trong trường.');
  return presentStaff(row);
}

export async function exportStaff(db: Db, schoolId: string, query: StaffQuery) {
  const school = await requireSchool(db, schoolId);
  const staff = await getStaff(db, schoolId, query);
  const subjectNames = new Map((await subjectsByCode(db, [...new Set(staff.flatMap((s) => s.subjectCodes))])).map((s) => [s.code, s.name]));
  const body = await buildXlsx(
    'Cán bộ, giáo viên',
    [
      { header: 'STT', width: 6, value: (r: TStaff & { index: number }) => r.index },
      { header: 'Mã cán bộ', value: (r) => r.staffCode },
      { header: 'Họ và tên', width: 28, value: (r) => r.fullName },
      { header: 'Ngày sinh', value: (r) => (r.dateOfBirth ? formatVnDate(r.dateOfBirth) : null) },
      { header: 'Giới tính', width: 10, value: (r) => (r.sex === 'male' ? 'Nam' : r.sex === 'female' ? 'Nữ' : null) },
      { header: 'Chức vụ', width: 16, value: (r) => POSITION_LABEL[r.position] },
      { header: 'Trình độ chuyên môn', width: 28, value: (r) => r.qualificationName },
      { header: 'Hình thức hợp đồng', width: 32, value: (r) => r.contractTypeName },
      { header: 'Môn dạy', width: 24, value: (r) => r.subjectCodes.map((c) => subjectNames.get(c) ?? c).join(', ') },
      { header: 'Điện thoại', width: 14, value: (r) => r.phone },
      { header: 'Email', width: 26, value: (r) => r.email },
      { header: 'Liên hệ trong trường', width: 26, value: (r) => r.schoolContact },
      { header: 'Trạng thái', width: 14, value: (r) => (r.status === 'active' ? 'Đang công tác' : 'Đã nghỉ') },
    ],
    staff.map((s, i) => ({ ...s, index: i + 1 })),
  );
  return { body, fileName: `Danh sách cán bộ, giáo viên - ${school.name}.xlsx` };
}

export type StaffDirectoryQuery = { q?: string; position?: StaffPosition };

/**
 * The staff directory every reader of the school gets (teachers included): name, position,
 * subjects and the contact the school chose to publish. Personal fields are not read from the
 * database for this (see listStaffDirectory).
 */
export async function getStaffDirectory(db: Db, schoolId: string, query: StaffDirectoryQuery): Promise<TStaffDirectoryEntry[]> {
  await requireSchool(db, schoolId);
  const rows = rankedBySearch(
    (await listStaffDirectory(db, schoolId, { search: nameSearch(query.q), position: query.position })).map((r) => ({ ...r, fullName: personName(r) })),
    query.q,
    (r) => ({ fullName: r.fullName }),
  );
  const names = new Map((await subjectsByCode(db, [...new Set(rows.flatMap((r) => r.subject_codes))])).map((s) => [s.code, s.name]));
  return rows.map((r) => ({
    id: r.id,
    fullName: r.fullName,
    position: r.position,
    subjects: r.subject_codes.map((code) => ({ code, name: names.get(code) ?? code })),
    schoolContact: r.school_contact,
  }));
}

export async function exportStaffDirectory(db: Db, schoolId: string, query: StaffDirectoryQuery) {
  const school = await requireSchool(db, schoolId);
  const entries = await getStaffDirectory(db, schoolId, query);
  const body = await buildXlsx(
    'Danh bạ cán bộ',
    [
      { header: 'STT', width: 6, value: (r: TStaffDirectoryEntry & { index: number }) => r.index },
      { header: 'Họ và tên', width: 28, value: (r) => r.fullName },
      { header: 'Chức vụ', width: 16, value: (r) => POSITION_LABEL[r.position] },
      { header: 'Môn dạy', width: 24, value: (r) => r.subjects.map((x) => x.name).join(', ') },
      { header: 'Liên hệ trong trường', width: 32, value: (r) => r.schoolContact },
    ],
    entries.map((e, i) => ({ ...e, index: i + 1 })),
  );
  return { body, fileName: `Danh bạ cán bộ, giáo viên - ${school.name}.xlsx` };
}

export type StaffInput = {
  fullName: string;
  staffCode?: string | null;
  dateOfBirth?: string | null;
  sex?: Sex | null;
  ethnicityCode?: string | null;
  citizenId?: string | null;
  phone?: string | null;
  email?: string | null;
  position: StaffPosition;
  qualificationCode?: string | null;
  contractTypeCode?: string | null;
  subjectCodes: string[];
  schoolContact?: string | null;
};

/** Name parts and the derived sort/search columns, from "họ đệm tên". */
function nameColumns(fullName: string) {
  const parts = splitFullName(normalizeNameText(fullName));
  if (!parts.familyName || !parts.givenName) {
    throw badRequest('full_name_incomplete', 'Hãy nhập đầy đủ họ và tên (ví dụ: Nguyễn Văn An).');
  }
  return {
    family_name: parts.familyName,
    middle_name: parts.middleName,
    given_name: parts.givenName,
    name_sort_key: nameSortKey(parts),
    search_text: searchFold(`${parts.familyName} ${parts.middleName} ${parts.givenName}`),
  };
}

function checkDateOfBirth(dob: string) {
  const today = isoToday();
  if (dob >= today || ageOn(dob, today) < 18) {
    throw badRequest('invalid_date_of_birth', `Ngày sinh ${formatVnDate(dob)} không hợp lệ: cán bộ, giáo viên phải từ đủ 18 tuổi trở lên.`);
  }
  if (ageOn(dob, today) > 80) {
    throw badRequest('invalid_date_of_birth', `Ngày sinh ${formatVnDate(dob)} không hợp lệ: hãy kiểm tra lại năm sinh.`);
  }
}

/** Codes must come from the Ministry lists and the subject catalog. */
async function checkCodes(
  db: Db,
  i: { ethnicityCode?: string | null; qualificationCode?: string | null; contractTypeCode?: string | null; subjectCodes?: string[] },
) {
  if (i.ethnicityCode) await assertInCodeList(db, 'DM_DAN_TOC', i.ethnicityCode, 'dân tộc', 'unknown_ethnicity');
  if (i.qualificationCode) {
    await assertInCodeList(db, 'DM_TRINH_DO_CHUYEN_MON', i.qualificationCode, 'trình độ chuyên môn', 'unknown_qualification');
  }
  if (i.contractTypeCode) {
    await assertInCodeList(db, 'DM_HINH_THUC_HOP_DONG', i.contractTypeCode, 'hình thức hợp đồng', 'unknown_contract_type');
  }
  if (i.subjectCodes && i.subjectCodes.length > 0) {
    const known = new Set((await subjectsByCode(db, i.subjectCodes)).map((s) => s.code));
    const unknown = i.subjectCodes.filter((c) => !known.has(c));
    if (unknown.length > 0) {
      throw badRequest('unknown_subject', `Môn học "${unknown.join('", "')}" không có trong danh mục môn học. Hãy chọn môn trong danh mục.`);
    }
  }
}

async function checkUniqueIds(db: Db, schoolId: string, i: { staffCode?: string | null; citizenId?: string | null }, exceptId?: string) {
  if (i.staffCode) {
    const other = await staffByCode(db, schoolId, i.staffCode);
    if (other && other.id !== exceptId) {
      throw conflict('staff_code_taken', `Mã cán bộ ${i.staffCode} đã được dùng cho ${personName(other)}. Hãy nhập mã khác.`);
    }
  }
  if (i.citizenId) {
    const other = await staffByCitizenId(db, schoolId, i.citizenId);
    if (other && other.id !== exceptId) {
      throw conflict(
        'citizen_id_taken',
        `Số định danh cá nhân ${i.citizenId} đã có trong danh sách cán bộ của trường (${personName(other)}). Hãy kiểm tra lại.`,
      );
    }
  }
}

const clean = (s: string | null | undefined) => {
  if (s === undefined) return undefined;
  const t = s?.trim();
  return t ? t : null;
};

const staffSnapshot = (s: StaffRow) => {
  const { created_at: _c, updated_at: _u, name_sort_key: _k, search_text: _t, ...rest } = s;
  return rest;
};

export async function createStaff(db: Db, actor: Actor, schoolId: string, input: StaffInput): Promise<TStaff> {
  await requireSchool(db, schoolId);
  const names = nameColumns(input.fullName);
  const subjectCodes = [...new Set(input.subjectCodes)];
  if (input.dateOfBirth) checkDateOfBirth(input.dateOfBirth);
  await checkCodes(db, { ...input, subjectCodes });
  const staffCode = clean(input.staffCode) ?? null;
  await checkUniqueIds(db, schoolId, { staffCode, citizenId: input.citizenId });
  const id = newId();
  const values = {
    school_id: schoolId,
    id,
    staff_code: staffCode,
    ...names,
    date_of_birth: input.dateOfBirth ?? null,
    sex: input.sex ?? null,
    ethnicity_code: input.ethnicityCode ?? null,
    citizen_id: input.citizenId ?? null,
    phone: clean(input.phone) ?? null,
    email: clean(input.email)?.toLowerCase() ?? null,
    position: input.position,
    qualification_code: input.qualificationCode ?? null,
    contract_type_code: input.contractTypeCode ?? null,
    subject_codes: subjectCodes,
    status: 'active' as const,
    school_contact: clean(input.schoolContact) ?? null,
  };
  try {
    await db.transaction().execute(async (trx) => {
      await insertStaff(trx, values);
      const { name_sort_key: _k, search_text: _t, ...after } = values;
      await writeAudit(trx, actor, { action: 'staff.create', entity: 'staff', entityId: id, orgUnitId: schoolId, after });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('staff_code_taken', `Mã cán bộ ${staffCode} đã được dùng. Hãy nhập mã khác.`);
    throw err;
  }
  return getOneStaff(db, schoolId, id);
}

export async function updateStaff(
  db: Db,
  actor: Actor,
  schoolId: string,
  staffId: string,
  patch: Partial<StaffInput> & { status?: 'active' | 'left' },
): Promise<TStaff> {
  await requireSchool(db, schoolId);
  const current = await findStaff(db, schoolId, staffId);
  if (!current) throw notFound('Không tìm thấy cán bộ, giáo viên trong trường.');
  const set: Updateable<StaffTable> = {};
  if (patch.fullName !== undefined) Object.assign(set, nameColumns(patch.fullName));
  if (patch.dateOfBirth) checkDateOfBirth(patch.dateOfBirth);
  const subjectCodes = patch.subjectCodes ? [...new Set(patch.subjectCodes)] : undefined;
  await checkCodes(db, { ...patch, subjectCodes });
  const staffCode = clean(patch.staffCode);
  await checkUniqueIds(db, schoolId, { staffCode, citizenId: patch.citizenId }, staffId);
  if (patch.status === 'left' && current.status === 'active') {
    // A teacher who leaves must not stay the homeroom teacher of a class that is still running.
    const classes = await homeroomClassesFrom(db, schoolId, staffId, await defaultYear(db, schoolId));
    if (classes.length > 0) {
      const c = classes[0];
      throw conflict(
        'staff_is_homeroom',
        `${personName(current)} đang là giáo viên chủ nhiệm lớp ${c.name} năm học ${schoolYearLabel(c.year)}. Hãy đổi giáo viên chủ nhiệm của lớp trước khi cho nghỉ.`,
      );
    }
  }
  if (staffCode !== undefined) set.staff_code = staffCode;
  if (patch.dateOfBirth !== undefined) set.date_of_birth = patch.dateOfBirth;
  if (patch.sex !== undefined) set.sex = patch.sex;
  if (patch.ethnicityCode !== undefined) set.ethnicity_code = patch.ethnicityCode;
  if (patch.citizenId !== undefined) set.citizen_id = patch.citizenId;
  if (patch.phone !== undefined) set.phone = clean(patch.phone);
  if (patch.email !== undefined) set.email = clean(patch.email)?.toLowerCase() ?? null;
  if (patch.position !== undefined) set.position = patch.position;
  if (patch.qualificationCode !== undefined) set.qualification_code = patch.qualificationCode;
  if (patch.contractTypeCode !== undefined) set.contract_type_code = patch.contractTypeCode;
  if (subjectCodes !== undefined) set.subject_codes = subjectCodes;
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.schoolContact !== undefined) set.school_contact = clean(patch.schoolContact);
  if (Object.keys(set).length > 0) {
    try {
      await db.transaction().execute(async (trx) => {
        const after = await updateStaffFields(trx, schoolId, staffId, set);
        await writeAudit(trx, actor, {
          action: 'staff.update',
          entity: 'staff',
          entityId: staffId,
          orgUnitId: schoolId,
          before: staffSnapshot(current),
          after: staffSnapshot(after),
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('staff_code_taken', `Mã cán bộ ${staffCode} đã được dùng. Hãy nhập mã khác.`);
      throw err;
    }
  }
  return getOneStaff(db, schoolId, staffId);
}
