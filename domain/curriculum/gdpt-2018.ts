/**
 * GDPT 2018 curriculum catalog (TT32/2018, amended by TT13/2022), as summarised in
 * shared/research/domain-vn.md §8: periods per year per grade, and the assessment kind the
 * assessment rules give each subject:
 * - primary (TT27/2020): subjects with periodic tests (TV, Toán, NN1, LS&ĐL, Khoa học, Tin–CN)
 *   are 'mixed' (comment levels T/H/C plus a test score); the others are 'comment'.
 * - secondary (TT22/2021 Điều 5): GDTC, Âm nhạc, Mĩ thuật, Nghệ thuật, local content and HĐTN
 *   are 'comment' (Đạt / Chưa đạt); all others carry a score and are 'score'.
 * Schools may override periods and kind per year (school_subject); this is the default.
 */
export type AssessmentKind = 'score' | 'comment' | 'mixed';

export type CatalogSubject = { code: string; name: string; sortOrder: number };

export const SUBJECTS: CatalogSubject[] = [
  { code: 'tieng_viet', name: 'Tiếng Việt', sortOrder: 1 },
  { code: 'ngu_van', name: 'Ngữ văn', sortOrder: 2 },
  { code: 'toan', name: 'Toán', sortOrder: 3 },
  { code: 'ngoai_ngu_1', name: 'Ngoại ngữ 1', sortOrder: 4 },
  { code: 'dao_duc', name: 'Đạo đức', sortOrder: 5 },
  { code: 'gdcd', name: 'Giáo dục công dân', sortOrder: 6 },
  { code: 'gdktpl', name: 'Giáo dục kinh tế và pháp luật', sortOrder: 7 },
  { code: 'tnxh', name: 'Tự nhiên và Xã hội', sortOrder: 8 },
  { code: 'lich_su_dia_li', name: 'Lịch sử và Địa lí', sortOrder: 9 },
  { code: 'lich_su', name: 'Lịch sử', sortOrder: 10 },
  { code: 'dia_li', name: 'Địa lí', sortOrder: 11 },
  { code: 'khoa_hoc', name: 'Khoa học', sortOrder: 12 },
  { code: 'khtn', name: 'Khoa học tự nhiên', sortOrder: 13 },
  { code: 'vat_li', name: 'Vật lí', sortOrder: 14 },
  { code: 'hoa_hoc', name: 'Hóa học', sortOrder: 15 },
  { code: 'sinh_hoc', name: 'Sinh học', sortOrder: 16 },
  { code: 'tin_hoc_cong_nghe', name: 'Tin học và Công nghệ', sortOrder: 17 },
  { code: 'tin_hoc', name: 'Tin học', sortOrder: 18 },
  { code: 'cong_nghe', name: 'Công nghệ', sortOrder: 19 },
  { code: 'gdtc', name: 'Giáo dục thể chất', sortOrder: 20 },
  { code: 'am_nhac', name: 'Âm nhạc', sortOrder: 21 },
  { code: 'mi_thuat', name: 'Mĩ thuật', sortOrder: 22 },
  { code: 'gdqp_an', name: 'Giáo dục quốc phòng và an ninh', sortOrder: 23 },
  { code: 'hdtn', name: 'Hoạt động trải nghiệm', sortOrder: 24 },
  { code: 'hdtn_hn', name: 'Hoạt động trải nghiệm, hướng nghiệp', sortOrder: 25 },
  { code: 'gd_dia_phuong', name: 'Nội dung giáo dục của địa phương', sortOrder: 26 },
  { code: 'chuyen_de', name: 'Chuyên đề học tập', sortOrder: 27 },
];

export type CurriculumEntry = {
  grade: number;
  subjectCode: string;
  periodsPerYear: number;
  assessmentKind: AssessmentKind;
  isElective: boolean;
};

type Row = [subjectCode: string, periods: number, kind: AssessmentKind, elective?: boolean];

const primary12 = (tv: number, toan: number): Row[] => [
  ['tieng_viet', tv, 'mixed'],
  ['toan', toan, 'mixed'],
  ['dao_duc', 35, 'comment'],
  ['tnxh', 70, 'comment'],
  ['gdtc', 70, 'comment'],
  ['am_nhac', 35, 'comment'],
  ['mi_thuat', 35, 'comment'],
  ['hdtn', 105, 'comment'],
];
const primary3: Row[] = [
  ['tieng_viet', 245, 'mixed'],
  ['toan', 175, 'mixed'],
  ['ngoai_ngu_1', 140, 'mixed'],
  ['dao_duc', 35, 'comment'],
  ['tnxh', 70, 'comment'],
  ['tin_hoc_cong_nghe', 70, 'mixed'],
  ['gdtc', 70, 'comment'],
  ['am_nhac', 35, 'comment'],
  ['mi_thuat', 35, 'comment'],
  ['hdtn', 105, 'comment'],
];
const primary45: Row[] = [
  ['tieng_viet', 245, 'mixed'],
  ['toan', 175, 'mixed'],
  ['ngoai_ngu_1', 140, 'mixed'],
  ['dao_duc', 35, 'comment'],
  ['lich_su_dia_li', 70, 'mixed'],
  ['khoa_hoc', 70, 'mixed'],
  ['tin_hoc_cong_nghe', 70, 'mixed'],
  ['gdtc', 70, 'comment'],
  ['am_nhac', 35, 'comment'],
  ['mi_thuat', 35, 'comment'],
  ['hdtn', 105, 'comment'],
];
const lowerSecondary = (congNghe: number): Row[] => [
  ['ngu_van', 140, 'score'],
  ['toan', 140, 'score'],
  ['ngoai_ngu_1', 105, 'score'],
  ['gdcd', 35, 'score'],
  ['lich_su_dia_li', 105, 'score'],
  ['khtn', 140, 'score'],
  ['cong_nghe', congNghe, 'score'],
  ['tin_hoc', 35, 'score'],
  ['gdtc', 70, 'comment'],
  ['am_nhac', 35, 'comment'],
  ['mi_thuat', 35, 'comment'],
  ['hdtn_hn', 105, 'comment'],
  ['gd_dia_phuong', 35, 'comment'],
];
// THPT after TT13/2022: Lịch sử compulsory (52 periods); students choose 4 electives of 70.
const upperSecondary: Row[] = [
  ['ngu_van', 105, 'score'],
  ['toan', 105, 'score'],
  ['ngoai_ngu_1', 105, 'score'],
  ['lich_su', 52, 'score'],
  ['gdtc', 70, 'comment'],
  ['gdqp_an', 35, 'score'],
  ['hdtn_hn', 105, 'comment'],
  ['gd_dia_phuong', 35, 'comment'],
  ['chuyen_de', 105, 'score'],
  ['dia_li', 70, 'score', true],
  ['gdktpl', 70, 'score', true],
  ['vat_li', 70, 'score', true],
  ['hoa_hoc', 70, 'score', true],
  ['sinh_hoc', 70, 'score', true],
  ['cong_nghe', 70, 'score', true],
  ['tin_hoc', 70, 'score', true],
  ['am_nhac', 70, 'comment', true],
  ['mi_thuat', 70, 'comment', true],
];

const byGrade: Record<number, Row[]> = {
  1: primary12(420, 105),
  2: primary12(350, 175),
  3: primary3,
  4: primary45,
  5: primary45,
  6: lowerSecondary(35),
  7: lowerSecondary(35),
  8: lowerSecondary(52),
  9: lowerSecondary(52),
  10: upperSecondary,
  11: upperSecondary,
  12: upperSecondary,
};

export const CURRICULUM: CurriculumEntry[] = Object.entries(byGrade).flatMap(([grade, rows]) =>
  rows.map(([subjectCode, periodsPerYear, assessmentKind, elective]) => ({
    grade: Number(grade),
    subjectCode,
    periodsPerYear,
    assessmentKind,
    isElective: elective ?? false,
  })),
);

/** Compulsory periods per year for a grade (electives excluded), to check against §8 totals. */
export function compulsoryPeriods(grade: number): number {
  return CURRICULUM.filter((c) => c.grade === grade && !c.isElective).reduce((s, c) => s + c.periodsPerYear, 0);
}

/** School level of a grade: 1–5 primary, 6–9 lower secondary, 10–12 upper secondary, 0 preschool. */
export function levelOfGrade(grade: number): 'preschool' | 'primary' | 'lower_secondary' | 'upper_secondary' {
  if (grade <= 0) return 'preschool';
  if (grade <= 5) return 'primary';
  if (grade <= 9) return 'lower_secondary';
  return 'upper_secondary';
}
