import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ok } from './outcome.js';
import {
  afterSummer,
  commentTermResult,
  commentYearResult,
  learningLevel,
  learningResult,
  promotionDecision,
  requiredRegularAssessments,
  retestSubjects,
  scoredTermAverage,
  scoredYearAverage,
  trainingYearResult,
  yearAward,
  type Level,
  type SubjectResult,
  type YearStanding,
} from './tt22.js';

const SCORED = ['Ngữ văn', 'Toán', 'Ngoại ngữ 1', 'GDCD', 'LS&ĐL', 'KHTN', 'Công nghệ', 'Tin học'];
const COMMENT = ['GDTC', 'Âm nhạc', 'Mĩ thuật', 'HĐTN-HN', 'GD địa phương'];

/** A grade-6 student: the eight scored subjects' averages (tenths) in order, comments all Đạt unless given. */
function student(averages: number[], commentFails: string[] = []): SubjectResult[] {
  return [
    ...averages.map((average, i): SubjectResult => ({ subject: SCORED[i], kind: 'score', average })),
    ...COMMENT.map((subject): SubjectResult => ({ subject, kind: 'comment', result: commentFails.includes(subject) ? 'chua_dat' : 'dat' })),
  ];
}
const classify = (subjects: SubjectResult[]) => learningResult(subjects.map((r) => ({ subject: r.subject, result: ok(r) })));
const levelOf = (subjects: SubjectResult[]) => {
  const r = classify(subjects);
  if (r.status !== 'ok') throw new Error(r.reasons.join('; '));
  return r.value;
};

describe('TT22/2021 Điều 6 khoản 3: regular assessments per term from periods per year', () => {
  it('35 → 2, over 35 to 70 → 3, over 70 → 4 (boundaries 35/36, 70/71)', () => {
    expect([35, 36, 52, 70, 71, 105, 140].map((p) => requiredRegularAssessments(p))).toEqual([2, 3, 3, 3, 4, 4, 4]);
  });
  it('a THPT topic cluster adds one regular assessment', () => {
    expect(requiredRegularAssessments(105, 1)).toBe(5);
  });
  it('periods must be positive', () => {
    expect(() => requiredRegularAssessments(0)).toThrow(RangeError);
  });
});

describe('TT22/2021 Điều 9 khoản 1 điểm b: ĐTBmhk = (ΣĐĐGtx + 2·ĐĐGgk + 3·ĐĐGck) / (n + 5), one decimal, half up', () => {
  it('6,45 rounds to 6,5 (tx 6; 6; 6,6 — gk 6 — ck 7: 51,6 / 8)', () => {
    expect(scoredTermAverage({ regular: [60, 60, 66], midterm: 60, final: 70 }, 3)).toEqual(ok(65));
  });
  it('8,25 rounds to 8,3 (tx 8; 8; 8 — gk 9 — ck 8: 66 / 8)', () => {
    expect(scoredTermAverage({ regular: [80, 80, 80], midterm: 90, final: 80 }, 3)).toEqual(ok(83));
  });
  it('exactly 5,0 where summing in binary floats gives 4,9499… → 4,9 (the 5,0 line of Khá and of the re-test)', () => {
    // tx 4,8; 4,1; 9,2 — gk 0,7 — ck 6,7: 39,6 / 8 = 4,95 exactly
    const floatSum = 4.8 + 4.1 + 9.2 + 2 * 0.7 + 3 * 6.7;
    expect(Math.round((floatSum / 8) * 10) / 10).toBe(4.9);
    expect(scoredTermAverage({ regular: [48, 41, 92], midterm: 7, final: 67 }, 3)).toEqual(ok(50));
  });
  it('6,125 rounds down, and a 0 counts as a mark', () => {
    // (0 + 7 + 7 + 2·7 + 3·7) / 8 = 49/8 = 6,125 → 6,1
    expect(scoredTermAverage({ regular: [0, 70, 70], midterm: 70, final: 70 }, 3)).toEqual(ok(61));
  });
  it('a missing mark gives no average, with every reason', () => {
    expect(scoredTermAverage({ regular: [80, null, 70], midterm: null, final: null }, 3)).toEqual({
      status: 'incomplete',
      reasons: ['thiếu 1 điểm đánh giá thường xuyên (có 2/3)', 'thiếu điểm giữa kì', 'thiếu điểm cuối kì'],
    });
  });
  it('property: equals the exact rational (Σ + 2gk + 3ck)/(n+5) rounded half up, checked without division', () => {
    const mark = fc.integer({ min: 0, max: 100 });
    fc.assert(
      fc.property(fc.array(mark, { minLength: 2, maxLength: 5 }), mark, mark, (regular, gk, ck) => {
        const r = scoredTermAverage({ regular, midterm: gk, final: ck }, regular.length);
        if (r.status !== 'ok') throw new Error('complete marks must average');
        const num = BigInt(regular.reduce((a, b) => a + b, 0) + 2 * gk + 3 * ck);
        const den = BigInt(regular.length + 5);
        const t = BigInt(r.value);
        // t − ½ ≤ num/den < t + ½
        expect(2n * t * den - den <= 2n * num && 2n * num < 2n * t * den + den).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('TT22/2021 Điều 9 khoản 1 điểm b: ĐTBmcn = (ĐTBmhkI + 2·ĐTBmhkII) / 3', () => {
  it('from the two rounded term averages, half up', () => {
    expect(scoredYearAverage(ok(64), ok(65))).toEqual(ok(65)); // 19,4/3 = 6,466… → 6,5
    expect(scoredYearAverage(ok(70), ok(85))).toEqual(ok(80)); // 24/3 = 8,0
    expect(scoredYearAverage(ok(81), ok(82))).toEqual(ok(82)); // 24,5/3 = 8,1666… → 8,2
  });
  it('a student who transferred in mid-year: the old school term I average (no component marks) counts', () => {
    const carriedFromOldSchool = ok(72);
    const hereTermII = scoredTermAverage({ regular: [80, 90, 70], midterm: 80, final: 90 }, 3); // 67/8 = 8,375 → 8,4
    expect(hereTermII).toEqual(ok(84));
    expect(scoredYearAverage(carriedFromOldSchool, hereTermII)).toEqual(ok(80)); // (7,2 + 16,8)/3 = 8,0
  });
  it('incomplete when a term has no average', () => {
    expect(scoredYearAverage(ok(70), { status: 'incomplete', reasons: ['x'] }).status).toBe('incomplete');
  });
  it('property: equals the exact rational (I + 2·II)/3 rounded half up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (a, b) => {
        const r = scoredYearAverage(ok(a), ok(b));
        if (r.status !== 'ok') throw new Error('complete');
        expect(2 * r.value * 3 - 3 <= 2 * (a + 2 * b) && 2 * (a + 2 * b) < 2 * r.value * 3 + 3).toBe(true);
      }),
    );
  });
});

describe('TT22/2021 Điều 9 khoản 1 điểm a: comment-only subjects', () => {
  it('Đạt only when every required assessment is made and all are Đạt', () => {
    expect(commentTermResult({ regular: ['dat', 'dat'], midterm: 'dat', final: 'dat' }, 2)).toEqual(ok('dat'));
    expect(commentTermResult({ regular: ['dat', 'chua_dat'], midterm: 'dat', final: 'dat' }, 2)).toEqual(ok('chua_dat'));
    expect(commentTermResult({ regular: ['dat', 'dat'], midterm: 'dat', final: 'chua_dat' }, 2)).toEqual(ok('chua_dat'));
  });
  it('a missing assessment is incomplete, not Chưa đạt', () => {
    expect(commentTermResult({ regular: ['dat'], midterm: 'dat', final: null }, 2)).toEqual({
      status: 'incomplete',
      reasons: ['thiếu 1 lần đánh giá thường xuyên (có 1/2)', 'thiếu đánh giá cuối kì'],
    });
  });
  it('the year result is term II', () => {
    expect(commentYearResult(ok('chua_dat'))).toEqual(ok('chua_dat'));
    expect(commentYearResult(ok('dat'))).toEqual(ok('dat'));
    expect(commentYearResult({ status: 'incomplete', reasons: [] }).status).toBe('incomplete');
  });
});

describe('TT22/2021 Điều 9 khoản 2: learning result per term and year', () => {
  it('Tốt needs exactly six subjects ≥ 8,0 (six: Tốt; five: Khá), all ≥ 6,5, all comments Đạt', () => {
    expect(levelOf(student([80, 80, 80, 80, 80, 80, 65, 65]))).toEqual({ level: 'tot' });
    expect(levelOf(student([80, 80, 80, 80, 80, 79, 65, 65]))).toEqual({ level: 'kha' });
  });
  it('Khá needs all ≥ 5,0 and six ≥ 6,5', () => {
    expect(levelOf(student([65, 65, 65, 65, 65, 65, 50, 50]))).toEqual({ level: 'kha' });
    expect(levelOf(student([65, 65, 65, 65, 65, 64, 50, 50]))).toEqual({ level: 'dat' });
  });
  it('Đạt: six ≥ 5,0, none below 3,5, at most one comment subject Chưa đạt', () => {
    expect(levelOf(student([50, 50, 50, 50, 50, 50, 35, 35]))).toEqual({ level: 'dat' });
    expect(levelOf(student([50, 50, 50, 50, 50, 50, 35, 34]))).toEqual({ level: 'chua_dat' });
    expect(levelOf(student([50, 50, 50, 50, 50, 49, 40, 40]))).toEqual({ level: 'chua_dat' });
    expect(levelOf(student([50, 50, 50, 50, 50, 50, 40, 40], ['GDTC', 'Âm nhạc']))).toEqual({ level: 'chua_dat' });
  });
  it('an exempt subject (Điều 11) is left out: the other subjects decide', () => {
    const exemptPE = student([80, 80, 80, 80, 80, 80, 70, 70]).map((s): SubjectResult => (s.subject === 'GDTC' ? { subject: 'GDTC', kind: 'exempt' } : s));
    expect(levelOf(exemptPE)).toEqual({ level: 'tot' });
  });
  it('incomplete while any subject has no result, naming it', () => {
    const r = learningResult([
      { subject: 'Toán', result: ok({ subject: 'Toán', kind: 'score', average: 80 }) },
      { subject: 'Ngữ văn', result: { status: 'incomplete', reasons: ['thiếu điểm cuối kì'] } },
    ]);
    expect(r).toEqual({ status: 'incomplete', reasons: ['Ngữ văn: thiếu điểm cuối kì'] });
  });
});

describe('TT22/2021 Điều 9 khoản 3: one subject pulling the result down two or more levels', () => {
  it('a single comment subject Chưa đạt on an otherwise Tốt record: Đạt raised to Khá', () => {
    expect(levelOf(student([90, 90, 90, 90, 90, 90, 80, 80], ['Âm nhạc']))).toEqual({ level: 'kha', adjusted: { from: 'dat', because: 'Âm nhạc' } });
  });
  it('one subject below 5,0 on an otherwise Tốt record: Đạt raised to Khá', () => {
    expect(levelOf(student([90, 90, 90, 90, 90, 90, 80, 45]))).toEqual({ level: 'kha', adjusted: { from: 'dat', because: 'Tin học' } });
  });
  it('one subject below 6,5 (but ≥ 5,0) on a Tốt record drops one level only: Khá, no adjustment', () => {
    expect(levelOf(student([90, 90, 90, 90, 90, 90, 80, 60]))).toEqual({ level: 'kha' });
  });
  it('one subject below 3,5 on an otherwise Khá record: Chưa đạt raised to Đạt', () => {
    expect(levelOf(student([70, 70, 70, 70, 70, 70, 60, 30]))).toEqual({ level: 'dat', adjusted: { from: 'chua_dat', because: 'Tin học' } });
  });
  it('Tốt pulled to Chưa đạt by one subject: Đạt by default (next above reached), Khá under the other reading', () => {
    const s = student([90, 90, 90, 90, 90, 90, 80, 30]);
    expect(levelOf(s)).toEqual({ level: 'dat', adjusted: { from: 'chua_dat', because: 'Tin học' } });
    const other = learningResult(s.map((r) => ({ subject: r.subject, result: ok(r) })), { oneSubjectAdjustment: 'next-below-expected', maxSessionsAbsent: 45 });
    expect(other).toEqual(ok({ level: 'kha', adjusted: { from: 'chua_dat', because: 'Tin học' } }));
  });
  it('not one subject alone: two subjects low, or too few at 8,0 without the low one — no adjustment', () => {
    expect(levelOf(student([90, 90, 90, 90, 90, 90, 45, 45]))).toEqual({ level: 'dat' });
    // five at 8,0 or more besides the low subject: it would not be Tốt even with that subject at 6,5
    expect(levelOf(student([90, 90, 90, 90, 90, 70, 70, 45]))).toEqual({ level: 'dat' });
  });
  it('property: the adjustment only ever raises, by exactly one level, and only from two below', () => {
    const rank = { chua_dat: 0, dat: 1, kha: 2, tot: 3 } as const;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 8, maxLength: 8 }), fc.subarray(COMMENT, { maxLength: 2 }), (avgs, fails) => {
        const s = student(avgs, fails);
        const base = learningLevel(s);
        const r = levelOf(s);
        if (!r.adjusted) expect(r.level).toBe(base);
        else {
          expect(r.adjusted.from).toBe(base);
          expect(rank[r.level] - rank[base]).toBe(1);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('TT22/2021 Điều 8 khoản 2: training result of the year from the two terms', () => {
  const L: Level[] = ['tot', 'kha', 'dat', 'chua_dat'];
  it('matches the combination table for all sixteen pairs', () => {
    const table: Record<string, Level> = {};
    for (const t1 of L) for (const t2 of L) table[`${t1}/${t2}`] = trainingYearResult(t1, t2);
    expect(table).toEqual({
      'tot/tot': 'tot', 'kha/tot': 'tot', 'dat/tot': 'kha', 'chua_dat/tot': 'kha',
      'tot/kha': 'kha', 'kha/kha': 'kha', 'dat/kha': 'kha', 'chua_dat/kha': 'dat',
      'tot/dat': 'kha', 'kha/dat': 'dat', 'dat/dat': 'dat', 'chua_dat/dat': 'dat',
      'tot/chua_dat': 'chua_dat', 'kha/chua_dat': 'chua_dat', 'dat/chua_dat': 'chua_dat', 'chua_dat/chua_dat': 'chua_dat',
    });
  });
});

describe('TT22/2021 Điều 12–14: promotion, re-test, summer training', () => {
  const year = (over: Partial<YearStanding> = {}): YearStanding => ({ training: 'kha', learning: 'kha', sessionsAbsent: 0, subjects: student([70, 70, 70, 70, 70, 70, 70, 70]), ...over });
  it('Điều 12 khoản 1 điểm c: 45 sessions absent is promoted, 46 is retained — excused or not', () => {
    expect(promotionDecision(year({ sessionsAbsent: 45 }))).toEqual({ outcome: 'promoted' });
    expect(promotionDecision(year({ sessionsAbsent: 46 }))).toEqual({ outcome: 'retained', reason: 'Nghỉ 46 buổi trong năm học, quá 45 buổi' });
  });
  it('Điều 13: training ≥ Đạt and learning Chưa đạt → re-test in the subjects below 5,0 or Chưa đạt', () => {
    const subjects = student([70, 70, 70, 70, 45, 30, 49, 50], ['Mĩ thuật']);
    expect(retestSubjects(subjects)).toEqual(['LS&ĐL', 'KHTN', 'Công nghệ', 'Mĩ thuật']);
    expect(promotionDecision(year({ learning: 'chua_dat', training: 'dat', subjects }))).toEqual({ outcome: 'retest', retestSubjects: ['LS&ĐL', 'KHTN', 'Công nghệ', 'Mĩ thuật'] });
  });
  it('Điều 14: training Chưa đạt → summer training; with learning Chưa đạt too, the re-test after it', () => {
    expect(promotionDecision(year({ training: 'chua_dat' }))).toEqual({ outcome: 'summer_training', thenRetest: false, retestSubjects: [] });
    const subjects = student([70, 70, 70, 70, 70, 30, 30, 30]);
    expect(promotionDecision(year({ training: 'chua_dat', learning: 'chua_dat', subjects }))).toEqual({ outcome: 'summer_training', thenRetest: true, retestSubjects: ['KHTN', 'Công nghệ', 'Tin học'] });
  });
  it('Điều 13 khoản 2: the re-test mark replaces the year average and the year is classified again', () => {
    const subjects = student([70, 70, 70, 70, 70, 70, 40, 30]);
    const s = year({ learning: 'chua_dat', subjects });
    expect(afterSummer(s, { retests: [{ subject: 'Tin học', result: 50 }] })).toEqual({ decision: { outcome: 'promoted' }, learning: 'dat', training: 'kha' });
    expect(afterSummer(s, { retests: [{ subject: 'Tin học', result: 34 }] }).decision).toEqual({ outcome: 'retained', reason: 'Kết quả học tập sau kiểm tra lại vẫn Chưa đạt' });
    expect(afterSummer(s, {}).missing).toBe('chưa có điểm kiểm tra lại');
  });
  it('Điều 14 khoản 2: summer training re-rated Đạt → promoted; still Chưa đạt → retained', () => {
    const s = year({ training: 'chua_dat' });
    expect(afterSummer(s, { training: 'dat' }).decision).toEqual({ outcome: 'promoted' });
    expect(afterSummer(s, { training: 'chua_dat' }).decision).toEqual({ outcome: 'retained', reason: 'Kết quả rèn luyện sau kì nghỉ hè vẫn Chưa đạt' });
    expect(afterSummer(s, {}).missing).toBe('chưa có kết quả rèn luyện trong hè');
  });
  it('absence over the limit is final: the summer changes nothing', () => {
    expect(afterSummer(year({ sessionsAbsent: 50, training: 'chua_dat' }), { training: 'tot' }).decision.outcome).toBe('retained');
  });
});

describe('TT22/2021 Điều 15: awards', () => {
  it('Xuất sắc needs training Tốt, learning Tốt and six subjects ≥ 9,0 (six: Xuất sắc; five: Giỏi)', () => {
    expect(yearAward('tot', 'tot', student([90, 90, 90, 90, 90, 90, 80, 80]))).toBe('xuat_sac');
    expect(yearAward('tot', 'tot', student([90, 90, 90, 90, 90, 89, 80, 80]))).toBe('gioi');
  });
  it('nothing without both Tốt', () => {
    expect(yearAward('kha', 'tot', student([100, 100, 100, 100, 100, 100, 100, 100]))).toBeNull();
    expect(yearAward('tot', 'kha', student([100, 100, 100, 100, 100, 100, 100, 100]))).toBeNull();
  });
});
