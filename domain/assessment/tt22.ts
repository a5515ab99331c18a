/**
 * Secondary assessment (THCS, THPT) under Thông tư 22/2021/TT-BGDĐT, as written out in
 * shared/research/domain-vn.md §1. Each function names the article it implements; the tests
 * (tt22.test.ts) cite the same articles with the boundaries.
 *
 * Points the circular leaves open are options (Tt22Options) with the most likely reading as the
 * default; docs/decisions/0016-assessment-rules.md lists them.
 */
import { roundHalfUpRatio, weightedAverage, type Tenths } from './marks.js';
import { incomplete, ok, reasonsOf, type Outcome } from './outcome.js';

/** Kết quả học tập / rèn luyện (Điều 8, 9): four levels. */
export type Level = 'tot' | 'kha' | 'dat' | 'chua_dat';
/** Môn học đánh giá bằng nhận xét (Điều 5 khoản 1): two levels. */
export type PassFail = 'dat' | 'chua_dat';

export const LEVEL_LABELS: Record<Level, string> = { tot: 'Tốt', kha: 'Khá', dat: 'Đạt', chua_dat: 'Chưa đạt' };
export const PASS_FAIL_LABELS: Record<PassFail, string> = { dat: 'Đạt', chua_dat: 'Chưa đạt' };

const RANK: Record<Level, number> = { chua_dat: 0, dat: 1, kha: 2, tot: 3 };
const BY_RANK: Level[] = ['chua_dat', 'dat', 'kha', 'tot'];
export const levelAtLeast = (level: Level, floor: Level): boolean => RANK[level] >= RANK[floor];

export type Tt22Options = {
  /**
   * Điều 9 khoản 3 raises a result that one subject pulled down two or more levels "lên mức liền
   * kề". Read as the level next above the one reached ('next-above-reached', the TT58 precedent:
   * Giỏi pulled to Yếu became TB) or as the level just below the one the student would have
   * reached ('next-below-expected'). They differ only when one subject pulls Tốt down to Chưa đạt.
   */
  oneSubjectAdjustment: 'next-above-reached' | 'next-below-expected';
  /** Điều 12 khoản 1 điểm c: at most this many sessions absent in the year, excused or not. */
  maxSessionsAbsent: number;
};

export const DEFAULT_TT22_OPTIONS: Tt22Options = { oneSubjectAdjustment: 'next-above-reached', maxSessionsAbsent: 45 };

/**
 * Điều 6 khoản 3: regular assessments (ĐĐGtx) per term from the subject's periods per year —
 * 35 → 2, over 35 up to 70 → 3, over 70 → 4 — for scored and comment subjects alike; in THPT each
 * topic cluster (cụm chuyên đề học tập) taught in the term adds one.
 */
export function requiredRegularAssessments(periodsPerYear: number, topicClusters = 0): number {
  if (!(periodsPerYear > 0)) throw new RangeError(`periods per year must be positive (got ${periodsPerYear})`);
  const base = periodsPerYear <= 35 ? 2 : periodsPerYear <= 70 ? 3 : 4;
  return base + topicClusters;
}

/** One term of a scored subject as entered: regular marks in order (null = empty cell). */
export type ScoredTermMarks = { regular: ReadonlyArray<Tenths | null>; midterm: Tenths | null; final: Tenths | null };

const missingRegular = (have: number, required: number) => `thiếu ${required - have} điểm đánh giá thường xuyên (có ${have}/${required})`;

/**
 * Điều 9 khoản 1 điểm b: ĐTBmhk = (ΣĐĐGtx + 2·ĐĐGgk + 3·ĐĐGck) / (số ĐĐGtx + 5), one decimal,
 * half up. Needs the required number of regular marks, the mid-term and the end-of-term mark; a
 * mark not taken is made up (Điều 6 khoản 4) or entered as 0 by the teacher, never assumed here.
 * More regular marks than required count with their number in the divisor.
 */
export function scoredTermAverage(marks: ScoredTermMarks, requiredRegular: number): Outcome<Tenths> {
  const regular = marks.regular.filter((m): m is Tenths => m !== null);
  const reasons: string[] = [];
  if (regular.length < requiredRegular) reasons.push(missingRegular(regular.length, requiredRegular));
  if (marks.midterm === null) reasons.push('thiếu điểm giữa kì');
  if (marks.final === null) reasons.push('thiếu điểm cuối kì');
  if (reasons.length > 0 || marks.midterm === null || marks.final === null) return incomplete(reasons);
  return ok(
    weightedAverage([...regular.map((tenths) => ({ tenths, weight: 1 })), { tenths: marks.midterm, weight: 2 }, { tenths: marks.final, weight: 3 }]),
  );
}

/** Điều 9 khoản 1 điểm b: ĐTBmcn = (ĐTBmhkI + 2·ĐTBmhkII) / 3 from the two rounded term averages. */
export function scoredYearAverage(term1: Outcome<Tenths>, term2: Outcome<Tenths>): Outcome<Tenths> {
  const reasons = [...(term1.status === 'incomplete' ? ['học kì I chưa có điểm trung bình'] : []), ...(term2.status === 'incomplete' ? ['học kì II chưa có điểm trung bình'] : [])];
  if (term1.status !== 'ok' || term2.status !== 'ok') return incomplete(reasons);
  return ok(roundHalfUpRatio(term1.value + 2 * term2.value, 3));
}

/** One term of a comment subject: regular, mid-term and end-of-term assessments, Đạt / Chưa đạt. */
export type CommentTermAssessments = { regular: ReadonlyArray<PassFail | null>; midterm: PassFail | null; final: PassFail | null };

/**
 * Điều 9 khoản 1 điểm a: a comment subject's term is Đạt when every required assessment was made
 * and every one is Đạt; otherwise Chưa đạt. Missing assessments make the term incomplete rather
 * than Chưa đạt, so the teacher sees what to enter.
 */
export function commentTermResult(a: CommentTermAssessments, requiredRegular: number): Outcome<PassFail> {
  const regular = a.regular.filter((m): m is PassFail => m !== null);
  const reasons: string[] = [];
  if (regular.length < requiredRegular) reasons.push(missingRegular(regular.length, requiredRegular).replace('điểm', 'lần'));
  if (a.midterm === null) reasons.push('thiếu đánh giá giữa kì');
  if (a.final === null) reasons.push('thiếu đánh giá cuối kì');
  if (reasons.length > 0) return incomplete(reasons);
  return ok([...regular, a.midterm, a.final].every((r) => r === 'dat') ? 'dat' : 'chua_dat');
}

/** Điều 9 khoản 1 điểm a: a comment subject's year result is its term II result. */
export function commentYearResult(term2: Outcome<PassFail>): Outcome<PassFail> {
  return term2.status === 'ok' ? term2 : incomplete(['học kì II chưa được đánh giá']);
}

/** A subject's term or year result as the learning result reads it. */
export type SubjectResult =
  | { subject: string; kind: 'score'; average: Tenths }
  | { subject: string; kind: 'comment'; result: PassFail }
  /** Miễn học (Điều 11): not assessed; the learning result stands on the other subjects. */
  | { subject: string; kind: 'exempt' };

export type LearningResult = {
  level: Level;
  /** Set when Điều 9 khoản 3 raised the level: what the rules of khoản 2 gave, and the one subject. */
  adjusted?: { from: Level; because: string };
};

/** Điều 9 khoản 2: the level from the subjects' results alone. */
export function learningLevel(subjects: ReadonlyArray<SubjectResult>): Level {
  const scores = subjects.flatMap((s) => (s.kind === 'score' ? [s.average] : []));
  const comments = subjects.flatMap((s) => (s.kind === 'comment' ? [s.result] : []));
  const atLeast = (floor: Tenths) => scores.filter((s) => s >= floor).length;
  const commentsFailed = comments.filter((c) => c === 'chua_dat').length;
  if (commentsFailed === 0 && scores.every((s) => s >= 65) && atLeast(80) >= 6) return 'tot';
  if (commentsFailed === 0 && scores.every((s) => s >= 50) && atLeast(65) >= 6) return 'kha';
  if (commentsFailed <= 1 && atLeast(50) >= 6 && scores.every((s) => s >= 35)) return 'dat';
  return 'chua_dat';
}

/** The floor a subject must reach for the student to hold a level (Điều 9 khoản 2 điểm a, b). */
const FLOOR_FOR: Partial<Record<Level, Tenths>> = { tot: 65, kha: 50 };

/**
 * The level (Tốt or Khá) the student would have reached had one subject reached that level's floor
 * (6,5 / 5,0; Đạt for a comment subject), and that subject; null when no single subject explains it.
 * "Chỉ do kết quả đánh giá của duy nhất 01 môn học": the other subjects must meet the level on
 * their own, the count of subjects at 8,0 / 6,5 included.
 */
function levelButForOneSubject(subjects: ReadonlyArray<SubjectResult>): { level: Level; subject: string } | null {
  for (const level of ['tot', 'kha'] as const) {
    const floor = FLOOR_FOR[level] ?? 0;
    const below = subjects.filter((s) => (s.kind === 'score' && s.average < floor) || (s.kind === 'comment' && s.result === 'chua_dat'));
    if (below.length !== 1) continue;
    const [culprit] = below;
    const raised = subjects.map((s): SubjectResult => {
      if (s !== culprit) return s;
      return s.kind === 'score' ? { ...s, average: floor } : { subject: s.subject, kind: 'comment', result: 'dat' };
    });
    if (learningLevel(raised) === level) return { level, subject: culprit.subject };
  }
  return null;
}

/**
 * Điều 9 khoản 2 and 3: the learning result of a term or the year from every subject's result of
 * that period. Incomplete while any subject has no result (the reasons name the subjects).
 */
export function learningResult(
  subjects: ReadonlyArray<{ subject: string; result: Outcome<SubjectResult> }>,
  options: Tt22Options = DEFAULT_TT22_OPTIONS,
): Outcome<LearningResult> {
  const reasons = reasonsOf(subjects.map(({ subject, result }) => ({ label: subject, outcome: result })));
  if (reasons.length > 0) return incomplete(reasons);
  const results = subjects.flatMap(({ result }) => (result.status === 'ok' ? [result.value] : []));
  const reached = learningLevel(results);
  const butFor = levelButForOneSubject(results);
  if (!butFor || RANK[butFor.level] - RANK[reached] < 2) return ok({ level: reached });
  const level = options.oneSubjectAdjustment === 'next-above-reached' ? BY_RANK[RANK[reached] + 1] : BY_RANK[RANK[butFor.level] - 1];
  return ok({ level, adjusted: { from: reached, because: butFor.subject } });
}

/**
 * Điều 8 khoản 2 điểm b: the year's training result from the two terms' (set by the homeroom
 * teacher, Điều 8 khoản 2 điểm a).
 */
export function trainingYearResult(term1: Level, term2: Level): Level {
  switch (term2) {
    case 'tot':
      return levelAtLeast(term1, 'kha') ? 'tot' : 'kha';
    case 'kha':
      return levelAtLeast(term1, 'dat') ? 'kha' : 'dat';
    case 'dat':
      return term1 === 'tot' ? 'kha' : 'dat';
    case 'chua_dat':
      return 'chua_dat';
  }
}

/** Where a student stands at the end of the year (Điều 12–14). */
export type YearStanding = {
  training: Level;
  learning: Level;
  /** Sessions (buổi) absent in the year, excused or not, continuous or not. */
  sessionsAbsent: number;
  /** Year results of every subject, to name the re-test subjects. */
  subjects: ReadonlyArray<SubjectResult>;
};

export type PromotionDecision =
  | { outcome: 'promoted' }
  /** Điều 12 khoản 2: not promoted, with the reason shown to the school. */
  | { outcome: 'retained'; reason: string }
  /** Điều 13: re-test in (some of) these subjects, then the year is classified again. */
  | { outcome: 'retest'; retestSubjects: string[] }
  /** Điều 14: summer training; `thenRetest` when learning is Chưa đạt too. */
  | { outcome: 'summer_training'; thenRetest: boolean; retestSubjects: string[] };

export const PROMOTION_LABELS: Record<PromotionDecision['outcome'], string> = {
  promoted: 'Được lên lớp',
  retained: 'Ở lại lớp',
  retest: 'Kiểm tra lại',
  summer_training: 'Rèn luyện trong kì nghỉ hè',
};

/** Điều 13 khoản 1: the subjects a student may re-test — ĐTBmcn below 5,0 or Chưa đạt. */
export function retestSubjects(subjects: ReadonlyArray<SubjectResult>): string[] {
  return subjects.filter((s) => (s.kind === 'score' && s.average < 50) || (s.kind === 'comment' && s.result === 'chua_dat')).map((s) => s.subject);
}

/**
 * Điều 12 (lên lớp), 13 (kiểm tra lại), 14 (rèn luyện trong hè). Over the absence limit: retained
 * whatever the results. Training Chưa đạt: summer training first, and when learning is Chưa đạt
 * too, the re-test after it (the Ministry's reading of how the articles combine, domain-vn §1).
 */
export function promotionDecision(s: YearStanding, options: Tt22Options = DEFAULT_TT22_OPTIONS): PromotionDecision {
  if (s.sessionsAbsent > options.maxSessionsAbsent) {
    return { outcome: 'retained', reason: `Nghỉ ${s.sessionsAbsent} buổi trong năm học, quá ${options.maxSessionsAbsent} buổi` };
  }
  const learningOk = levelAtLeast(s.learning, 'dat');
  if (s.training === 'chua_dat') return { outcome: 'summer_training', thenRetest: !learningOk, retestSubjects: learningOk ? [] : retestSubjects(s.subjects) };
  if (!learningOk) return { outcome: 'retest', retestSubjects: retestSubjects(s.subjects) };
  return { outcome: 'promoted' };
}

/** What happened over the summer: the re-rated training, the re-test results by subject. */
export type SummerResults = {
  training?: Level;
  retests?: ReadonlyArray<{ subject: string; result: Tenths | PassFail }>;
};

/**
 * Điều 13 khoản 2 and Điều 14 khoản 2: after the summer, a re-test result replaces the subject's
 * year result and the year's learning result is classified again (Điều 9 khoản 2–3); summer
 * training is re-rated. Promoted when both reach Đạt; otherwise retained. Absence over the limit
 * was already final.
 */
export function afterSummer(
  s: YearStanding,
  summer: SummerResults,
  options: Tt22Options = DEFAULT_TT22_OPTIONS,
): { decision: PromotionDecision; learning: Level; training: Level; missing?: string } {
  const before = promotionDecision(s, options);
  if (before.outcome === 'promoted' || before.outcome === 'retained') return { decision: before, learning: s.learning, training: s.training };
  const training = before.outcome === 'summer_training' ? summer.training : s.training;
  if (training === undefined) return { decision: before, learning: s.learning, training: s.training, missing: 'chưa có kết quả rèn luyện trong hè' };
  if (!levelAtLeast(training, 'dat')) {
    return { decision: { outcome: 'retained', reason: 'Kết quả rèn luyện sau kì nghỉ hè vẫn Chưa đạt' }, learning: s.learning, training };
  }
  if (levelAtLeast(s.learning, 'dat')) return { decision: { outcome: 'promoted' }, learning: s.learning, training };
  const retests = new Map((summer.retests ?? []).map((r) => [r.subject, r.result]));
  if (retests.size === 0) return { decision: before, learning: s.learning, training, missing: 'chưa có điểm kiểm tra lại' };
  const replaced = s.subjects.map((subject): SubjectResult => {
    const r = retests.get(subject.subject);
    if (r === undefined || subject.kind === 'exempt') return subject;
    return subject.kind === 'score' ? { ...subject, average: r as Tenths } : { ...subject, result: r as PassFail };
  });
  const again = learningResult(replaced.map((r) => ({ subject: r.subject, result: ok(r) })), options);
  const learning = again.status === 'ok' ? again.value.level : 'chua_dat';
  if (levelAtLeast(learning, 'dat')) return { decision: { outcome: 'promoted' }, learning, training };
  return { decision: { outcome: 'retained', reason: 'Kết quả học tập sau kiểm tra lại vẫn Chưa đạt' }, learning, training };
}

/**
 * What came of the summer as the học bạ writes it in "Kết quả kiểm tra lại / rèn luyện trong kì
 * nghỉ hè" and the class lists show it: promoted after the re-test or the summer training, or
 * retained with the reason `afterSummer` gave.
 */
export function afterSummerText(before: 'retest' | 'summer_training', decision: { outcome: 'promoted' } | { outcome: 'retained'; reason: string }, thenRetest = false): string {
  if (decision.outcome === 'retained') return `Ở lại lớp: ${decision.reason}`;
  if (before === 'retest') return 'Được lên lớp sau kiểm tra lại';
  return thenRetest ? 'Được lên lớp sau rèn luyện trong kì nghỉ hè và kiểm tra lại' : 'Được lên lớp sau rèn luyện trong kì nghỉ hè';
}

export type Award = 'xuat_sac' | 'gioi';
export const AWARD_LABELS: Record<Award, string> = { xuat_sac: 'Học sinh Xuất sắc', gioi: 'Học sinh Giỏi' };

/**
 * Điều 15 khoản 1: Học sinh Xuất sắc — training and learning Tốt for the year and at least six
 * subjects with ĐTBmcn ≥ 9,0; Học sinh Giỏi — training and learning Tốt.
 */
export function yearAward(training: Level, learning: Level, subjects: ReadonlyArray<SubjectResult>): Award | null {
  if (training !== 'tot' || learning !== 'tot') return null;
  const atNine = subjects.filter((s) => s.kind === 'score' && s.average >= 90).length;
  return atNine >= 6 ? 'xuat_sac' : 'gioi';
}
