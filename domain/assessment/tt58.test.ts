import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ok } from './outcome.js';
import {
  commentSubjectTerm,
  commentSubjectYear,
  minimumRegularTests,
  minimumRegularTestsFromPeriodsPerYear,
  suggestedYearConduct,
  termFormulaFor,
  tt26RegularAssessments,
  tt58TermAverage,
  tt58YearAverage,
  yearConduct,
  yearFromOnlyTerm,
  type Conduct,
  type Tt58TermContext,
} from './tt58.js';

/** 2019-2020 (original TT58 formula) and 2021-2022 (TT26 formula), with the counts given. */
const Y2019 = (requiredRegular: number, requiredPeriodic = 1): Tt58TermContext => ({ schoolYearStart: 2019, requiredRegular, requiredPeriodic });
const Y2021 = (requiredRegular: number): Tt58TermContext => ({ schoolYearStart: 2021, requiredRegular });

describe('TT58/2011 Điều 3 khoản 2: hạnh kiểm of the year', () => {
  it('the suggestion is the term II rating, whatever term I was', () => {
    const all: Conduct[] = ['tot', 'kha', 'trung_binh', 'yeu'];
    for (const t2 of all) expect(suggestedYearConduct(t2)).toBe(t2);
  });
  it("the homeroom teacher's year rating wins over the suggestion (progress over the year)", () => {
    expect(yearConduct({ term2: 'kha', teacherYear: 'tot' })).toEqual(ok({ conduct: 'tot', source: 'teacher' }));
    expect(yearConduct({ term2: 'kha' })).toEqual(ok({ conduct: 'kha', source: 'suggested_from_term2' }));
    expect(yearConduct({ term2: 'kha', teacherYear: null })).toEqual(ok({ conduct: 'kha', source: 'suggested_from_term2' }));
  });
  it('incomplete with neither', () => {
    expect(yearConduct({ term2: null })).toEqual({ status: 'incomplete', reasons: ['chưa xếp loại hạnh kiểm học kì II'] });
  });
});

describe('TT58/2011 Điều 8 khoản 2: least number of KTtx per term', () => {
  it('by periods per week: ≤ 1 → 2; over 1 and under 3 → 3; 3 or more → 4 (boundaries 1/1,5, 2,5/3)', () => {
    expect([0.5, 1, 1.5, 2, 2.5, 3, 4].map(minimumRegularTests)).toEqual([2, 2, 3, 3, 3, 4, 4]);
  });
  it('by periods per year at 35 weeks: 35 → 2, 36 → 3, 104 → 3, 105 → 4', () => {
    expect([18, 35, 36, 52, 70, 104, 105, 140].map(minimumRegularTestsFromPeriodsPerYear)).toEqual([2, 2, 3, 3, 3, 3, 4, 4]);
    for (const perWeek of [0.5, 1, 1.5, 2, 2.5, 3, 4]) expect(minimumRegularTestsFromPeriodsPerYear(perWeek * 35)).toBe(minimumRegularTests(perWeek));
  });
  it('TT26/2020 (Điều 8 as amended) counts by periods per year: 35 → 2, 70 → 3, 71 → 4 — more than the original for 71–104', () => {
    expect([35, 36, 70, 71, 104, 105].map(tt26RegularAssessments)).toEqual([2, 3, 3, 4, 4, 4]);
    expect(minimumRegularTestsFromPeriodsPerYear(87.5)).toBe(3);
    expect(tt26RegularAssessments(87.5)).toBe(4);
  });
  it('periods must be positive', () => {
    expect(() => minimumRegularTests(0)).toThrow(RangeError);
    expect(() => minimumRegularTestsFromPeriodsPerYear(-35)).toThrow(RangeError);
    expect(() => tt26RegularAssessments(Number.NaN)).toThrow(RangeError);
  });
});

describe('TT58/2011 Điều 10 khoản 1: ĐTBmhk, the formula chosen by the school year', () => {
  it('before 2020-2021 the original formula, from 2020-2021 the TT26/2020 one', () => {
    expect(termFormulaFor(2011)).toBe('tt58_2011');
    expect(termFormulaFor(2019)).toBe('tt58_2011');
    expect(termFormulaFor(2020)).toBe('tt26_2020');
    expect(termFormulaFor(2023)).toBe('tt26_2020');
  });

  it('original: (TĐKTtx + 2·TĐKTđk + 3·ĐKThk) / (n_tx + 2·n_đk + 3) — two one-period tests each ×2', () => {
    // tx 8; 7; 9 — đk 6; 7 — hk 8: (24 + 26 + 24) / 10 = 7,4
    expect(tt58TermAverage({ regular: [80, 70, 90], periodic: [60, 70], semester: 80 }, Y2019(3, 2))).toEqual(ok(74));
  });
  it('original: 7,45 rounds half up to 7,5, 7,375 to 7,4 (one decimal, Điều 10 khoản 1 điểm c)', () => {
    // tx 7; 8; 7,5 — đk 7 — hk 7,5: (22,5 + 14 + 22,5) / 8 = 7,375 → 7,4
    expect(tt58TermAverage({ regular: [70, 80, 75], periodic: [70], semester: 75 }, Y2019(3))).toEqual(ok(74));
    // tx 7; 8; 8,1 — đk 7 — hk 7,5: (23,1 + 14 + 22,5) / 8 = 7,45 → 7,5
    expect(tt58TermAverage({ regular: [70, 80, 81], periodic: [70], semester: 75 }, Y2019(3))).toEqual(ok(75));
  });
  it('exactly 4,95 → 5,0 where binary floats give 4,9499… → 4,9 (the 5,0 line of Trung bình)', () => {
    // tx 7,1; 1,7; 10 — đk 3; 3,2 — hk 6,1: 49,5 / 10 = 4,95 exactly
    const float = (7.1 + 1.7 + 10 + 2 * 3 + 2 * 3.2 + 3 * 6.1) / 10;
    expect(Math.round(float * 10) / 10).toBe(4.9);
    expect(tt58TermAverage({ regular: [71, 17, 100], periodic: [30, 32], semester: 61 }, Y2019(3, 2))).toEqual(ok(50));
  });
  it('original: missing marks give no average, with every reason in the TT58 names', () => {
    expect(tt58TermAverage({ regular: [80, null], periodic: [70], semester: null }, Y2019(4, 2))).toEqual({
      status: 'incomplete',
      reasons: ['thiếu 3 bài kiểm tra thường xuyên (có 1/4)', 'thiếu 1 bài kiểm tra định kì (có 1/2)', 'thiếu bài kiểm tra học kì'],
    });
  });

  it('TT26/2020: (TĐĐGtx + 2·ĐĐGgk + 3·ĐĐGck) / (số ĐĐGtx + 5)', () => {
    // tx 8; 8; 8 — gk 9 — ck 8: 66 / 8 = 8,25 → 8,3
    expect(tt58TermAverage({ regular: [80, 80, 80], periodic: [90], semester: 80 }, Y2021(3))).toEqual(ok(83));
  });
  it('TT26/2020: exactly one mid-term mark — two are refused, none is missing — named ĐĐGgk/ĐĐGck', () => {
    expect(tt58TermAverage({ regular: [80, 80, 80], periodic: [90, 70], semester: 80 }, Y2021(3))).toEqual({
      status: 'incomplete',
      reasons: ['theo Thông tư 26/2020 mỗi học kì chỉ có một đánh giá giữa kì (đang có 2)'],
    });
    expect(tt58TermAverage({ regular: [80], periodic: [null], semester: null }, Y2021(2))).toEqual({
      status: 'incomplete',
      reasons: ['thiếu 1 lần đánh giá thường xuyên (có 1/2)', 'thiếu đánh giá giữa kì', 'thiếu đánh giá cuối kì'],
    });
  });
  it('the option overrides the school year (a school that kept the old formula in its records)', () => {
    const marks = { regular: [80, 70, 90], periodic: [60, 70], semester: 80 };
    expect(tt58TermAverage(marks, { ...Y2021(3), formula: 'tt58_2011', requiredPeriodic: 2 })).toEqual(ok(74));
    expect(tt58TermAverage(marks, { ...Y2019(3), formula: 'tt26_2020' }).status).toBe('incomplete');
  });

  it('property: both formulas equal the exact rational (Σtx + 2Σđk + 3hk)/(n_tx + 2n_đk + 3), half up, checked without division', () => {
    const mark = fc.integer({ min: 0, max: 100 });
    fc.assert(
      fc.property(fc.array(mark, { minLength: 2, maxLength: 6 }), fc.array(mark, { minLength: 1, maxLength: 3 }), mark, (regular, periodic, hk) => {
        const year = periodic.length === 1 ? Y2021(regular.length) : Y2019(regular.length, periodic.length);
        const r = tt58TermAverage({ regular, periodic, semester: hk }, year);
        if (r.status !== 'ok') throw new Error('complete marks must average');
        const num = BigInt(regular.reduce((a, b) => a + b, 0) + 2 * periodic.reduce((a, b) => a + b, 0) + 3 * hk);
        const den = BigInt(regular.length + 2 * periodic.length + 3);
        const t = BigInt(r.value);
        // t − ½ ≤ num/den < t + ½
        expect(2n * t * den - den <= 2n * num && 2n * num < 2n * t * den + den).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('TT58/2011 Điều 10 khoản 1 điểm b: ĐTBmcn = (ĐTBmhkI + 2·ĐTBmhkII) / 3', () => {
  it('from the two rounded term averages, half up', () => {
    expect(tt58YearAverage(ok(64), ok(65))).toEqual(ok(65)); // 19,4/3 = 6,466… → 6,5
    expect(tt58YearAverage(ok(79), ok(80))).toEqual(ok(80)); // 23,9/3 = 7,966… → 8,0
    expect(tt58YearAverage(ok(78), ok(80))).toEqual(ok(79)); // 23,8/3 = 7,933… → 7,9
  });
  it('incomplete when a term has no average, naming it', () => {
    expect(tt58YearAverage(ok(70), { status: 'incomplete', reasons: ['x'] })).toEqual({ status: 'incomplete', reasons: ['học kì II chưa có điểm trung bình'] });
  });
  it('Điều 10 khoản 3: a subject taught in one term only takes that term as the year', () => {
    expect(yearFromOnlyTerm(ok(72))).toEqual(ok(72));
    expect(yearFromOnlyTerm({ status: 'incomplete', reasons: [] }).status).toBe('incomplete');
  });
  it('property: equals the exact rational (I + 2·II)/3 rounded half up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (a, b) => {
        const r = tt58YearAverage(ok(a), ok(b));
        if (r.status !== 'ok') throw new Error('complete');
        expect(2 * r.value * 3 - 3 <= 2 * (a + 2 * b) && 2 * (a + 2 * b) < 2 * r.value * 3 + 3).toBe(true);
      }),
    );
  });
});

describe('TT58/2011 Điều 10 khoản 2: comment subjects (Âm nhạc, Mỹ thuật, Thể dục), Đ / CĐ', () => {
  it('Đ with at least 2/3 of the tests Đ, the semester test among them (4 of 6 Đ: Đ; 3 of 6: CĐ)', () => {
    expect(commentSubjectTerm({ regular: ['d', 'cd', 'd'], periodic: ['cd', 'd'], semester: 'd' }, Y2019(3, 2))).toEqual(ok('d'));
    expect(commentSubjectTerm({ regular: ['d', 'cd', 'cd'], periodic: ['cd', 'd'], semester: 'd' }, Y2019(3, 2))).toEqual(ok('cd'));
  });
  it('2 of 3 is exactly 2/3: Đ; the semester test CĐ: CĐ however many others are Đ', () => {
    expect(commentSubjectTerm({ regular: ['cd'], periodic: ['d'], semester: 'd' }, Y2019(1))).toEqual(ok('d'));
    expect(commentSubjectTerm({ regular: ['d', 'd', 'd', 'd'], periodic: ['d'], semester: 'cd' }, Y2019(4))).toEqual(ok('cd'));
  });
  it('a missing test is incomplete, not CĐ (a test not made up is entered as CĐ, Điều 8 khoản 5)', () => {
    expect(commentSubjectTerm({ regular: ['d'], periodic: [], semester: 'd' }, Y2019(2))).toEqual({
      status: 'incomplete',
      reasons: ['thiếu 1 bài kiểm tra thường xuyên (có 1/2)', 'thiếu 1 bài kiểm tra định kì (có 0/1)'],
    });
  });
  it('from 2020-2021 the same rule over ĐĐGtx, the one ĐĐGgk and ĐĐGck', () => {
    expect(commentSubjectTerm({ regular: ['d', 'cd'], periodic: ['d'], semester: 'd' }, Y2021(2))).toEqual(ok('d'));
    expect(commentSubjectTerm({ regular: ['cd', 'cd'], periodic: ['d'], semester: 'd' }, Y2021(2))).toEqual(ok('cd'));
  });
  it('the year is Đ exactly when term II is Đ (HK I CĐ / HK II Đ: Đ; HK I Đ / HK II CĐ: CĐ)', () => {
    expect(commentSubjectYear(ok('d'))).toEqual(ok('d'));
    expect(commentSubjectYear(ok('cd'))).toEqual(ok('cd'));
    expect(commentSubjectYear({ status: 'incomplete', reasons: [] })).toEqual({ status: 'incomplete', reasons: ['học kì II chưa được xếp loại'] });
  });
});
