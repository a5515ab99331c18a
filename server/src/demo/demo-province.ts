import type { Ownership, SchoolLevel } from '../db/schema.js';
import type { Area } from './demo-names.js';

// The invented province the demo seeds: its districts and communes, the mix of schools, and
// how many classes of what size each kind of school has.

// Province code 68 is Lâm Đồng in DM_TINH; the names below are invented ("tỉnh Lâm Hà (demo)")
// so nobody mistakes demo learners for real ones.
export const PROVINCE_CODE = '68';
export const PROVINCE = 'tỉnh Lâm Hà';
export const TREE_START = '2020-01-01';
/** Nghị quyết 190/2025/QH15 & two-level local government: district Phòng GD&ĐT abolished. */
export const REFORM_DATE = '2025-07-01';
export const REFORM_REASON = 'Tổ chức chính quyền địa phương hai cấp: chuyển về UBND cấp xã quản lý từ 01/07/2025';

export type District = { code: string; name: string };
export const DISTRICTS: readonly District[] = [
  { code: '672', name: 'Thành phố Đồi Thông' },
  { code: '674', name: 'Huyện Đạ Mây' },
];

export type Locality = {
  area: Area;
  district: number;
  officeCode: string;
  commune: string;
  /** Pre-2025 communes that merged into this one: birthplaces are written with those. */
  oldCommunes: readonly string[];
  places: readonly string[];
  villages: readonly string[];
};
export const LOCALITIES: readonly Locality[] = [
  {
    area: 'urban',
    district: 0,
    officeCode: '6867201',
    commune: 'phường Xuân Thông',
    oldCommunes: ['Phường 1', 'Phường 2', 'Phường 3', 'Phường 4'],
    places: ['Phan Đình Phùng', 'Trần Phú', 'Hai Bà Trưng', 'Lê Hồng Phong', 'Bùi Thị Xuân', 'Hùng Vương', 'Nguyễn Văn Trỗi', 'Ba Tháng Hai', 'Yersin', 'Hoàng Văn Thụ'],
    villages: ['Tổ dân phố 5', 'Tổ dân phố 9'],
  },
  {
    area: 'rural',
    district: 0,
    officeCode: '6867202',
    commune: 'xã Tân Thành',
    oldCommunes: ['Xã Tân Thành', 'Xã Tân Lập', 'Xã Phú Hội'],
    places: ['Thôn 1', 'Thôn 2', 'Thôn 3', 'Thôn 4', 'Thôn 5', 'Thôn 6', 'Thôn Tân Hiệp', 'Thôn Phú Thạnh', 'Thôn Tân Lập'],
    villages: ['Tân Hiệp', 'Phú Thạnh', 'Tân Lập'],
  },
  {
    area: 'mountain',
    district: 1,
    officeCode: '6867401',
    commune: 'xã Đạ Mây',
    oldCommunes: ['Xã Đạ Mây', 'Xã Suối Thông', 'Xã Păng Tiêng'],
    places: ['Thôn Đạ Mây 1', 'Thôn Đạ Mây 2', 'Bon Rơm', 'Thôn Suối Thông', 'Thôn Păng Tiêng', 'Thôn Liêng Hung', 'Thôn Bon Đưng'],
    villages: ['Bon Rơm', 'Păng Tiêng', 'Suối Thông', 'Liêng Hung', 'Bon Đưng', 'Đạ Nhim', 'Đạ Mây Thượng', 'Bon Kơ Xia', 'Suối Đá', 'Đồi Mây', 'Lán Mây', 'Bon Ja Ráp', 'Đạ Ròn', 'Thác Bạc'],
  },
];
export const OTHER_BIRTHPLACES = ['Thành phố Hà Nội', 'Thành phố Hồ Chí Minh', 'Tỉnh Nghệ An', 'Tỉnh Thanh Hóa', 'Tỉnh Thái Bình', 'Tỉnh Cao Bằng', 'Tỉnh Hà Giang', 'Tỉnh Quảng Ngãi', 'Tỉnh Khánh Hòa'];

// ---------------------------------------------------------------- school mix
export type SchoolTemplate = { levels: SchoolLevel[]; loc: number; ownership?: Ownership };
export const P: SchoolLevel = 'preschool';
export const TH: SchoolLevel = 'primary';
export const CS: SchoolLevel = 'lower_secondary';
export const PT: SchoolLevel = 'upper_secondary';
// Roughly the national mix (MN ≈ TH > THCS > THPT) with one TH&THCS in the mountains early on,
// so that even a 6-school demo has every level, a liên cấp school and a second THCS.
export const SCHOOL_PATTERN: readonly SchoolTemplate[] = [
  { levels: [TH], loc: 0 },
  { levels: [P], loc: 0 },
  { levels: [PT], loc: 0 },
  { levels: [TH, CS], loc: 2 },
  { levels: [CS], loc: 1 },
  { levels: [P], loc: 1 },
  { levels: [TH], loc: 1 },
  { levels: [P], loc: 2 },
  { levels: [TH], loc: 2 },
  { levels: [CS], loc: 0 },
  { levels: [P], loc: 0, ownership: 'private' },
  { levels: [TH], loc: 0 },
  { levels: [CS], loc: 2 },
  { levels: [P], loc: 1 },
  { levels: [TH], loc: 1 },
  { levels: [PT], loc: 2 },
  { levels: [P], loc: 0 },
  { levels: [TH], loc: 0, ownership: 'private' },
  { levels: [CS], loc: 1 },
  { levels: [TH], loc: 2 },
  { levels: [P], loc: 2 },
  { levels: [TH], loc: 1 },
  { levels: [PT], loc: 1 },
  { levels: [TH, CS], loc: 2 },
  { levels: [P], loc: 0 },
  { levels: [CS], loc: 0 },
  { levels: [TH], loc: 0 },
  { levels: [P], loc: 1, ownership: 'private' },
  { levels: [TH], loc: 1 },
  { levels: [CS], loc: 2 },
];

export const NAME_POOLS: Record<SchoolLevel, readonly string[]> = {
  preschool: ['Hoa Sen', 'Sơn Ca', 'Họa Mi', 'Hoa Mai', 'Vành Khuyên', 'Tuổi Thơ', 'Hướng Dương', 'Hoa Hồng', 'Búp Sen Xanh', 'Măng Non', 'Ánh Dương', 'Hoa Phượng', 'Thỏ Ngọc', 'Bình Minh', 'Sao Mai', 'Hoa Ban', 'Hoa Đào', 'Vàng Anh', 'Sóc Nâu', 'Hoa Lan'],
  primary: ['Kim Đồng', 'Lê Văn Tám', 'Võ Thị Sáu', 'Nguyễn Văn Trỗi', 'Trần Quốc Toản', 'Lý Tự Trọng', 'Hoàng Văn Thụ', 'Đoàn Thị Điểm', 'Phù Đổng', 'Lê Lợi', 'Quang Trung', 'Ngô Quyền', 'Trưng Vương', 'Bế Văn Đàn', 'Cù Chính Lan', 'La Văn Cầu', 'Tô Vĩnh Diện', 'Phan Chu Trinh', 'Nguyễn Khuyến', 'Đinh Tiên Hoàng', 'Nguyễn Bá Ngọc', 'Hùng Vương'],
  lower_secondary: ['Lê Quý Đôn', 'Chu Văn An', 'Nguyễn Trãi', 'Trần Phú', 'Lê Hồng Phong', 'Phan Bội Châu', 'Nguyễn Huệ', 'Lý Thường Kiệt', 'Trần Hưng Đạo', 'Nguyễn Đình Chiểu', 'Lương Thế Vinh', 'Nguyễn Văn Cừ', 'Hai Bà Trưng', 'Huỳnh Thúc Kháng', 'Tô Hiệu', 'Lê Lai'],
  upper_secondary: ['Bùi Thị Xuân', 'Trần Quốc Tuấn', 'Nguyễn Thái Học', 'Nguyễn Bỉnh Khiêm', 'Tây Sơn', 'Đống Đa', 'Hoàng Hoa Thám', 'Phan Đình Phùng', 'Nguyễn Tất Thành', 'Lê Thánh Tông'],
};
export const LEVEL_TITLE: Record<SchoolLevel, string> = {
  preschool: 'Trường Mầm non',
  primary: 'Trường Tiểu học',
  lower_secondary: 'Trường THCS',
  upper_secondary: 'Trường THPT',
};

/** Classes per grade (preschool: per age group) before scaling to the requested student count. */
export const NOMINAL_CLASSES: Record<SchoolLevel, Record<Area, number>> = {
  preschool: { urban: 3, rural: 2, mountain: 2 },
  primary: { urban: 5, rural: 4, mountain: 2 },
  lower_secondary: { urban: 5, rural: 4, mountain: 2 },
  upper_secondary: { urban: 9, rural: 7, mountain: 5 },
};
export const TARGET_SIZE: Record<SchoolLevel, Record<Area, number>> = {
  preschool: { urban: 28, rural: 25, mountain: 22 },
  primary: { urban: 38, rural: 34, mountain: 27 },
  lower_secondary: { urban: 42, rural: 38, mountain: 33 },
  upper_secondary: { urban: 43, rural: 41, mountain: 38 },
};
export const DEMO_SCHOOL_NAME = 'Trường THCS Nguyễn Du';
/** THCS Nguyễn Du: 6 classes in grades 6–7, 5 in grades 8–9, ~40 students each (≈ 880). */
export const DEMO_SCHOOL_CLASSES: Record<number, number> = { 6: 6, 7: 6, 8: 5, 9: 5 };
export const DEMO_CLASS_SIZE = 40;
export const MULTI_GRADE_SIZE = 14;

export const GRADES: Record<SchoolLevel, readonly number[]> = {
  preschool: [0],
  primary: [1, 2, 3, 4, 5],
  lower_secondary: [6, 7, 8, 9],
  upper_secondary: [10, 11, 12],
};
/** DM_NHOM_TUOI_MN: 04 = 3–4 tuổi, 05 = 4–5 tuổi, 06 = 5–6 tuổi (mẫu giáo bé / nhỡ / lớn). */
export const AGE_GROUPS = [
  { code: '04', age: 3 },
  { code: '05', age: 4 },
  { code: '06', age: 5 },
] as const;
export const CLASS_LETTERS = 'ABCDEFGHIKLMNOPQRSTUVXY';
