/**
 * Secondary assessment (THCS, THPT) under the legacy Quy chế đánh giá, xếp loại học sinh THCS và
 * THPT of Thông tư 58/2011/TT-BGDĐT, as amended by Thông tư 26/2020/TT-BGDĐT: the rules of every
 * grade and year before TT22/2021 reached it (rule-sets.ts), so imported records show and recompute
 * as they were made. Written out in shared/research/domain-vn.md §1b; article numbers are those of
 * the Quy chế (the regulation attached to TT58), checked against its full text. The tests
 * (tt58.test.ts) cite the same articles with the boundaries.
 *
 * Marks are whole tenths (marks.ts) and every average is rounded once, half up, with integers.
 */
import { roundHalfUpRatio, weightedAverage, type Tenths } from './marks.js';
import { incomplete, ok, reasonsOf, type Outcome } from './outcome.js';

// ---------------------------------------------------------------------------------------------
// Hạnh kiểm (Điều 3, 4)

/** Hạnh kiểm (Điều 3 khoản 2): four levels, per term and for the year. */
export type Conduct = 'tot' | 'kha' | 'trung_binh' | 'yeu';

export const CONDUCT_LABELS: Record<Conduct, string> = { tot: 'Tốt', kha: 'Khá', trung_binh: 'Trung bình', yeu: 'Yếu' };

const CONDUCT_RANK: Record<Conduct, number> = { yeu: 0, trung_binh: 1, kha: 2, tot: 3 };
export const conductAtLeast = (conduct: Conduct, floor: Conduct): boolean => CONDUCT_RANK[conduct] >= CONDUCT_RANK[floor];

/**
 * Điều 3 khoản 2: the year's conduct "chủ yếu căn cứ vào xếp loại hạnh kiểm học kì II và sự tiến
 * bộ của học sinh" — a judgement of the homeroom teacher, not a table. The suggestion offered to
 * the teacher is the term II rating; the teacher may set another for the student's progress.
 */
export function suggestedYearConduct(term2: Conduct): Conduct {
  return term2;
}

export type YearConduct = { conduct: Conduct; source: 'teacher' | 'suggested_from_term2' };

export const YEAR_CONDUCT_SOURCE_LABELS: Record<YearConduct['source'], string> = {
  teacher: 'Do giáo viên chủ nhiệm xếp loại',
  suggested_from_term2: 'Gợi ý theo hạnh kiểm học kì II (giáo viên chủ nhiệm chưa xếp loại cả năm)',
};

/**
 * Điều 3 khoản 2 and Điều 20 khoản 3: the year's conduct is what the homeroom teacher set; until
 * then, the suggestion (term II), marked as such so it is shown as a suggestion, not a rating.
 */
export function yearConduct(input: { term2: Conduct | null; teacherYear?: Conduct | null }): Outcome<YearConduct> {
  if (input.teacherYear) return ok({ conduct: input.teacherYear, source: 'teacher' });
  if (input.term2) return ok({ conduct: suggestedYearConduct(input.term2), source: 'suggested_from_term2' });
  return incomplete(['chưa xếp loại hạnh kiểm học kì II']);
}

// ---------------------------------------------------------------------------------------------
// Tests per term and the subject averages (Điều 7, 8, 10; Điều 8 and 10 as amended by TT26/2020)

/**
 * The term-average formula: the original Điều 10 (KTtx ×1, every test of one period or more ×2,
 * the semester test ×3) or Điều 10 as amended by TT26/2020 (ĐĐGtx ×1, the one mid-term ĐĐGgk ×2,
 * the end-of-term ĐĐGck ×3). The arithmetic is the same weighted mean; TT26 allows exactly one
 * mid-term mark and names the marks differently.
 */
export type Tt58TermFormula = 'tt58_2011' | 'tt26_2020';

export const TT58_TERM_FORMULA_LABELS: Record<Tt58TermFormula, string> = {
  tt58_2011: 'ĐTBmhk theo Thông tư 58/2011 (KTtx ×1, KTđk ×2, KThk ×3)',
  tt26_2020: 'ĐTBmhk theo Thông tư 26/2020 (ĐĐGtx ×1, ĐĐGgk ×2, ĐĐGck ×3)',
};

/** TT26/2020 took effect on 11/10/2020 and applied from the 2020-2021 school year. */
export const TT26_FROM_START_YEAR = 2020;

/** The formula a school year used: before 2020-2021 the original TT58 one, from then TT26's. */
export function termFormulaFor(schoolYearStart: number): Tt58TermFormula {
  return schoolYearStart >= TT26_FROM_START_YEAR ? 'tt26_2020' : 'tt58_2011';
}

/**
 * Điều 8 khoản 2 (original text): the least number of regular tests (KTtx) per term from the
 * subject's periods per week — 1 or fewer → 2; more than 1 and fewer than 3 → 3; 3 or more → 4.
 * The principal of a THPT chuyên may add tests for the chuyên subject (khoản 3).
 */
export function minimumRegularTests(periodsPerWeek: number): number {
  if (!(periodsPerWeek > 0)) throw new RangeError(`periods per week must be positive (got ${periodsPerWeek})`);
  return periodsPerWeek <= 1 ? 2 : periodsPerWeek < 3 ? 3 : 4;
}

/**
 * Điều 8 khoản 2 from periods per year, at 35 weeks a year: periods/35 ≤ 1 → 2, < 3 → 3, else 4
 * (compared without dividing: ≤ 35 → 2, < 105 → 3, ≥ 105 → 4).
 */
export function minimumRegularTestsFromPeriodsPerYear(periodsPerYear: number): number {
  if (!(periodsPerYear > 0)) throw new RangeError(`periods per year must be positive (got ${periodsPerYear})`);
  return periodsPerYear <= 35 ? 2 : periodsPerYear < 105 ? 3 : 4;
}

/**
 * Điều 8 as amended by TT26/2020: regular assessments (ĐĐGtx) per term from periods per year —
 * 35 or fewer → 2, over 35 up to 70 → 3, over 70 → 4 — and one ĐĐGgk and one ĐĐGck. It differs from
 * the per-week count for 71–104 periods a year (2 to 3 a week): 4 here, 3 under the original text.
 */
export function tt26RegularAssessments(periodsPerYear: number): number {
  if (!(periodsPerYear > 0)) throw new RangeError(`periods per year must be positive (got ${periodsPerYear})`);
  return periodsPerYear <= 35 ? 2 : periodsPerYear <= 70 ? 3 : 4;
}

/** What each kind of mark is called under each formula, for the reasons shown to the teacher. */
const NAMES: Record<Tt58TermFormula, { regular: string; periodic: string; semester: string }> = {
  tt58_2011: { regular: 'bài kiểm tra thường xuyên', periodic: 'bài kiểm tra định kì', semester: 'bài kiểm tra học kì' },
  tt26_2020: { regular: 'lần đánh giá thường xuyên', periodic: 'đánh giá giữa kì', semester: 'đánh giá cuối kì' },
};

/**
 * One term of a scored subject as entered (null = empty cell): `regular` are the KTtx / ĐĐGtx
 * marks, `periodic` the tests of one period or more other than the semester test (KTđk, TT58) or
 * the one mid-term (ĐĐGgk, TT26), `semester` the semester test (KThk) or end-of-term assessment
 * (ĐĐGck).
 */
export type Tt58ScoredTermMarks = { regular: ReadonlyArray<Tenths | null>; periodic: ReadonlyArray<Tenths | null>; semester: Tenths | null };

export type Tt58TermContext = {
  /** Start year of the school year (2019 for 2019-2020): chooses the formula unless `formula` says. */
  schoolYearStart: number;
  formula?: Tt58TermFormula;
  /** Least number of regular marks (minimumRegularTests, or tt26RegularAssessments from 2020-2021). */
  requiredRegular: number;
  /**
   * Tests of one period or more the teaching plan set for the term (Điều 8 khoản 1, TT58 formula;
   * default 1). Under TT26 there is exactly one ĐĐGgk and this is ignored.
   */
  requiredPeriodic?: number;
};

function missingCount(have: number, required: number, what: string): string {
  return `thiếu ${required - have} ${what} (có ${have}/${required})`;
}

/** The reasons a term's tests are incomplete, or the present marks when they are all there. */
function checkTermTests<M>(
  tests: { regular: ReadonlyArray<M | null>; periodic: ReadonlyArray<M | null>; semester: M | null },
  context: Tt58TermContext,
): { formula: Tt58TermFormula; reasons: string[]; regular: M[]; periodic: M[] } {
  const formula = context.formula ?? termFormulaFor(context.schoolYearStart);
  const names = NAMES[formula];
  const regular = tests.regular.filter((m): m is M => m !== null);
  const periodic = tests.periodic.filter((m): m is M => m !== null);
  const reasons: string[] = [];
  if (regular.length < context.requiredRegular) reasons.push(missingCount(regular.length, context.requiredRegular, names.regular));
  if (formula === 'tt26_2020') {
    if (periodic.length === 0) reasons.push(`thiếu ${names.periodic}`);
    if (periodic.length > 1) reasons.push(`theo Thông tư 26/2020 mỗi học kì chỉ có một ${names.periodic} (đang có ${periodic.length})`);
  } else {
    const required = context.requiredPeriodic ?? 1;
    if (periodic.length < required) reasons.push(missingCount(periodic.length, required, names.periodic));
  }
  if (tests.semester === null) reasons.push(`thiếu ${names.semester}`);
  return { formula, reasons, regular, periodic };
}

/**
 * Điều 10 khoản 1 điểm a, c: the term average of a scored subject, one decimal, half up.
 * - Before 2020-2021 (original text): ĐTBmhk = (TĐKTtx + 2·TĐKTđk + 3·ĐKThk) / (số KTtx + 2·số KTđk + 3).
 * - From 2020-2021 (as amended by TT26/2020): ĐTBmhk = (TĐĐGtx + 2·ĐĐGgk + 3·ĐĐGck) / (số ĐĐGtx + 5),
 *   i.e. (ΣĐĐGtx + 2·ΣĐĐGgk + 3·ĐĐGck) / (số ĐĐGtx + 2·số ĐĐGgk + 3) with exactly one ĐĐGgk.
 * Needs the required number of each kind of mark and the semester mark; a test not taken is made
 * up or entered as 0 by the teacher (Điều 8 khoản 5), never assumed here. Marks beyond the
 * minimum count, with their number in the divisor.
 */
export function tt58TermAverage(marks: Tt58ScoredTermMarks, context: Tt58TermContext): Outcome<Tenths> {
  const { reasons, regular, periodic } = checkTermTests(marks, context);
  if (reasons.length > 0 || marks.semester === null) return incomplete(reasons);
  return ok(
    weightedAverage([
      ...regular.map((tenths) => ({ tenths, weight: 1 })),
      ...periodic.map((tenths) => ({ tenths, weight: 2 })),
      { tenths: marks.semester, weight: 3 },
    ]),
  );
}

/** Điều 10 khoản 1 điểm b, c: ĐTBmcn = (ĐTBmhkI + 2·ĐTBmhkII) / 3 from the two rounded term averages. */
export function tt58YearAverage(term1: Outcome<Tenths>, term2: Outcome<Tenths>): Outcome<Tenths> {
  const reasons = [...(term1.status === 'incomplete' ? ['học kì I chưa có điểm trung bình'] : []), ...(term2.status === 'incomplete' ? ['học kì II chưa có điểm trung bình'] : [])];
  if (term1.status !== 'ok' || term2.status !== 'ok') return incomplete(reasons);
  return ok(roundHalfUpRatio(term1.value + 2 * term2.value, 3));
}

/**
 * Điều 10 khoản 3 and Điều 12 khoản 4: a subject taught in one term only, or a comment subject the
 * student was exempted from for one term, takes that term's result as the year's.
 */
export function yearFromOnlyTerm<T>(term: Outcome<T>): Outcome<T> {
  return term.status === 'ok' ? term : incomplete(['học kì duy nhất của môn chưa có kết quả']);
}

// ---------------------------------------------------------------------------------------------
// Comment subjects: Âm nhạc, Mỹ thuật, Thể dục (Điều 6 khoản 1 điểm a, Điều 10 khoản 2)

/** Đạt yêu cầu (Đ) / Chưa đạt yêu cầu (CĐ), for a test and for a term or year (Điều 6 khoản 1 điểm a). */
export type CommentMark = 'd' | 'cd';

export const COMMENT_MARK_LABELS: Record<CommentMark, string> = { d: 'Đạt yêu cầu', cd: 'Chưa đạt yêu cầu' };
/** How the gradebook and the học bạ write them. */
export const COMMENT_MARK_SHORT: Record<CommentMark, string> = { d: 'Đ', cd: 'CĐ' };

/** One term of a comment subject: the same three kinds of test as a scored subject, marked Đ / CĐ. */
export type Tt58CommentTermTests = { regular: ReadonlyArray<CommentMark | null>; periodic: ReadonlyArray<CommentMark | null>; semester: CommentMark | null };

/**
 * Điều 10 khoản 2 điểm a: a comment subject's term is Đ when the student has every required test
 * (Điều 8) and at least 2/3 of the tests are Đ, the semester test among them; otherwise CĐ. Every
 * test counts once (Điều 7 khoản 3 điểm b). Missing tests make the term incomplete, not CĐ, so the
 * teacher sees what to enter (a test not made up is entered as CĐ, Điều 8 khoản 5).
 */
export function commentSubjectTerm(tests: Tt58CommentTermTests, context: Tt58TermContext): Outcome<CommentMark> {
  const { reasons, regular, periodic } = checkTermTests(tests, context);
  if (reasons.length > 0 || tests.semester === null) return incomplete(reasons);
  const all = [...regular, ...periodic, tests.semester];
  const passed = all.filter((t) => t === 'd').length;
  // passed / all ≥ 2/3, in integers
  return ok(tests.semester === 'd' && 3 * passed >= 2 * all.length ? 'd' : 'cd');
}

/** Điều 10 khoản 2 điểm b: the year is Đ exactly when term II is Đ (term I does not matter). */
export function commentSubjectYear(term2: Outcome<CommentMark>): Outcome<CommentMark> {
  return term2.status === 'ok' ? term2 : incomplete(['học kì II chưa được xếp loại']);
}

// ---------------------------------------------------------------------------------------------
// Học lực (Điều 5 khoản 2, Điều 11, Điều 13)

/** Học lực (Điều 5 khoản 2): five ranks, per term and for the year. */
export type AcademicRank = 'gioi' | 'kha' | 'trung_binh' | 'yeu' | 'kem';

export const ACADEMIC_RANK_LABELS: Record<AcademicRank, string> = { gioi: 'Giỏi', kha: 'Khá', trung_binh: 'Trung bình', yeu: 'Yếu', kem: 'Kém' };

const ACADEMIC_RANK: Record<AcademicRank, number> = { kem: 0, yeu: 1, trung_binh: 2, kha: 3, gioi: 4 };
export const academicRankAtLeast = (rank: AcademicRank, floor: AcademicRank): boolean => ACADEMIC_RANK[rank] >= ACADEMIC_RANK[floor];

/**
 * Điều 11: ĐTBhk (ĐTBcn) is the plain mean of the term (year) averages of the scored subjects —
 * no subject counts double — one decimal, half up (khoản 3). The year's is the mean of the
 * ĐTBmcn, not a mix of the two terms' ĐTBhk. Incomplete while any scored subject has no average,
 * or when there is none.
 */
export function overallAverage(scored: ReadonlyArray<{ subject: string; average: Outcome<Tenths> }>): Outcome<Tenths> {
  const reasons = reasonsOf(scored.map(({ subject, average }) => ({ label: subject, outcome: average })));
  if (reasons.length > 0) return incomplete(reasons);
  if (scored.length === 0) return incomplete(['không có môn học nào đánh giá bằng cho điểm']);
  const sum = scored.reduce((total, { average }) => total + (average.status === 'ok' ? average.value : 0), 0);
  return ok(roundHalfUpRatio(sum, scored.length));
}

/** A subject's term or year result as the rank reads it. */
export type Tt58SubjectResult =
  | { subject: string; kind: 'score'; average: Tenths }
  | { subject: string; kind: 'comment'; result: CommentMark }
  /** Miễn học cả năm (Điều 12 khoản 4): "không tham gia đánh giá, xếp loại học lực". */
  | { subject: string; kind: 'exempt' };

/**
 * The subjects Điều 13 names, by their name in the subject list: Toán and Ngữ văn ("1 trong 2
 * môn"), and for a student of a chuyên class of a THPT chuyên, the chuyên subject.
 */
export type Tt58KeySubjects = { mathematics: string; literature: string; specialised?: string };

export const DEFAULT_TT58_KEY_SUBJECTS: Tt58KeySubjects = { mathematics: 'Toán', literature: 'Ngữ văn' };

export type AcademicResult = {
  rank: AcademicRank;
  /** ĐTBhk or ĐTBcn (Điều 11). */
  overall: Tenths;
  /**
   * Set when Điều 13 khoản 6 raised the rank: the rank khoản 1–5 gave, the rank the overall average
   * reached (Giỏi or Khá), and the one subject that pulled it down.
   */
  adjusted?: { from: AcademicRank; reached: 'gioi' | 'kha'; because: string };
};

/** Điều 13 khoản 1–3: per rank, the overall, Toán-or-Ngữ văn and chuyên threshold, and the subject floor. */
const THRESHOLDS = {
  gioi: { overall: 80, floor: 65 },
  kha: { overall: 65, floor: 50 },
  trung_binh: { overall: 50, floor: 35 },
} as const;
type ThresholdRank = keyof typeof THRESHOLDS;

type RankInput = { overall: Tenths; scores: ReadonlyArray<{ subject: string; average: Tenths }>; comments: ReadonlyArray<{ subject: string; result: CommentMark }>; math: Tenths; literature: Tenths; specialised?: Tenths };

/**
 * Điều 13 khoản 1–3 điểm a: "điểm trung bình các môn học từ X trở lên, trong đó điểm trung bình
 * của 1 trong 2 môn Toán, Ngữ văn từ X trở lên; riêng … lớp chuyên … môn chuyên từ X trở lên".
 */
function overallReaches(r: RankInput, rank: ThresholdRank): boolean {
  const x = THRESHOLDS[rank].overall;
  return r.overall >= x && Math.max(r.math, r.literature) >= x && (r.specialised === undefined || r.specialised >= x);
}

/** Điều 13 khoản 1–3 điểm b, c: the subjects below the rank's floor, and the comment subjects CĐ. */
function subjectsBelow(r: RankInput, rank: ThresholdRank): string[] {
  const floor = THRESHOLDS[rank].floor;
  return [...r.scores.filter((s) => s.average < floor), ...r.comments.filter((c) => c.result === 'cd')].map((s) => s.subject);
}

/** Điều 13 khoản 1–5: the rank from the subjects' results alone. */
function rankOf(r: RankInput): AcademicRank {
  for (const rank of ['gioi', 'kha', 'trung_binh'] as const) {
    if (overallReaches(r, rank) && subjectsBelow(r, rank).length === 0) return rank;
  }
  // khoản 4: Yếu — ĐTB from 3,5, no subject below 2,0 (no Toán/Ngữ văn or comment-subject condition)
  if (r.overall >= 35 && r.scores.every((s) => s.average >= 20)) return 'yeu';
  return 'kem';
}

/**
 * Điều 13 khoản 6: "nếu ĐTBhk hoặc ĐTBcn đạt mức của từng loại quy định tại các khoản 1, 2 … nhưng
 * do kết quả của một môn học nào đó thấp hơn mức quy định cho loại đó nên học lực bị xếp thấp
 * xuống": Giỏi → Trung bình becomes Khá; Giỏi → Yếu becomes Trung bình; Khá → Yếu becomes Trung
 * bình; Khá → Kém becomes Yếu. "Đạt mức" is read as the whole điểm a (overall average with the
 * Toán-or-Ngữ văn and chuyên conditions); "một môn học" as exactly one subject below the rank's floor
 * or, for a comment subject, CĐ. A Giỏi average pulled to Kém meets the Khá case too (Khá → Kém),
 * so it becomes Yếu.
 */
const ADJUSTMENTS: Record<'gioi' | 'kha', Partial<Record<AcademicRank, AcademicRank>>> = {
  gioi: { trung_binh: 'kha', yeu: 'trung_binh' },
  kha: { yeu: 'trung_binh', kem: 'yeu' },
};

function classify(r: RankInput): Omit<AcademicResult, 'overall'> {
  const rank = rankOf(r);
  for (const reached of ['gioi', 'kha'] as const) {
    const below = subjectsBelow(r, reached);
    const to = ADJUSTMENTS[reached][rank];
    if (to && overallReaches(r, reached) && below.length === 1) return { rank: to, adjusted: { from: rank, reached, because: below[0] } };
  }
  return { rank };
}

/**
 * Điều 11 and Điều 13: học lực of a term or the year from every subject's result of that period.
 * Incomplete while any subject has no result (the reasons name the subjects), and when Toán,
 * Ngữ văn or the chuyên subject has no score among them — a name that does not match gives no
 * rank rather than a wrong one.
 */
export function academicResult(
  subjects: ReadonlyArray<{ subject: string; result: Outcome<Tt58SubjectResult> }>,
  keys: Tt58KeySubjects = DEFAULT_TT58_KEY_SUBJECTS,
): Outcome<AcademicResult> {
  const reasons = reasonsOf(subjects.map(({ subject, result }) => ({ label: subject, outcome: result })));
  if (reasons.length > 0) return incomplete(reasons);
  const results = subjects.flatMap(({ result }) => (result.status === 'ok' ? [result.value] : []));
  const scores = results.flatMap((s) => (s.kind === 'score' ? [{ subject: s.subject, average: s.average }] : []));
  const comments = results.flatMap((s) => (s.kind === 'comment' ? [{ subject: s.subject, result: s.result }] : []));
  const scoreOf = (name: string) => scores.find((s) => s.subject === name)?.average;
  const math = scoreOf(keys.mathematics);
  const literature = scoreOf(keys.literature);
  const specialised = keys.specialised === undefined ? undefined : scoreOf(keys.specialised);
  const missing = [keys.mathematics, keys.literature, ...(keys.specialised === undefined ? [] : [keys.specialised])].filter((name) => scoreOf(name) === undefined);
  if (missing.length > 0 || math === undefined || literature === undefined) {
    return incomplete(missing.map((name) => `${name}: không có điểm trung bình môn để xếp loại học lực`));
  }
  const overall = overallAverage(scores.map((s) => ({ subject: s.subject, average: ok(s.average) })));
  if (overall.status !== 'ok') return overall;
  return ok({ overall: overall.value, ...classify({ overall: overall.value, scores, comments, math, literature, specialised }) });
}

// ---------------------------------------------------------------------------------------------
// Lên lớp, kiểm tra lại, rèn luyện hạnh kiểm trong hè (Điều 15–17); danh hiệu (Điều 18)

export type Tt58Options = {
  /** Điều 15 khoản 1 điểm b, khoản 2 điểm a: at most this many sessions absent in the year, excused or not. */
  maxSessionsAbsent: number;
};

export const DEFAULT_TT58_OPTIONS: Tt58Options = { maxSessionsAbsent: 45 };

/** Where a student stands at the end of the year. */
export type Tt58YearStanding = {
  conduct: Conduct;
  rank: AcademicRank;
  /** Sessions (buổi) absent in the year, excused or not, continuous or not. */
  sessionsAbsent: number;
  /** Year results of every subject, to name the re-test subjects and to classify again after them. */
  subjects: ReadonlyArray<Tt58SubjectResult>;
};

export type Tt58PromotionDecision =
  | { outcome: 'promoted' }
  /** Điều 15 khoản 2: not promoted, with the reason shown to the school. */
  | { outcome: 'retained'; reason: string }
  /** Điều 16: re-test in some of these subjects (the student chooses), then học lực is classified again. */
  | { outcome: 'retest'; retestSubjects: string[] }
  /** Điều 17: conduct training over the summer, then conduct is rated again. */
  | { outcome: 'summer_conduct_training' };

export const TT58_PROMOTION_LABELS: Record<Tt58PromotionDecision['outcome'], string> = {
  promoted: 'Được lên lớp',
  retained: 'Ở lại lớp',
  retest: 'Kiểm tra lại',
  summer_conduct_training: 'Rèn luyện hạnh kiểm trong kì nghỉ hè',
};

/** Điều 16: the subjects a student may choose to re-test — ĐTBmcn below 5,0 or CĐ. */
export function tt58RetestSubjects(subjects: ReadonlyArray<Tt58SubjectResult>): string[] {
  return subjects.filter((s) => (s.kind === 'score' && s.average < 50) || (s.kind === 'comment' && s.result === 'cd')).map((s) => s.subject);
}

/**
 * Điều 15 (lên lớp / không được lên lớp), 16 (kiểm tra lại), 17 (rèn luyện hạnh kiểm trong hè).
 * - Over the absence limit: retained whatever the results (khoản 2 điểm a).
 * - Học lực Kém, or học lực and conduct both Yếu: retained (khoản 2 điểm b).
 * - Conduct from Trung bình and học lực Yếu: re-test (Điều 16).
 * - Học lực from Trung bình and conduct Yếu: summer conduct training (Điều 17).
 * - Both from Trung bình: promoted (khoản 1).
 */
export function tt58Promotion(s: Tt58YearStanding, options: Tt58Options = DEFAULT_TT58_OPTIONS): Tt58PromotionDecision {
  if (s.sessionsAbsent > options.maxSessionsAbsent) {
    return { outcome: 'retained', reason: `Nghỉ ${s.sessionsAbsent} buổi trong năm học, quá ${options.maxSessionsAbsent} buổi` };
  }
  if (s.rank === 'kem') return { outcome: 'retained', reason: 'Học lực cả năm loại Kém' };
  if (s.rank === 'yeu' && s.conduct === 'yeu') return { outcome: 'retained', reason: 'Học lực và hạnh kiểm cả năm đều loại Yếu' };
  if (s.rank === 'yeu') return { outcome: 'retest', retestSubjects: tt58RetestSubjects(s.subjects) };
  if (s.conduct === 'yeu') return { outcome: 'summer_conduct_training' };
  return { outcome: 'promoted' };
}

/** What happened over the summer: the conduct rated again, the re-test results by subject. */
export type Tt58SummerResults = {
  conduct?: Conduct;
  retests?: ReadonlyArray<{ subject: string; result: Tenths | CommentMark }>;
};

/**
 * After the summer. Điều 16: each re-test result replaces the subject's year result, ĐTBcn is
 * computed again and học lực classified again (Điều 13, the adjustments included); from Trung bình
 * the student is promoted, otherwise retained (Điều 15 khoản 2 điểm c). Điều 17: when the commune
 * confirms the summer task was done the conduct is rated again; from Trung bình promoted, still
 * Yếu retained (Điều 15 khoản 2 điểm d). A decision that was final stays as it was.
 */
export function tt58AfterSummer(
  s: Tt58YearStanding,
  summer: Tt58SummerResults,
  keys: Tt58KeySubjects = DEFAULT_TT58_KEY_SUBJECTS,
  options: Tt58Options = DEFAULT_TT58_OPTIONS,
): {
  decision: Tt58PromotionDecision;
  rank: AcademicRank;
  conduct: Conduct;
  /** What is still needed (or wrongly entered) before the summer can be decided. */
  missing?: string;
} {
  const before = tt58Promotion(s, options);
  const unchanged = { rank: s.rank, conduct: s.conduct };
  if (before.outcome === 'promoted' || before.outcome === 'retained') return { decision: before, ...unchanged };
  if (before.outcome === 'summer_conduct_training') {
    if (summer.conduct === undefined) return { decision: before, ...unchanged, missing: 'chưa có kết quả rèn luyện hạnh kiểm trong hè' };
    const conduct = summer.conduct;
    if (conductAtLeast(conduct, 'trung_binh')) return { decision: { outcome: 'promoted' }, rank: s.rank, conduct };
    return { decision: { outcome: 'retained', reason: 'Hạnh kiểm sau kì nghỉ hè vẫn loại Yếu' }, rank: s.rank, conduct };
  }
  const retests = new Map((summer.retests ?? []).map((r) => [r.subject, r.result]));
  if (retests.size === 0) return { decision: before, ...unchanged, missing: 'chưa có điểm kiểm tra lại' };
  const eligible = new Set(before.retestSubjects);
  const wrong = [...retests].flatMap(([subject, result]) => {
    if (!eligible.has(subject)) return [`${subject}: không thuộc các môn được kiểm tra lại`];
    const kind = s.subjects.find((x) => x.subject === subject)?.kind;
    if (kind === 'score' && typeof result !== 'number') return [`${subject}: kết quả kiểm tra lại là một điểm số`];
    if (kind === 'comment' && typeof result === 'number') return [`${subject}: kết quả kiểm tra lại là Đ hoặc CĐ`];
    return [];
  });
  if (wrong.length > 0) return { decision: before, ...unchanged, missing: wrong.join('; ') };
  const replaced = s.subjects.map((subject): Tt58SubjectResult => {
    const r = retests.get(subject.subject);
    if (r === undefined) return subject;
    if (subject.kind === 'score' && typeof r === 'number') return { ...subject, average: r };
    if (subject.kind === 'comment' && typeof r !== 'number') return { ...subject, result: r };
    return subject;
  });
  const again = academicResult(
    replaced.map((r) => ({ subject: r.subject, result: ok(r) })),
    keys,
  );
  if (again.status !== 'ok') return { decision: before, ...unchanged, missing: again.reasons.join('; ') };
  const rank = again.value.rank;
  if (academicRankAtLeast(rank, 'trung_binh')) return { decision: { outcome: 'promoted' }, rank, conduct: s.conduct };
  return { decision: { outcome: 'retained', reason: 'Học lực sau kiểm tra lại vẫn chưa đạt loại Trung bình' }, rank, conduct: s.conduct };
}

export type Tt58Title = 'hoc_sinh_gioi' | 'hoc_sinh_tien_tien';
export const TT58_TITLE_LABELS: Record<Tt58Title, string> = { hoc_sinh_gioi: 'Học sinh giỏi', hoc_sinh_tien_tien: 'Học sinh tiên tiến' };

/**
 * Điều 18, for a term or the year: Học sinh giỏi — conduct Tốt and học lực Giỏi; Học sinh tiên
 * tiến — conduct and học lực both from Khá (and not Học sinh giỏi).
 */
export function tt58Title(conduct: Conduct, rank: AcademicRank): Tt58Title | null {
  if (conduct === 'tot' && rank === 'gioi') return 'hoc_sinh_gioi';
  if (conductAtLeast(conduct, 'kha') && academicRankAtLeast(rank, 'kha')) return 'hoc_sinh_tien_tien';
  return null;
}
