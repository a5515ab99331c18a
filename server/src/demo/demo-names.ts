/**
 * Plausible Vietnamese names for the demo province.
 *
 * Frequencies are rough: Nguyễn is about 38% of the population, the next dozen family names
 * cover most of the rest; children born after 2010 more often carry a "modern" middle name
 * (Gia, Bảo, Minh, Ngọc …) and sometimes two of them ("Nguyễn Ngọc Bảo Anh"), while their
 * parents mostly carry Văn / Thị. Ethnic-minority learners get family names typical of their
 * group (Lò, Lường, Cầm for Thái; Giàng, Thào, Sùng for Hmông; Triệu, Bàn for Dao …).
 * Ethnicity codes are DM_DAN_TOC (GSO) codes from the sector code lists.
 */
import type { NameParts } from '../../../domain/index.js';
import { type Rng, type Weighted, weightedPicker } from './demo-random.js';

export type Sex = 'male' | 'female';
export type Generation = 'child' | 'adult';
export type Area = 'urban' | 'rural' | 'mountain';

/** DM_DAN_TOC codes used by the demo. */
export const ETHNICITY = {
  kinh: '01',
  tay: '02',
  thai: '03',
  hoa: '04',
  muong: '06',
  nung: '07',
  hmong: '08',
  dao: '09',
} as const;
type EthnicityCode = (typeof ETHNICITY)[keyof typeof ETHNICITY];

const KINH_FAMILY: Weighted<string> = [
  ['Nguyễn', 38], ['Trần', 11], ['Lê', 9.5], ['Phạm', 7], ['Phan', 4.5], ['Hoàng', 3.5], ['Vũ', 2.5],
  ['Đặng', 2.1], ['Huỳnh', 2], ['Bùi', 2], ['Võ', 1.5], ['Đỗ', 1.4], ['Hồ', 1.3], ['Ngô', 1.3],
  ['Dương', 1], ['Đinh', 0.8], ['Trương', 0.8], ['Đoàn', 0.6], ['Lý', 0.5], ['Lương', 0.5], ['Mai', 0.5],
  ['Trịnh', 0.5], ['Hà', 0.5], ['Cao', 0.4], ['Lâm', 0.4], ['Tạ', 0.3], ['Chu', 0.3], ['Tô', 0.3],
  ['Lưu', 0.3], ['Kiều', 0.2], ['Vương', 0.2], ['Thái', 0.2], ['Quách', 0.2], ['La', 0.2], ['Tăng', 0.1],
];

const MINORITY_FAMILY: Record<Exclude<EthnicityCode, '01'>, Weighted<string>> = {
  '02': [['Hoàng', 20], ['Nông', 20], ['Hà', 10], ['Lục', 8], ['Ma', 8], ['Bế', 8], ['Đàm', 6], ['Lương', 6], ['Triệu', 4], ['Hứa', 3]],
  '03': [['Lò', 20], ['Lường', 12], ['Cầm', 10], ['Hà', 10], ['Quàng', 8], ['Vi', 8], ['Sầm', 6], ['Lù', 5], ['Tòng', 5], ['Điêu', 5]],
  '04': [['Lâm', 20], ['Trương', 15], ['Lưu', 12], ['Quách', 10], ['Diệp', 8], ['Mạc', 8], ['Châu', 8], ['Vương', 8], ['Tăng', 6]],
  '06': [['Bùi', 40], ['Đinh', 25], ['Quách', 10], ['Hà', 10], ['Xa', 5], ['Cao', 5], ['Trương', 5]],
  '07': [['Hoàng', 20], ['Nông', 15], ['Vi', 10], ['Lương', 10], ['Lý', 10], ['Chu', 8], ['Lăng', 5], ['Mã', 5], ['Hứa', 5]],
  '08': [['Giàng', 25], ['Thào', 20], ['Vàng', 15], ['Sùng', 12], ['Lầu', 8], ['Lý', 8], ['Hờ', 6], ['Mùa', 6]],
  '09': [['Triệu', 30], ['Bàn', 25], ['Đặng', 15], ['Lý', 12], ['Phùng', 10], ['Chảo', 8]],
};

const CHILD_MIDDLE: Record<Sex, Weighted<string>> = {
  male: [
    ['Minh', 12], ['Văn', 10], ['Đức', 8], ['Gia', 8], ['Quốc', 6], ['Hoàng', 6], ['Bảo', 6], ['Quang', 5],
    ['Thành', 4], ['Hữu', 4], ['Anh', 4], ['Đăng', 4], ['Nhật', 4], ['Tuấn', 3], ['Trung', 3], ['Công', 3],
    ['Thanh', 3], ['Duy', 3], ['Tiến', 2], ['Xuân', 2], ['Trọng', 2], ['Khắc', 1],
  ],
  female: [
    ['Thị', 14], ['Ngọc', 12], ['Bảo', 8], ['Thu', 5], ['Minh', 5], ['Khánh', 5], ['Thanh', 4], ['Phương', 4],
    ['Thùy', 4], ['Mai', 3], ['Kim', 3], ['Hà', 3], ['Quỳnh', 3], ['Gia', 3], ['Hoài', 2], ['Diệu', 2],
    ['Tường', 2], ['Hải', 2], ['An', 2], ['Bích', 1], ['Tuệ', 1], ['Yến', 1],
  ],
};

// "Nguyễn Hoàng Gia Bảo", "Trần Ngọc Bảo Anh": a second middle word is common among children.
const CHILD_DOUBLE_MIDDLE: Record<Sex, readonly string[]> = {
  male: ['Hoàng Gia', 'Lê Minh', 'Trần Minh', 'Hoàng Minh', 'Văn Minh', 'Đức Minh', 'Quang Minh', 'Ngọc Gia', 'Nguyễn Gia', 'Minh Đăng'],
  female: ['Ngọc Bảo', 'Thị Thu', 'Ngọc Khánh', 'Hoàng Bảo', 'Thị Ngọc', 'Lê Bảo', 'Ngọc Minh', 'Trần Ngọc', 'Thị Mai', 'Phương Bảo'],
};

const ADULT_MIDDLE: Record<Sex, Weighted<string>> = {
  male: [
    ['Văn', 35], ['Minh', 8], ['Đức', 8], ['Quang', 6], ['Hữu', 6], ['Thanh', 5], ['Đình', 5], ['Ngọc', 4],
    ['Xuân', 4], ['Công', 4], ['Quốc', 4], ['Mạnh', 3], ['Trọng', 3], ['Anh', 3], ['Tiến', 2],
  ],
  female: [
    ['Thị', 50], ['Thu', 6], ['Thanh', 6], ['Ngọc', 6], ['Kim', 4], ['Hồng', 4], ['Bích', 3], ['Thúy', 3],
    ['Minh', 3], ['Phương', 3], ['Mai', 3], ['Thùy', 3], ['Diệu', 2], ['Hải', 2],
  ],
};

const MINORITY_MIDDLE: Record<Sex, Weighted<string>> = {
  male: [['Văn', 60], ['Đức', 8], ['Minh', 8], ['Quang', 5], ['Hữu', 5], ['Thanh', 5], ['Tiến', 4], ['Xuân', 3]],
  female: [['Thị', 70], ['Thu', 6], ['Ngọc', 6], ['Thanh', 5], ['Hồng', 4], ['Mai', 4], ['Kim', 3]],
};

const CHILD_GIVEN: Record<Sex, Weighted<string>> = {
  male: [
    ['Minh', 6], ['Huy', 6], ['Khang', 4], ['Bảo', 5], ['Khôi', 4], ['Nam', 4], ['Phúc', 4], ['Long', 4], ['Quân', 4],
    ['An', 4], ['Đức', 4], ['Khánh', 3], ['Tuấn', 3], ['Dũng', 3], ['Đạt', 3], ['Hiếu', 3], ['Sơn', 3], ['Vinh', 3],
    ['Bình', 3], ['Cường', 2], ['Hùng', 2], ['Kiên', 2], ['Thịnh', 2], ['Trí', 2], ['Nghĩa', 2], ['Hoàng', 2],
    ['Lâm', 2], ['Phong', 2], ['Thắng', 2], ['Toàn', 2], ['Duy', 3], ['Hải', 2], ['Tùng', 2], ['Vũ', 2],
    ['Việt', 2], ['Kiệt', 2], ['Nhân', 2], ['Tài', 2], ['Thái', 1], ['Đăng', 2], ['Lộc', 2], ['Phát', 2],
    ['Thành', 2], ['Quang', 2], ['Tú', 2], ['Hưng', 2], ['Anh', 4],
  ],
  female: [
    ['Anh', 7], ['Linh', 6], ['Ngọc', 4], ['Vy', 5], ['Nhi', 5], ['Trang', 4], ['Thảo', 4], ['Hân', 4], ['Chi', 4],
    ['Mai', 3], ['Hà', 3], ['Phương', 3], ['Quỳnh', 3], ['My', 3], ['Thư', 3], ['Ngân', 3], ['Yến', 2], ['Lan', 2],
    ['Hương', 2], ['Giang', 2], ['Dung', 2], ['Hạnh', 2], ['Nhung', 2], ['Trâm', 2], ['Uyên', 2], ['Vân', 2],
    ['Hằng', 2], ['Thủy', 1], ['Loan', 1], ['Diệp', 1], ['Hoa', 2], ['Tâm', 2], ['Oanh', 1], ['Châu', 2],
    ['Nga', 1], ['Như', 2], ['Tiên', 2], ['Hiền', 2], ['Huyền', 2], ['Ly', 2],
  ],
};

const ADULT_GIVEN: Record<Sex, readonly string[]> = {
  male: [
    'Hùng', 'Dũng', 'Tuấn', 'Hải', 'Thắng', 'Thành', 'Long', 'Hoàng', 'Cường', 'Sơn', 'Trung', 'Hiếu', 'Quang',
    'Tùng', 'Phong', 'Bình', 'Minh', 'Nam', 'Việt', 'Hưng', 'Khánh', 'Đức', 'Toàn', 'Tâm', 'Lợi', 'Thanh',
    'Hòa', 'Chiến', 'Quý', 'Tiến', 'Huy', 'Lâm', 'Phúc', 'Vinh', 'Hậu', 'Sang',
  ],
  female: [
    'Hương', 'Lan', 'Hoa', 'Hằng', 'Thủy', 'Nga', 'Hà', 'Thảo', 'Linh', 'Trang', 'Huyền', 'Loan', 'Hạnh', 'Dung',
    'Hiền', 'Phượng', 'Yến', 'Nhung', 'Mai', 'Liên', 'Oanh', 'Thu', 'Tuyết', 'Vân', 'Hồng', 'Ngọc', 'Xuân',
    'Bích', 'Giang', 'Tâm', 'Lệ', 'Duyên', 'Thơ', 'Trinh', 'Nhàn', 'Quyên',
  ],
};

// Hmông children are often named "Giàng A Páo" (boys) / "Thào Thị Mỷ" (girls).
const HMONG_GIVEN: Record<Sex, readonly string[]> = {
  male: ['Páo', 'Chứ', 'Dình', 'Sử', 'Lử', 'Tủa', 'Vư', 'Chính', 'Tráng', 'Pó', 'Chư', 'Dũng'],
  female: ['Mỷ', 'Dế', 'Sính', 'Pà', 'Chá', 'Xua', 'Mẩy', 'Dợ', 'Của', 'Sua', 'Máy', 'Súa'],
};

const ETHNICITY_BY_AREA: Record<Area, Weighted<EthnicityCode>> = {
  urban: [['01', 96], ['04', 1.5], ['02', 1], ['07', 1], ['06', 0.5]],
  rural: [['01', 90], ['02', 3], ['07', 3], ['06', 2], ['03', 1], ['09', 1]],
  // Mountain communes: ~60% of learners belong to an ethnic minority.
  mountain: [['01', 40], ['02', 12], ['07', 12], ['08', 14], ['03', 8], ['09', 8], ['06', 6]],
};

const pickKinhFamily = weightedPicker(KINH_FAMILY);
const pickMinorityFamily = Object.fromEntries(
  Object.entries(MINORITY_FAMILY).map(([code, items]) => [code, weightedPicker(items)]),
) as Record<string, (rng: Rng) => string>;
const pickChildMiddle = { male: weightedPicker(CHILD_MIDDLE.male), female: weightedPicker(CHILD_MIDDLE.female) };
const pickAdultMiddle = { male: weightedPicker(ADULT_MIDDLE.male), female: weightedPicker(ADULT_MIDDLE.female) };
const pickMinorityMiddle = { male: weightedPicker(MINORITY_MIDDLE.male), female: weightedPicker(MINORITY_MIDDLE.female) };
const pickChildGiven = { male: weightedPicker(CHILD_GIVEN.male), female: weightedPicker(CHILD_GIVEN.female) };
const pickEthnicity = {
  urban: weightedPicker(ETHNICITY_BY_AREA.urban),
  rural: weightedPicker(ETHNICITY_BY_AREA.rural),
  mountain: weightedPicker(ETHNICITY_BY_AREA.mountain),
};

export function pickEthnicityFor(rng: Rng, area: Area): string {
  return pickEthnicity[area](rng);
}

export function pickFamilyName(rng: Rng, ethnicity: string): string {
  const minority = pickMinorityFamily[ethnicity];
  return minority ? minority(rng) : pickKinhFamily(rng);
}

/** A person's name parts; pass familyName to keep a child's family name on the father. */
export function makeName(
  rng: Rng,
  sex: Sex,
  ethnicity: string,
  generation: Generation,
  familyName: string = pickFamilyName(rng, ethnicity),
): NameParts {
  let middleName: string;
  let givenName: string;
  if (ethnicity === ETHNICITY.hmong && rng.chance(0.5)) {
    middleName = sex === 'male' ? 'A' : 'Thị';
    givenName = rng.pick(HMONG_GIVEN[sex]);
  } else if (ethnicity !== ETHNICITY.kinh && ethnicity !== ETHNICITY.hoa && (generation === 'adult' || rng.chance(0.6))) {
    middleName = pickMinorityMiddle[sex](rng);
    givenName = generation === 'adult' ? rng.pick(ADULT_GIVEN[sex]) : pickChildGiven[sex](rng);
  } else if (generation === 'adult') {
    middleName = pickAdultMiddle[sex](rng);
    givenName = rng.pick(ADULT_GIVEN[sex]);
  } else {
    middleName = rng.chance(0.14) ? rng.pick(CHILD_DOUBLE_MIDDLE[sex]) : pickChildMiddle[sex](rng);
    givenName = pickChildGiven[sex](rng);
  }
  // "Nguyễn Minh Minh" reads as a typo; draw the given name again once.
  if (middleName.split(' ').includes(givenName)) {
    givenName = generation === 'adult' ? rng.pick(ADULT_GIVEN[sex]) : pickChildGiven[sex](rng);
  }
  return { familyName, middleName, givenName };
}

export function fullNameOf(p: NameParts): string {
  return [p.familyName, p.middleName, p.givenName].filter((s) => s !== '').join(' ');
}
