/**
 * A student's term and year results under TT22/2021, put together from the gradebook: each
 * subject's term result from its cells, the year's from the two terms, then the learning result,
 * the training result, promotion and award. The rules themselves are in tt22.ts; this file only
 * composes them, so the term close on the server and the homeroom view in the browser agree.
 */
import { tt22RowSummary, type CellValue } from './gradebook-grid.js';
import type { Tenths } from './marks.js';
import { incomplete, ok, type Outcome } from './outcome.js';
import {
  commentYearResult,
  learningResult,
  promotionDecision,
  scoredYearAverage,
  trainingYearResult,
  yearAward,
  type Award,
  type LearningResult,
  type Level,
  type PassFail,
  type PromotionDecision,
  type SubjectResult,
  type Tt22Options,
  DEFAULT_TT22_OPTIONS,
} from './tt22.js';

/** One subject of a student's term: its cells, or a result carried from another school (a transfer). */
export type SubjectTermInput = {
  code: string;
  name: string;
  assessment: 'score' | 'comment';
  requiredRegular: number;
  cells: Readonly<Record<string, CellValue | null | undefined>>;
  /** The term result the old school sent, used when this school has no cells for the term. */
  carried?: { kind: 'score'; average: Tenths } | { kind: 'comment'; result: PassFail };
  exempt?: boolean;
};

export type SubjectOutcome = { code: string; name: string; result: Outcome<SubjectResult> };

/** Điều 9 khoản 1: one subject's term result, from the cells (or the carried result). */
export function subjectTermResult(s: SubjectTermInput): SubjectOutcome {
  if (s.exempt) return { code: s.code, name: s.name, result: ok({ subject: s.name, kind: 'exempt' }) };
  const hasCells = Object.values(s.cells).some((v) => v !== null && v !== undefined && v.kind !== 'comment');
  if (!hasCells && s.carried) {
    const c = s.carried;
    return { code: s.code, name: s.name, result: ok(c.kind === 'score' ? { subject: s.name, kind: 'score', average: c.average } : { subject: s.name, kind: 'comment', result: c.result }) };
  }
  const { outcome } = tt22RowSummary(s.assessment, s.requiredRegular, s.cells);
  if (outcome.status !== 'ok') return { code: s.code, name: s.name, result: outcome };
  const v = outcome.value;
  return {
    code: s.code,
    name: s.name,
    result: ok(typeof v === 'number' ? { subject: s.name, kind: 'score', average: v } : { subject: s.name, kind: 'comment', result: v }),
  };
}

const isExempt = (r: Outcome<SubjectResult>) => r.status === 'ok' && r.value.kind === 'exempt';

/**
 * A subject exempt in one term only (miễn học, TT22/2021 Điều 11, e.g. GDTC after an illness in
 * term II): the year's result is the other term's result, as it stands. TT22 does not spell out
 * a one-term exemption; this is the project's reading, after TT58/2011 Điều 12 khoản 4 (the
 * legacy circular's exemption article, which the project takes as the precedent): the ĐTBmcn
 * formula (ĐTBmhkI + 2·ĐTBmhkII) / 3 needs both terms, so the one term assessed stands for the
 * year. Exempt both terms (or the whole year): the year is exempt too, and the learning result
 * stands on the other subjects (Điều 11). Not verified against a Ministry answer: revisit if one
 * says otherwise (docs/decisions/0016-assessment-rules.md).
 * Null when neither term is exempt (the ordinary rules apply).
 */
export function yearResultWithExemptTerm(term1: SubjectOutcome, term2: SubjectOutcome): SubjectOutcome | null {
  const e1 = isExempt(term1.result);
  const e2 = isExempt(term2.result);
  if (!e1 && !e2) return null;
  const { code, name } = term2;
  if (e1 && e2) return { code, name, result: term2.result };
  const other = e1 ? term2 : term1;
  return { code, name, result: other.result.status === 'ok' ? other.result : incomplete(other.result.reasons) };
}

/** Điều 9 khoản 1: one subject's year result from its two term results. */
export function subjectYearResult(term1: SubjectOutcome, term2: SubjectOutcome): SubjectOutcome {
  const { code, name } = term2;
  const t1 = term1.result;
  const t2 = term2.result;
  const withExempt = yearResultWithExemptTerm(term1, term2);
  if (withExempt) return withExempt;
  if (t2.status === 'ok' && t2.value.kind === 'comment') {
    const year = commentYearResult(ok(t2.value.result));
    return { code, name, result: year.status === 'ok' ? ok({ subject: name, kind: 'comment', result: year.value }) : year };
  }
  const score = (r: Outcome<SubjectResult>): Outcome<Tenths> =>
    r.status === 'ok' && r.value.kind === 'score' ? ok(r.value.average) : incomplete(r.status === 'incomplete' ? r.reasons : ['không có điểm trung bình']);
  if (t2.status === 'incomplete' && t1.status === 'ok' && t1.value.kind === 'comment') return { code, name, result: incomplete(['học kì II chưa được đánh giá']) };
  const year = scoredYearAverage(score(t1), score(t2));
  return { code, name, result: year.status === 'ok' ? ok({ subject: name, kind: 'score', average: year.value }) : year };
}

export type TermStanding = {
  subjects: SubjectOutcome[];
  learning: Outcome<LearningResult>;
  /** Set by the homeroom teacher (Điều 8 khoản 2); null until rated. */
  training: Level | null;
};

/** Điều 8–9: a term's results. */
export function termStanding(subjects: SubjectTermInput[], training: Level | null, options: Tt22Options = DEFAULT_TT22_OPTIONS): TermStanding {
  const outcomes = subjects.map(subjectTermResult);
  return { subjects: outcomes, learning: learningResult(outcomes.map((o) => ({ subject: o.name, result: o.result })), options), training };
}

export type YearResults = {
  subjects: SubjectOutcome[];
  learning: Outcome<LearningResult>;
  training: Outcome<Level>;
  sessionsAbsent: number;
  /** Điều 12–14; incomplete while the learning or training result is. */
  promotion: Outcome<PromotionDecision>;
  award: Award | null;
};

/** Điều 8, 9, 12–15: the year's results from the two terms, the training ratings and the absences. */
export function yearResults(
  term1: TermStanding,
  term2: TermStanding,
  sessionsAbsent: number,
  options: Tt22Options = DEFAULT_TT22_OPTIONS,
): YearResults {
  const subjects = term2.subjects.map((s2) => {
    const s1 = term1.subjects.find((s) => s.code === s2.code) ?? { code: s2.code, name: s2.name, result: incomplete(['học kì I chưa có kết quả']) };
    return subjectYearResult(s1, s2);
  });
  const learning = learningResult(subjects.map((o) => ({ subject: o.name, result: o.result })), options);
  const training: Outcome<Level> =
    term1.training && term2.training
      ? ok(trainingYearResult(term1.training, term2.training))
      : incomplete([...(term1.training ? [] : ['chưa xếp loại rèn luyện học kì I']), ...(term2.training ? [] : ['chưa xếp loại rèn luyện học kì II'])]);
  const year = subjects.flatMap((s) => (s.result.status === 'ok' ? [s.result.value] : []));
  let promotion: Outcome<PromotionDecision>;
  if (sessionsAbsent > options.maxSessionsAbsent) {
    promotion = ok(promotionDecision({ training: 'tot', learning: 'tot', sessionsAbsent, subjects: year }, options));
  } else if (learning.status === 'ok' && training.status === 'ok') {
    promotion = ok(promotionDecision({ training: training.value, learning: learning.value.level, sessionsAbsent, subjects: year }, options));
  } else {
    promotion = incomplete([...(learning.status === 'incomplete' ? learning.reasons : []), ...(training.status === 'incomplete' ? training.reasons : [])]);
  }
  const award = learning.status === 'ok' && training.status === 'ok' ? yearAward(training.value, learning.value.level, year) : null;
  return { subjects, learning, training, sessionsAbsent, promotion, award };
}
