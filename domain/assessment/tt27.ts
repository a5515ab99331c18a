/**
 * Primary assessment (tiểu học, grades 1–5) under Thông tư 27/2020/TT-BGDĐT, as written out in
 * shared/research/domain-vn.md §2. Each function names the article it implements; the tests
 * (tt27.test.ts) cite the same articles with the boundaries.
 *
 * Regular assessment is by comment and is not computed here. What is computed: which periodic
 * tests a grade sits (Điều 7), whether a checkpoint's record is complete, the end-of-year outcome
 * (Điều 9), completion of the grade and what happens when it is not reached (Điều 11), and the
 * year-end awards (Điều 13).
 *
 * Points the circular leaves open are options (Tt27Options) with the most likely reading as the
 * default; each option's comment says what the other reading is.
 */
import { CURRICULUM, SUBJECTS } from '../curriculum/gdpt-2018.js';
import { MAX_TENTHS, formatEnteredMark, parseMark, type ParsedMark, type Tenths } from './marks.js';
import { incomplete, ok, type Outcome } from './outcome.js';

/** Điều 7: the four periodic checkpoints of the year. */
export type Checkpoint = 'mid_term1' | 'end_term1' | 'mid_term2' | 'end_year';
export const CHECKPOINTS: readonly Checkpoint[] = ['mid_term1', 'end_term1', 'mid_term2', 'end_year'];
export const CHECKPOINT_LABELS: Record<Checkpoint, string> = {
  mid_term1: 'Giữa học kì I',
  end_term1: 'Cuối học kì I',
  mid_term2: 'Giữa học kì II',
  end_year: 'Cuối năm học',
};

/** The checkpoint inside a sentence ("thiếu điểm … cuối học kì I"): lower-case, numerals kept. */
const CHECKPOINT_IN_SENTENCE: Record<Checkpoint, string> = {
  mid_term1: 'giữa học kì I',
  end_term1: 'cuối học kì I',
  mid_term2: 'giữa học kì II',
  end_year: 'cuối năm học',
};

/** Điều 7: a subject's or educational activity's level at a checkpoint (T / H / C). */
export type SubjectLevel = 'hoan_thanh_tot' | 'hoan_thanh' | 'chua_hoan_thanh';
export const SUBJECT_LEVELS: readonly SubjectLevel[] = ['hoan_thanh_tot', 'hoan_thanh', 'chua_hoan_thanh'];
export const SUBJECT_LEVEL_LABELS: Record<SubjectLevel, string> = {
  hoan_thanh_tot: 'Hoàn thành tốt',
  hoan_thanh: 'Hoàn thành',
  chua_hoan_thanh: 'Chưa hoàn thành',
};
/** The letters the gradebook and học bạ write (T, H, C). */
export const SUBJECT_LEVEL_SHORT: Record<SubjectLevel, 'T' | 'H' | 'C'> = { hoan_thanh_tot: 'T', hoan_thanh: 'H', chua_hoan_thanh: 'C' };

/** Điều 7: a quality's or competency's level at a checkpoint. */
export type QualityLevel = 'tot' | 'dat' | 'can_co_gang';
export const QUALITY_LEVELS: readonly QualityLevel[] = ['tot', 'dat', 'can_co_gang'];
export const QUALITY_LEVEL_LABELS: Record<QualityLevel, string> = { tot: 'Tốt', dat: 'Đạt', can_co_gang: 'Cần cố gắng' };

export type QualityGroup = 'pham_chat' | 'nang_luc_chung' | 'nang_luc_dac_thu';
export const QUALITY_GROUP_LABELS: Record<QualityGroup, string> = {
  pham_chat: 'Phẩm chất chủ yếu',
  nang_luc_chung: 'Năng lực chung',
  nang_luc_dac_thu: 'Năng lực đặc thù',
};

/**
 * The qualities and competencies of GDPT 2018 (TT32/2018, chương trình tổng thể) that TT27
 * assesses: 5 qualities, 3 general and 7 specific competencies. The codes are stable ASCII keys
 * for storage; the group prefix keeps them apart from subject codes (nldt_khoa_hoc is the
 * competency, khoa_hoc the subject).
 */
export const QUALITIES_AND_COMPETENCIES = [
  { code: 'pc_yeu_nuoc', name: 'Yêu nước', group: 'pham_chat' },
  { code: 'pc_nhan_ai', name: 'Nhân ái', group: 'pham_chat' },
  { code: 'pc_cham_chi', name: 'Chăm chỉ', group: 'pham_chat' },
  { code: 'pc_trung_thuc', name: 'Trung thực', group: 'pham_chat' },
  { code: 'pc_trach_nhiem', name: 'Trách nhiệm', group: 'pham_chat' },
  { code: 'nlc_tu_chu_tu_hoc', name: 'Tự chủ và tự học', group: 'nang_luc_chung' },
  { code: 'nlc_giao_tiep_hop_tac', name: 'Giao tiếp và hợp tác', group: 'nang_luc_chung' },
  { code: 'nlc_gqvd_sang_tao', name: 'Giải quyết vấn đề và sáng tạo', group: 'nang_luc_chung' },
  { code: 'nldt_ngon_ngu', name: 'Ngôn ngữ', group: 'nang_luc_dac_thu' },
  { code: 'nldt_tinh_toan', name: 'Tính toán', group: 'nang_luc_dac_thu' },
  { code: 'nldt_khoa_hoc', name: 'Khoa học', group: 'nang_luc_dac_thu' },
  { code: 'nldt_cong_nghe', name: 'Công nghệ', group: 'nang_luc_dac_thu' },
  { code: 'nldt_tin_hoc', name: 'Tin học', group: 'nang_luc_dac_thu' },
  { code: 'nldt_tham_mi', name: 'Thẩm mĩ', group: 'nang_luc_dac_thu' },
  { code: 'nldt_the_chat', name: 'Thể chất', group: 'nang_luc_dac_thu' },
] as const satisfies ReadonlyArray<{ code: string; name: string; group: QualityGroup }>;

export type QualityCode = (typeof QUALITIES_AND_COMPETENCIES)[number]['code'];
export const QUALITY_CODES: readonly QualityCode[] = QUALITIES_AND_COMPETENCIES.map((q) => q.code);

/** "Phẩm chất yêu nước", "Năng lực tính toán" — how a reason names a quality or competency. */
export function qualityLabel(code: QualityCode): string {
  const q = QUALITIES_AND_COMPETENCIES.find((x) => x.code === code);
  if (!q) return code;
  return `${q.group === 'pham_chat' ? 'Phẩm chất' : 'Năng lực'} ${q.name.toLocaleLowerCase('vi')}`;
}

/** Điều 7 khoản 2: the compulsory subjects that have periodic tests, by curriculum code. */
export const PERIODIC_TEST_SUBJECTS: readonly string[] = ['tieng_viet', 'toan', 'ngoai_ngu_1', 'lich_su_dia_li', 'khoa_hoc', 'tin_hoc_cong_nghe'];
/** Điều 7 khoản 2: the subjects with the extra mid-term tests in grades 4 and 5. */
export const MID_TERM_TEST_SUBJECTS: readonly string[] = ['tieng_viet', 'toan'];

export type Tt27Options = {
  /**
   * The subjects and educational activities assessed in a grade, by curriculum code. Default: the
   * grade's compulsory subjects in GDPT 2018 (TT32/2018, domain/curriculum). A school that teaches
   * an elective (Tiếng dân tộc, Ngoại ngữ in grades 1–2) enters it as an extra subject: an extra
   * subject with a level counts in the outcome ("các môn học và hoạt động giáo dục"); electives
   * have no periodic test, since Điều 7 khoản 2 names only compulsory subjects.
   */
  subjectsForGrade: (grade: number) => readonly string[];
  /**
   * The qualities and competencies assessed in a grade. Default: all fifteen in every grade. The
   * other reading leaves the Tin học and Công nghệ competencies out of grades 1–2, which have no
   * Tin học và Công nghệ subject; TT27 Điều 7 lists the competencies without distinguishing grades
   * and GDPT 2018 forms them through other subjects too (Tự nhiên và Xã hội, HĐTN), so all fifteen
   * is the more likely reading. UNCERTAIN.
   */
  qualityCodesForGrade: (grade: number) => readonly QualityCode[];
  /**
   * Điều 11 lets the principal decide "lên lớp hoặc ở lại lớp" for a student who still has not
   * completed the grade after support. For grade 5 "lên lớp" would mean entering lower secondary,
   * which requires the certification "Hoàn thành chương trình tiểu học" (Điều lệ trường THCS), so
   * by default the only decision offered in grade 5 is ở lại lớp. UNCERTAIN: set true to offer both.
   */
  grade5PrincipalMayPromote: boolean;
};

const curriculumSubjects = (grade: number): readonly string[] => CURRICULUM.filter((c) => c.grade === grade && !c.isElective).map((c) => c.subjectCode);

export const DEFAULT_TT27_OPTIONS: Tt27Options = {
  subjectsForGrade: curriculumSubjects,
  qualityCodesForGrade: () => QUALITY_CODES,
  grade5PrincipalMayPromote: false,
};

function assertPrimaryGrade(grade: number): void {
  if (!Number.isInteger(grade) || grade < 1 || grade > 5) throw new RangeError(`TT27 applies to grades 1–5 (got ${grade})`);
}

/** The subject's Vietnamese name from the curriculum catalog, or its code. */
export function subjectName(subjectCode: string): string {
  return SUBJECTS.find((s) => s.code === subjectCode)?.name ?? subjectCode;
}

/**
 * Điều 7 khoản 2: whether a subject has a periodic test at a checkpoint in a grade. End of term I
 * and end of year: Tiếng Việt, Toán, Ngoại ngữ 1, Lịch sử và Địa lí, Khoa học, Tin học và Công
 * nghệ, where the grade has the subject (grades 1–2: TV, Toán; grade 3 adds NN1 and Tin học và
 * Công nghệ; grades 4–5 all six). Grades 4 and 5 also sit mid-term I and II tests in Tiếng Việt
 * and Toán.
 */
export function periodicTestRequired(grade: number, subjectCode: string, checkpoint: Checkpoint, options: Tt27Options = DEFAULT_TT27_OPTIONS): boolean {
  assertPrimaryGrade(grade);
  if (!PERIODIC_TEST_SUBJECTS.includes(subjectCode) || !options.subjectsForGrade(grade).includes(subjectCode)) return false;
  if (checkpoint === 'end_term1' || checkpoint === 'end_year') return true;
  return grade >= 4 && MID_TERM_TEST_SUBJECTS.includes(subjectCode);
}

/** Điều 7 khoản 2: the checkpoints at which a subject has a periodic test in a grade, in order. */
export function periodicTestCheckpoints(grade: number, subjectCode: string, options: Tt27Options = DEFAULT_TT27_OPTIONS): Checkpoint[] {
  return CHECKPOINTS.filter((c) => periodicTestRequired(grade, subjectCode, c, options));
}

/** Điều 7 khoản 2: a periodic test score is a whole number of points 1–10 (10–100 tenths, no 0). */
export function isValidPeriodicTestScore(tenths: Tenths): boolean {
  return Number.isInteger(tenths) && tenths >= 10 && tenths <= MAX_TENTHS && tenths % 10 === 0;
}

/** Điều 7 khoản 2: a periodic test score as the teacher typed it ("8"), refused unless 1–10 whole. */
export function parsePeriodicTestScore(text: string): ParsedMark {
  return parseMark(text, 'whole-1-10');
}

/** One subject's entry at a checkpoint, as the gradebook holds it. */
export type SubjectEntry = {
  subjectCode: string;
  /** Shown in reasons instead of the catalog name (e.g. a school's own elective). */
  name?: string;
  /** null / undefined = not yet entered; 'exempt' = miễn học (left out, with its test). */
  level?: SubjectLevel | 'exempt' | null;
  /** The periodic test score counted at this checkpoint, in tenths (80 = 8 points); null = not entered. */
  testScore?: Tenths | null;
};

/** A student's record at one checkpoint. */
export type CheckpointRecord = {
  subjects: ReadonlyArray<SubjectEntry>;
  qualities: Readonly<Partial<Record<QualityCode, QualityLevel | null>>>;
};

const entryName = (e: SubjectEntry | undefined, code: string) => e?.name ?? subjectName(code);

/** A subject assessed at a checkpoint, with its level and (where one is required) its test score. */
export type AssessedSubject = { subjectCode: string; name: string; level: SubjectLevel; testScore: Tenths | null };
export type CheckpointResults = { subjects: AssessedSubject[]; qualities: Array<{ code: QualityCode; level: QualityLevel }> };

/**
 * Điều 7: a checkpoint's record is complete when every subject of the grade has a level (or is
 * exempt), every periodic test of that checkpoint has a valid score, and every quality and
 * competency has a level. The reasons name the subject or quality so the teacher knows what to
 * enter; a missing entry never counts as any level. A test score given where the checkpoint has
 * no test is ignored.
 */
export function checkpointResults(
  grade: number,
  checkpoint: Checkpoint,
  record: CheckpointRecord,
  options: Tt27Options = DEFAULT_TT27_OPTIONS,
): Outcome<CheckpointResults> {
  assertPrimaryGrade(grade);
  const at = CHECKPOINT_IN_SENTENCE[checkpoint];
  const reasons: string[] = [];
  const required = options.subjectsForGrade(grade);
  const extra = record.subjects.map((s) => s.subjectCode).filter((c) => !required.includes(c));
  const codes = [...required, ...extra.filter((c, i) => extra.indexOf(c) === i)];
  const subjects: AssessedSubject[] = [];
  for (const code of codes) {
    const entries = record.subjects.filter((s) => s.subjectCode === code);
    const entry = entries[0];
    const name = entryName(entry, code);
    if (entries.length > 1) {
      reasons.push(`${name}: được nhập ${entries.length} lần`);
      continue;
    }
    const level = entry?.level ?? null;
    if (level === 'exempt') continue;
    if (level === null) reasons.push(`${name}: chưa có mức đánh giá ${at}`);
    let testScore: Tenths | null = null;
    if (periodicTestRequired(grade, code, checkpoint, options)) {
      const score = entry?.testScore ?? null;
      if (score === null) reasons.push(`${name}: thiếu điểm bài kiểm tra định kì ${at}`);
      else if (!isValidPeriodicTestScore(score)) reasons.push(`${name}: điểm bài kiểm tra định kì phải là số nguyên từ 1 đến 10 (đang có ${String(score / 10).replace('.', ',')})`);
      else testScore = score;
    }
    if (level !== null) subjects.push({ subjectCode: code, name, level, testScore });
  }
  const qualities: CheckpointResults['qualities'] = [];
  for (const code of options.qualityCodesForGrade(grade)) {
    const level = record.qualities[code] ?? null;
    if (level === null) reasons.push(`${qualityLabel(code)}: chưa có mức đánh giá ${at}`);
    else qualities.push({ code, level });
  }
  if (reasons.length > 0) return incomplete(reasons);
  return ok({ subjects, qualities });
}

/** Điều 9: the four end-of-year outcomes. */
export type YearOutcome = 'hoan_thanh_xuat_sac' | 'hoan_thanh_tot' | 'hoan_thanh' | 'chua_hoan_thanh';
export const YEAR_OUTCOMES: readonly YearOutcome[] = ['hoan_thanh_xuat_sac', 'hoan_thanh_tot', 'hoan_thanh', 'chua_hoan_thanh'];
export const YEAR_OUTCOME_LABELS: Record<YearOutcome, string> = {
  hoan_thanh_xuat_sac: 'Hoàn thành xuất sắc',
  hoan_thanh_tot: 'Hoàn thành tốt',
  hoan_thanh: 'Hoàn thành',
  chua_hoan_thanh: 'Chưa hoàn thành',
};

export type YearResult = {
  outcome: YearOutcome;
  /**
   * What keeps the student from the next outcome up, one line per subject, test or quality
   * ("Toán: điểm kiểm tra cuối năm 8, cần từ 9"); empty at Hoàn thành xuất sắc.
   */
  shortOf: string[];
};

/** The bar of each outcome (Điều 9): subjects at least, qualities at least, every end-of-year test at least. */
const BARS: Array<{ outcome: Exclude<YearOutcome, 'chua_hoan_thanh'>; subjects: SubjectLevel[]; qualities: QualityLevel[]; minTest: Tenths }> = [
  { outcome: 'hoan_thanh_xuat_sac', subjects: ['hoan_thanh_tot'], qualities: ['tot'], minTest: 90 },
  { outcome: 'hoan_thanh_tot', subjects: ['hoan_thanh_tot'], qualities: ['tot'], minTest: 70 },
  { outcome: 'hoan_thanh', subjects: ['hoan_thanh_tot', 'hoan_thanh'], qualities: ['tot', 'dat'], minTest: 50 },
];

function shortOfBar(r: CheckpointResults, bar: (typeof BARS)[number]): string[] {
  return [
    ...r.subjects.filter((s) => !bar.subjects.includes(s.level)).map((s) => `${s.name}: ${SUBJECT_LEVEL_LABELS[s.level]}, cần ${bar.subjects.map((l) => SUBJECT_LEVEL_LABELS[l]).join(' hoặc ')}`),
    ...r.subjects
      .filter((s) => s.testScore !== null && s.testScore < bar.minTest)
      .map((s) => `${s.name}: điểm kiểm tra cuối năm ${formatEnteredMark(s.testScore ?? 0)}, cần từ ${bar.minTest / 10}`),
    ...r.qualities.filter((q) => !bar.qualities.includes(q.level)).map((q) => `${qualityLabel(q.code)}: ${QUALITY_LEVEL_LABELS[q.level]}, cần ${bar.qualities.map((l) => QUALITY_LEVEL_LABELS[l]).join(' hoặc ')}`),
  ];
}

/**
 * Điều 9 from complete end-of-year results: the first bar the student clears, in order —
 * Hoàn thành xuất sắc: every subject and activity Hoàn thành tốt, every quality and competency
 * Tốt, every end-of-year periodic test 9 or more; Hoàn thành tốt: the same with tests 7 or more;
 * Hoàn thành: every subject T or H, every quality Tốt or Đạt, every test 5 or more; otherwise
 * Chưa hoàn thành.
 */
export function yearOutcomeOf(r: CheckpointResults): YearResult {
  for (let i = 0; i < BARS.length; i++) {
    if (shortOfBar(r, BARS[i]).length === 0) return { outcome: BARS[i].outcome, shortOf: i === 0 ? [] : shortOfBar(r, BARS[i - 1]) };
  }
  return { outcome: 'chua_hoan_thanh', shortOf: shortOfBar(r, BARS[BARS.length - 1]) };
}

/**
 * Điều 9: the end-of-year outcome from the end_year record — the levels of every subject of the
 * grade (exempt ones left out), every quality and competency, and the end-of-year test of every
 * subject that has one. Incomplete, with reasons naming what is missing, until all are entered.
 * Where the school let a student re-sit a test whose result was at odds with regular assessment
 * (Điều 7), pass the score that counts.
 */
export function endOfYearResult(grade: number, record: CheckpointRecord, options: Tt27Options = DEFAULT_TT27_OPTIONS): Outcome<YearResult> {
  const r = checkpointResults(grade, 'end_year', record, options);
  return r.status === 'ok' ? ok(yearOutcomeOf(r.value)) : r;
}

/** Where the student stands on completing the grade right after the end-of-year outcome (Điều 11). */
export type GradeCompletion =
  | { status: 'completed'; label: string }
  /** Điều 11 khoản 2: the teacher plans support and re-assesses before the grade is decided. */
  | { status: 'pending_support'; label: string };

const completedLabel = (grade: number) => (grade === 5 ? 'Hoàn thành chương trình tiểu học' : 'Hoàn thành chương trình lớp học');

/**
 * Điều 11 khoản 1 and 4: a student at Hoàn thành xuất sắc, Hoàn thành tốt or Hoàn thành has
 * completed the grade ("Hoàn thành chương trình lớp học"; in grade 5 "Hoàn thành chương trình
 * tiểu học", written in the học bạ). At Chưa hoàn thành nothing is decided yet: the school helps
 * the student and assesses again (khoản 2), usually over the summer.
 * (Article number from the circular's structure — Điều 9 results, Điều 11 completion, Điều 13
 * awards; domain-vn §2 quotes Điều 9 and 13 but not 11: verify.)
 */
export function gradeCompletion(grade: number, outcome: YearOutcome): GradeCompletion {
  assertPrimaryGrade(grade);
  if (outcome !== 'chua_hoan_thanh') return { status: 'completed', label: completedLabel(grade) };
  return { status: 'pending_support', label: 'Chưa hoàn thành: chờ giúp đỡ, đánh giá bổ sung' };
}

/** Điều 11 khoản 3: the principal's decision for a student who still has not completed the grade. */
export type PrincipalDecision = 'len_lop' | 'o_lai_lop';
export const PRINCIPAL_DECISION_LABELS: Record<PrincipalDecision, string> = { len_lop: 'Lên lớp', o_lai_lop: 'Ở lại lớp' };

export type CompletionDecision =
  | { status: 'completed'; label: string }
  | { status: 'awaiting_principal'; label: string }
  | { status: 'promoted'; label: string }
  | { status: 'retained'; label: string };

/** Điều 11 khoản 3: the decisions the principal may take in a grade (see grade5PrincipalMayPromote). */
export function principalDecisionsFor(grade: number, options: Tt27Options = DEFAULT_TT27_OPTIONS): PrincipalDecision[] {
  assertPrimaryGrade(grade);
  return grade === 5 && !options.grade5PrincipalMayPromote ? ['o_lai_lop'] : ['len_lop', 'o_lai_lop'];
}

/**
 * Điều 11 khoản 2–3, after support: the outcome of the additional assessment (Điều 9 applied to
 * the re-assessed record) at Hoàn thành or above completes the grade. Still Chưa hoàn thành: the
 * teacher lists the student for the principal, who decides lên lớp or ở lại lớp; until then the
 * status says so. A decision the grade does not allow (principalDecisionsFor) is refused.
 */
export function completionAfterSupport(
  grade: number,
  reassessed: YearOutcome,
  principalDecision: PrincipalDecision | null = null,
  options: Tt27Options = DEFAULT_TT27_OPTIONS,
): CompletionDecision {
  assertPrimaryGrade(grade);
  if (reassessed !== 'chua_hoan_thanh') return { status: 'completed', label: completedLabel(grade) };
  if (principalDecision === null) return { status: 'awaiting_principal', label: 'Chưa hoàn thành sau đánh giá bổ sung: chờ hiệu trưởng quyết định lên lớp hoặc ở lại lớp' };
  if (!principalDecisionsFor(grade, options).includes(principalDecision)) {
    throw new RangeError(`Grade ${grade}: the principal may not decide ${principalDecision} for a student who has not completed the grade`);
  }
  return principalDecision === 'len_lop'
    ? { status: 'promoted', label: 'Lên lớp (chưa hoàn thành chương trình lớp học)' }
    : { status: 'retained', label: PRINCIPAL_DECISION_LABELS.o_lai_lop };
}

/** Điều 13 khoản 1 điểm a: the year-end titles the principal awards. */
export type PrimaryAward = 'hoc_sinh_xuat_sac' | 'hoc_sinh_tieu_bieu';
export const PRIMARY_AWARD_LABELS: Record<PrimaryAward, string> = {
  hoc_sinh_xuat_sac: 'Học sinh Xuất sắc',
  hoc_sinh_tieu_bieu: 'Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện',
};

/**
 * The teacher's and the class's judgement behind "Học sinh Tiêu biểu": outstanding achievement in
 * at least one subject, or clear progress in at least one quality or competency, recognised by the
 * class ("được tập thể lớp công nhận"). Nothing here computes it; the teacher records it.
 */
export type TieuBieuNomination = {
  outstandingSubjects?: readonly string[];
  clearProgressIn?: readonly QualityCode[];
  recognisedByClass: boolean;
};

/**
 * Điều 13 khoản 1 điểm a: "Học sinh Xuất sắc" for Hoàn thành xuất sắc; "Học sinh Tiêu biểu hoàn
 * thành tốt trong học tập và rèn luyện" for Hoàn thành tốt with an outstanding subject or clear
 * progress in a quality or competency, recognised by the class. Ad-hoc awards (khen thưởng đột
 * xuất, điểm b) are the school's decision and not computed. Returns the eligible titles.
 */
export function primaryYearAwards(outcome: YearOutcome, nomination?: TieuBieuNomination): PrimaryAward[] {
  if (outcome === 'hoan_thanh_xuat_sac') return ['hoc_sinh_xuat_sac'];
  if (outcome !== 'hoan_thanh_tot' || !nomination?.recognisedByClass) return [];
  const grounds = (nomination.outstandingSubjects?.length ?? 0) + (nomination.clearProgressIn?.length ?? 0);
  return grounds > 0 ? ['hoc_sinh_tieu_bieu'] : [];
}

/** Điều 13 khoản 1: the awards a school records by hand (Học sinh Xuất sắc is computed from the outcome). */
export type RecordedPrimaryAward = 'tieu_bieu' | 'dot_xuat';
export const RECORDED_PRIMARY_AWARD_LABELS: Record<RecordedPrimaryAward, string> = {
  tieu_bieu: PRIMARY_AWARD_LABELS.hoc_sinh_tieu_bieu,
  dot_xuat: 'Khen thưởng đột xuất',
};

/**
 * Điều 13 khoản 1 điểm a, second title: who may be recorded "Học sinh Tiêu biểu hoàn thành tốt
 * trong học tập và rèn luyện" — a student whose year outcome (Điều 9) is Hoàn thành tốt. A
 * Hoàn thành xuất sắc student gets "Học sinh Xuất sắc" instead (the two titles are one per
 * outcome, so never both); Hoàn thành, Chưa hoàn thành, or no outcome yet (the year not closed,
 * or the record incomplete) is refused, with the reason in words. The rest of the rule — an
 * outstanding subject or clear progress in a quality or competency, recognised by the class — is
 * the teacher's and the class's judgement, written as the achievement; it is not computed.
 * Ad-hoc awards (điểm b) need no outcome.
 */
export function tieuBieuRefusal(outcome: YearOutcome | null): string | null {
  if (outcome === 'hoan_thanh_tot') return null;
  if (outcome === null) return 'Chưa có kết quả giáo dục cả năm (chưa tổng hợp cả năm hoặc còn thiếu đánh giá), nên chưa xét khen Học sinh Tiêu biểu.';
  if (outcome === 'hoan_thanh_xuat_sac') return 'Học sinh Hoàn thành xuất sắc được khen Học sinh Xuất sắc, không xét Học sinh Tiêu biểu (Thông tư 27/2020, Điều 13).';
  return `Kết quả giáo dục cả năm là ${YEAR_OUTCOME_LABELS[outcome]}; chỉ học sinh Hoàn thành tốt mới được khen Học sinh Tiêu biểu (Thông tư 27/2020, Điều 13).`;
}

/**
 * The homeroom teacher's comments of a year in the primary học bạ: beside the qualities (Những
 * phẩm chất chủ yếu), the general and the specific competencies (Những năng lực cốt lõi), and the
 * year's overall remarks — in the book's order.
 */
export type YearCommentTopic = 'pham_chat' | 'nang_luc_chung' | 'nang_luc_dac_thu' | 'overall';
export const YEAR_COMMENT_TOPICS: readonly YearCommentTopic[] = ['pham_chat', 'nang_luc_chung', 'nang_luc_dac_thu', 'overall'];
export const YEAR_COMMENT_TOPIC_LABELS: Record<YearCommentTopic, string> = {
  pham_chat: QUALITY_GROUP_LABELS.pham_chat,
  nang_luc_chung: QUALITY_GROUP_LABELS.nang_luc_chung,
  nang_luc_dac_thu: QUALITY_GROUP_LABELS.nang_luc_dac_thu,
  overall: 'Nhận xét chung cả năm',
};

/** How a recorded award reads in lists, the class table and the học bạ: "Học sinh Tiêu biểu … (môn Toán nổi trội)", "Khen thưởng đột xuất: …". */
export function recordedAwardText(kind: RecordedPrimaryAward, achievement: string): string {
  return kind === 'tieu_bieu' ? `${RECORDED_PRIMARY_AWARD_LABELS.tieu_bieu} (${achievement})` : `${RECORDED_PRIMARY_AWARD_LABELS.dot_xuat}: ${achievement}`;
}
