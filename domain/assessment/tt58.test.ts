import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ok } from './outcome.js';
import {
  ACADEMIC_RANK_LABELS,
  academicResult,
  COMMENT_MARK_LABELS,
  COMMENT_MARK_SHORT,
  CONDUCT_LABELS,
  commentSubjectTerm,
  commentSubjectYear,
  minimumRegularTests,
  minimumRegularTestsFromPeriodsPerYear,
  overallAverage,
  suggestedYearConduct,
  termFormulaFor,
  tt58AfterSummer,
  tt58Promotion,
  tt58RetestSubjects,
  tt58Title,
  TT58_PROMOTION_LABELS,
  TT58_TERM_FORMULA_LABELS,
  TT58_TITLE_LABELS,
  YEAR_CONDUCT_SOURCE_LABELS,
  tt26RegularAssessments,
  tt58TermAverage,
  tt58YearAverage,
  yearConduct,
  yearFromOnlyTerm,
  type AcademicRank,
  type Conduct,
  type Tt58KeySubjects,
  type Tt58SubjectResult,
  type Tt58TermContext,
  type Tt58YearStanding,
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

/** A grade-9 student of 2019-2020: eleven scored subjects and three comment subjects. */
const SCORED = ['Toán', 'Vật lí', 'Hóa học', 'Sinh học', 'Ngữ văn', 'Lịch sử', 'Địa lí', 'Tiếng Anh', 'GDCD', 'Công nghệ', 'Tin học'];
const COMMENT = ['Âm nhạc', 'Mỹ thuật', 'Thể dục'];

/** Every scored subject at `base` tenths unless overridden; comment subjects Đ unless listed CĐ. */
function student(base: number, overrides: Record<string, number> = {}, cd: string[] = []): Tt58SubjectResult[] {
  return [
    ...SCORED.map((subject): Tt58SubjectResult => ({ subject, kind: 'score', average: overrides[subject] ?? base })),
    ...COMMENT.map((subject): Tt58SubjectResult => ({ subject, kind: 'comment', result: cd.includes(subject) ? 'cd' : 'd' })),
  ];
}
const rankResult = (subjects: Tt58SubjectResult[], keys?: Tt58KeySubjects) => {
  const r = academicResult(
    subjects.map((s) => ({ subject: s.subject, result: ok(s) })),
    keys,
  );
  if (r.status !== 'ok') throw new Error(r.reasons.join('; '));
  return r.value;
};
const rankOf = (subjects: Tt58SubjectResult[], keys?: Tt58KeySubjects): AcademicRank => rankResult(subjects, keys).rank;

describe('TT58/2011 Điều 11: ĐTBhk / ĐTBcn = plain mean of the scored subjects, one decimal, half up', () => {
  it('no subject counts double; comment and exempt subjects are left out', () => {
    const r = rankResult([...student(80, { Toán: 90, 'Ngữ văn': 70 }), { subject: 'Thể dục', kind: 'exempt' }]);
    expect(r.overall).toBe(80); // (9 + 7 + 9 × 8) / 11 = 8,0
  });
  it('7,9545… → 8,0 and 7,945… → 7,9 (ten subjects at 8,0 and one at 7,5 / 7,4)', () => {
    expect(overallAverage(SCORED.map((subject) => ({ subject, average: ok(subject === 'Tin học' ? 75 : 80) })))).toEqual(ok(80));
    expect(overallAverage(SCORED.map((subject) => ({ subject, average: ok(subject === 'Tin học' ? 74 : 80) })))).toEqual(ok(79));
  });
  it('exactly 7,95 → 8,0 where summing in binary floats gives 7,9499… → 7,9 (the Giỏi line)', () => {
    const averages = [65, 71, 100, 91, 75, 83, 73, 74, 85, 78];
    const float = averages.reduce((sum, a) => sum + a / 10, 0) / averages.length;
    expect(Math.round(float * 10) / 10).toBe(7.9);
    expect(overallAverage(averages.map((a, i) => ({ subject: SCORED[i], average: ok(a) })))).toEqual(ok(80));
  });
  it('incomplete while a scored subject has no average, naming it; and with no scored subject', () => {
    expect(overallAverage([{ subject: 'Toán', average: ok(80) }, { subject: 'Ngữ văn', average: { status: 'incomplete', reasons: ['học kì II chưa có điểm trung bình'] } }])).toEqual({
      status: 'incomplete',
      reasons: ['Ngữ văn: học kì II chưa có điểm trung bình'],
    });
    expect(overallAverage([]).status).toBe('incomplete');
  });
  it('property: equals the exact rational Σ/n rounded half up, checked without division', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 16 }), (averages) => {
        const r = overallAverage(averages.map((a, i) => ({ subject: `Môn ${i}`, average: ok(a) })));
        if (r.status !== 'ok') throw new Error('complete');
        const num = BigInt(averages.reduce((a, b) => a + b, 0));
        const n = BigInt(averages.length);
        const t = BigInt(r.value);
        // t − ½ ≤ Σ/n < t + ½
        expect(2n * t * n - n <= 2n * num && 2n * num < 2n * t * n + n).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('TT58/2011 Điều 13 khoản 1: Giỏi', () => {
  it('ĐTB 8,0 is Giỏi, 7,9 is Khá (one subject at 7,5 / 7,4 among ten at 8,0)', () => {
    expect(rankResult(student(80, { 'Tin học': 75 }))).toEqual({ rank: 'gioi', overall: 80 });
    expect(rankResult(student(80, { 'Tin học': 74 }))).toEqual({ rank: 'kha', overall: 79 });
  });
  it('no subject below 6,5: a subject at 6,5 is Giỏi, at 6,4 Khá (one level down: no adjustment)', () => {
    expect(rankResult(student(90, { 'Tin học': 65 }))).toEqual({ rank: 'gioi', overall: 88 });
    expect(rankResult(student(90, { 'Tin học': 64 }))).toEqual({ rank: 'kha', overall: 88 });
  });
  it('one of Toán, Ngữ văn from 8,0: Toán 8,0 with Ngữ văn 7,9 is Giỏi, and the other way round; both 7,9 is Khá', () => {
    expect(rankOf(student(85, { Toán: 80, 'Ngữ văn': 79 }))).toBe('gioi');
    expect(rankOf(student(85, { Toán: 79, 'Ngữ văn': 80 }))).toBe('gioi');
    expect(rankOf(student(85, { Toán: 79, 'Ngữ văn': 79 }))).toBe('kha');
  });
  it('chuyên class: the chuyên subject from 8,0 too (Hóa học 8,0: Giỏi; 7,9: Khá; not a chuyên class: Giỏi)', () => {
    const chuyenHoa: Tt58KeySubjects = { mathematics: 'Toán', literature: 'Ngữ văn', specialised: 'Hóa học' };
    expect(rankOf(student(85, { 'Hóa học': 80 }), chuyenHoa)).toBe('gioi');
    expect(rankOf(student(85, { 'Hóa học': 79 }), chuyenHoa)).toBe('kha');
    expect(rankOf(student(85, { 'Hóa học': 79 }))).toBe('gioi');
  });
  it('comment subjects all Đ: one CĐ is not Giỏi', () => {
    expect(rankOf(student(90, {}, ['Thể dục']))).not.toBe('gioi');
  });
});

describe('TT58/2011 Điều 13 khoản 2–5: Khá, Trung bình, Yếu, Kém', () => {
  it('Khá: ĐTB from 6,5 (6,454… → 6,5 Khá; 6,445… → 6,4 Trung bình)', () => {
    expect(rankResult(student(65, { 'Tin học': 60 }))).toEqual({ rank: 'kha', overall: 65 }); // 710/11
    expect(rankResult(student(65, { 'Tin học': 59 }))).toEqual({ rank: 'trung_binh', overall: 64 }); // 709/11
  });
  it('Khá: no subject below 5,0 (5,0 Khá, 4,9 Trung bình — one level down: no adjustment)', () => {
    expect(rankOf(student(70, { 'Tin học': 50 }))).toBe('kha');
    expect(rankResult(student(70, { 'Tin học': 49 }))).toEqual({ rank: 'trung_binh', overall: 68 });
  });
  it('Khá: one of Toán, Ngữ văn from 6,5 (Toán 6,5: Khá; both 6,4: Trung bình)', () => {
    expect(rankOf(student(70, { Toán: 65, 'Ngữ văn': 64 }))).toBe('kha');
    expect(rankOf(student(70, { Toán: 64, 'Ngữ văn': 64 }))).toBe('trung_binh');
  });
  it('Trung bình: ĐTB from 5,0, one of Toán, Ngữ văn from 5,0, none below 3,5, comments all Đ', () => {
    expect(rankOf(student(50))).toBe('trung_binh');
    expect(rankOf(student(55, { 'Tin học': 35 }))).toBe('trung_binh');
    expect(rankOf(student(55, { 'Tin học': 34 }))).toBe('yeu');
    expect(rankOf(student(55, { Toán: 50, 'Ngữ văn': 49 }))).toBe('trung_binh');
    expect(rankOf(student(55, { Toán: 49, 'Ngữ văn': 49 }))).toBe('yeu');
    expect(rankOf(student(55, {}, ['Mỹ thuật']))).toBe('yeu');
  });
  it('Trung bình: ĐTB 5,0 vs 4,9', () => {
    expect(rankResult(student(50, { 'Tin học': 45 }))).toEqual({ rank: 'trung_binh', overall: 50 }); // 545/11 = 4,954… → 5,0
    expect(rankResult(student(50, { 'Tin học': 44 }))).toEqual({ rank: 'yeu', overall: 49 }); // 544/11 = 4,945… → 4,9
  });
  it('Yếu: ĐTB from 3,5 and none below 2,0 — no Toán/Ngữ văn or comment condition; otherwise Kém', () => {
    expect(rankOf(student(35))).toBe('yeu');
    expect(rankOf(student(34))).toBe('kem');
    expect(rankOf(student(40, { 'Tin học': 20 }))).toBe('yeu');
    expect(rankOf(student(40, { 'Tin học': 19 }))).toBe('kem');
    expect(rankOf(student(40, { Toán: 20, 'Ngữ văn': 20 }, COMMENT))).toBe('yeu');
  });
  it('an exempt subject (Điều 12 khoản 4) is left out: the other subjects decide', () => {
    const exemptPE = student(90).map((s): Tt58SubjectResult => (s.subject === 'Thể dục' ? { subject: 'Thể dục', kind: 'exempt' } : s));
    expect(rankOf(exemptPE)).toBe('gioi');
  });
  it('incomplete while any subject has no result, or when Toán / Ngữ văn / the chuyên subject has no score', () => {
    expect(
      academicResult([
        { subject: 'Toán', result: ok({ subject: 'Toán', kind: 'score', average: 80 }) },
        { subject: 'Ngữ văn', result: { status: 'incomplete', reasons: ['thiếu bài kiểm tra học kì'] } },
      ]),
    ).toEqual({ status: 'incomplete', reasons: ['Ngữ văn: thiếu bài kiểm tra học kì'] });
    const noLiterature = student(80).filter((s) => s.subject !== 'Ngữ văn');
    expect(academicResult(noLiterature.map((s) => ({ subject: s.subject, result: ok(s) })), { mathematics: 'Toán', literature: 'Ngữ văn', specialised: 'Tin' })).toEqual({
      status: 'incomplete',
      reasons: ['Ngữ văn: không có điểm trung bình môn để xếp loại học lực', 'Tin: không có điểm trung bình môn để xếp loại học lực'],
    });
  });
});

describe('TT58/2011 Điều 13 khoản 6: a Giỏi or Khá average pulled down by one subject', () => {
  it('điểm a: Giỏi → Trung bình becomes Khá (one subject at 4,9 or at 3,5 on a Giỏi record)', () => {
    expect(rankResult(student(90, { 'Tin học': 49 }))).toEqual({ rank: 'kha', overall: 86, adjusted: { from: 'trung_binh', reached: 'gioi', because: 'Tin học' } });
    expect(rankOf(student(90, { 'Tin học': 35 }))).toBe('kha');
  });
  it('điểm b: Giỏi → Yếu becomes Trung bình (one subject at 3,4 or 2,0 — or one comment subject CĐ)', () => {
    expect(rankResult(student(90, { 'Tin học': 34 }))).toEqual({ rank: 'trung_binh', overall: 85, adjusted: { from: 'yeu', reached: 'gioi', because: 'Tin học' } });
    expect(rankOf(student(90, { 'Tin học': 20 }))).toBe('trung_binh');
    expect(rankResult(student(90, {}, ['Thể dục']))).toEqual({ rank: 'trung_binh', overall: 90, adjusted: { from: 'yeu', reached: 'gioi', because: 'Thể dục' } });
  });
  it('điểm c: Khá → Yếu becomes Trung bình (one subject at 3,0 on a Khá record)', () => {
    expect(rankResult(student(70, { 'Tin học': 30 }))).toEqual({ rank: 'trung_binh', overall: 66, adjusted: { from: 'yeu', reached: 'kha', because: 'Tin học' } });
  });
  it('điểm d: Khá → Kém becomes Yếu; at the line: ĐTB 6,45… → 6,5 is adjusted, 6,409… → 6,4 stays Kém', () => {
    expect(rankResult(student(70, { 'Tin học': 10 }))).toEqual({ rank: 'yeu', overall: 65, adjusted: { from: 'kem', reached: 'kha', because: 'Tin học' } }); // 710/11
    expect(rankResult(student(70, { 'Tin học': 5 }))).toEqual({ rank: 'kem', overall: 64 }); // 705/11
  });
  it('a Giỏi average pulled to Kém meets điểm d (a Giỏi average is a Khá one): Yếu', () => {
    expect(rankResult(student(90, { 'Tin học': 19 }))).toEqual({ rank: 'yeu', overall: 84, adjusted: { from: 'kem', reached: 'kha', because: 'Tin học' } });
  });
  it('the ladder on a Giỏi record, one subject from 6,5 down to 1,9', () => {
    const ladder = [65, 64, 50, 49, 35, 34, 20, 19].map((tin) => rankOf(student(90, { 'Tin học': tin })));
    expect(ladder).toEqual(['gioi', 'kha', 'kha', 'kha', 'kha', 'trung_binh', 'trung_binh', 'yeu']);
  });
  it('the one subject may be Toán itself, when Ngữ văn carries the Toán-or-Ngữ văn condition', () => {
    expect(rankResult(student(90, { Toán: 30 }))).toEqual({ rank: 'trung_binh', overall: 85, adjusted: { from: 'yeu', reached: 'gioi', because: 'Toán' } });
  });
  it('not one subject alone: two subjects low — no adjustment', () => {
    expect(rankResult(student(90, { 'Tin học': 30, 'Công nghệ': 30 }))).toEqual({ rank: 'yeu', overall: 79 });
    expect(rankOf(student(90, { 'Tin học': 30 }, ['Thể dục']))).toBe('yeu');
  });
  it('a Giỏi average without Toán or Ngữ văn at 8,0 is read as a Khá average: Khá → Yếu becomes Trung bình', () => {
    expect(rankResult(student(90, { Toán: 79, 'Ngữ văn': 79, 'Tin học': 30 }))).toEqual({
      rank: 'trung_binh',
      overall: 83,
      adjusted: { from: 'yeu', reached: 'kha', because: 'Tin học' },
    });
  });
  it('an average below Khá is never adjusted (Trung bình → Yếu stays Yếu)', () => {
    expect(rankResult(student(60, { 'Tin học': 30 }))).toEqual({ rank: 'yeu', overall: 57 });
  });
  it('property: the adjustment only ever raises, by exactly one rank, and only from two or more below the average', () => {
    const order: Record<AcademicRank, number> = { kem: 0, yeu: 1, trung_binh: 2, kha: 3, gioi: 4 };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 11, maxLength: 11 }), fc.subarray(COMMENT, { maxLength: 2 }), (avgs, cd) => {
        const subjects = student(0, Object.fromEntries(SCORED.map((s, i) => [s, avgs[i]])), cd);
        const r = rankResult(subjects);
        if (r.adjusted) {
          expect(order[r.rank] - order[r.adjusted.from]).toBe(1);
          expect(order[r.adjusted.reached] - order[r.adjusted.from]).toBeGreaterThanOrEqual(2);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('TT58/2011 Điều 15–17: lên lớp, kiểm tra lại, rèn luyện hạnh kiểm trong hè', () => {
  const year = (over: Partial<Tt58YearStanding> = {}): Tt58YearStanding => ({ conduct: 'kha', rank: 'kha', sessionsAbsent: 0, subjects: student(70), ...over });

  it('Điều 15 khoản 1: conduct and học lực from Trung bình, at most 45 sessions absent — 45 promoted, 46 retained', () => {
    expect(tt58Promotion(year({ conduct: 'trung_binh', rank: 'trung_binh', sessionsAbsent: 45 }))).toEqual({ outcome: 'promoted' });
    expect(tt58Promotion(year({ sessionsAbsent: 46 }))).toEqual({ outcome: 'retained', reason: 'Nghỉ 46 buổi trong năm học, quá 45 buổi' });
    expect(tt58Promotion(year({ conduct: 'tot', rank: 'gioi', sessionsAbsent: 46 })).outcome).toBe('retained');
  });
  it('Điều 15 khoản 2 điểm b: học lực Kém, or học lực and conduct both Yếu — retained', () => {
    expect(tt58Promotion(year({ rank: 'kem', conduct: 'tot' }))).toEqual({ outcome: 'retained', reason: 'Học lực cả năm loại Kém' });
    expect(tt58Promotion(year({ rank: 'yeu', conduct: 'yeu' }))).toEqual({ outcome: 'retained', reason: 'Học lực và hạnh kiểm cả năm đều loại Yếu' });
  });
  it('Điều 16: conduct from Trung bình and học lực Yếu → re-test, choosing among the subjects below 5,0 or CĐ', () => {
    const subjects = student(60, { 'Tin học': 30, 'Công nghệ': 49, GDCD: 50 }, ['Thể dục']);
    expect(tt58RetestSubjects(subjects)).toEqual(['Công nghệ', 'Tin học', 'Thể dục']);
    expect(tt58Promotion(year({ rank: 'yeu', conduct: 'trung_binh', subjects }))).toEqual({ outcome: 'retest', retestSubjects: ['Công nghệ', 'Tin học', 'Thể dục'] });
  });
  it('Điều 17: học lực from Trung bình and conduct Yếu → summer conduct training', () => {
    expect(tt58Promotion(year({ rank: 'trung_binh', conduct: 'yeu' }))).toEqual({ outcome: 'summer_conduct_training' });
    expect(tt58Promotion(year({ rank: 'gioi', conduct: 'yeu' }))).toEqual({ outcome: 'summer_conduct_training' });
  });
  it('every pair of conduct and học lực has exactly the decision the articles give', () => {
    const conducts: Conduct[] = ['tot', 'kha', 'trung_binh', 'yeu'];
    const ranks: AcademicRank[] = ['gioi', 'kha', 'trung_binh', 'yeu', 'kem'];
    const table: Record<string, string> = {};
    for (const c of conducts) table[c] = ranks.map((r) => tt58Promotion(year({ conduct: c, rank: r })).outcome).join(' ');
    // học lực:       Giỏi / Khá / Trung bình / Yếu / Kém
    expect(table).toEqual({
      tot: 'promoted promoted promoted retest retained',
      kha: 'promoted promoted promoted retest retained',
      trung_binh: 'promoted promoted promoted retest retained',
      yeu: 'summer_conduct_training summer_conduct_training summer_conduct_training retained retained',
    });
  });

  it('Điều 16: the re-test mark replaces the year average, ĐTBcn and học lực are computed again — Trung bình: promoted', () => {
    // Tin học 3,0 on a 5,5 record: Yếu. Re-test 5,0 → Trung bình; re-test 3,4 → still Yếu.
    const subjects = student(55, { 'Tin học': 30 });
    const s = year({ rank: 'yeu', conduct: 'kha', subjects });
    expect(tt58AfterSummer(s, { retests: [{ subject: 'Tin học', result: 50 }] })).toEqual({ decision: { outcome: 'promoted' }, rank: 'trung_binh', conduct: 'kha' });
    expect(tt58AfterSummer(s, { retests: [{ subject: 'Tin học', result: 34 }] })).toEqual({
      decision: { outcome: 'retained', reason: 'Học lực sau kiểm tra lại vẫn chưa đạt loại Trung bình' },
      rank: 'yeu',
      conduct: 'kha',
    });
  });
  it('Điều 16: a comment subject re-tested Đ counts as Đ when học lực is classified again', () => {
    const subjects = student(60, {}, ['Thể dục']);
    const s = year({ rank: 'yeu', conduct: 'trung_binh', subjects });
    expect(tt58AfterSummer(s, { retests: [{ subject: 'Thể dục', result: 'd' }] }).decision).toEqual({ outcome: 'promoted' });
  });
  it('Điều 16: no re-test yet, a subject that may not be re-tested, or a result of the wrong kind — nothing decided', () => {
    const s = year({ rank: 'yeu', conduct: 'kha', subjects: student(55, { 'Tin học': 30 }, ['Thể dục']) });
    expect(tt58AfterSummer(s, {}).missing).toBe('chưa có điểm kiểm tra lại');
    expect(tt58AfterSummer(s, { retests: [{ subject: 'Toán', result: 90 }] }).missing).toBe('Toán: không thuộc các môn được kiểm tra lại');
    expect(tt58AfterSummer(s, { retests: [{ subject: 'Thể dục', result: 80 }, { subject: 'Tin học', result: 'd' }] }).missing).toBe(
      'Thể dục: kết quả kiểm tra lại là Đ hoặc CĐ; Tin học: kết quả kiểm tra lại là một điểm số',
    );
  });
  it('Điều 17 and Điều 15 khoản 2 điểm d: conduct rated again after the summer — Trung bình promoted, still Yếu retained', () => {
    const s = year({ rank: 'kha', conduct: 'yeu' });
    expect(tt58AfterSummer(s, { conduct: 'trung_binh' })).toEqual({ decision: { outcome: 'promoted' }, rank: 'kha', conduct: 'trung_binh' });
    expect(tt58AfterSummer(s, { conduct: 'yeu' }).decision).toEqual({ outcome: 'retained', reason: 'Hạnh kiểm sau kì nghỉ hè vẫn loại Yếu' });
    expect(tt58AfterSummer(s, {}).missing).toBe('chưa có kết quả rèn luyện hạnh kiểm trong hè');
  });
  it('a final decision stays: the summer changes nothing for 46 sessions absent or Kém', () => {
    expect(tt58AfterSummer(year({ sessionsAbsent: 46, conduct: 'yeu' }), { conduct: 'tot' }).decision.outcome).toBe('retained');
    expect(tt58AfterSummer(year({ rank: 'kem' }), { retests: [{ subject: 'Tin học', result: 100 }] }).decision.outcome).toBe('retained');
  });
});

describe('TT58/2011 Điều 18: Học sinh giỏi, Học sinh tiên tiến (term or year)', () => {
  it('Học sinh giỏi: conduct Tốt and học lực Giỏi', () => {
    expect(tt58Title('tot', 'gioi')).toBe('hoc_sinh_gioi');
  });
  it('Học sinh tiên tiến: conduct and học lực both from Khá', () => {
    expect(tt58Title('kha', 'gioi')).toBe('hoc_sinh_tien_tien');
    expect(tt58Title('tot', 'kha')).toBe('hoc_sinh_tien_tien');
    expect(tt58Title('kha', 'kha')).toBe('hoc_sinh_tien_tien');
  });
  it('nothing with either below Khá', () => {
    expect(tt58Title('trung_binh', 'gioi')).toBeNull();
    expect(tt58Title('tot', 'trung_binh')).toBeNull();
  });
});

describe('labels: every value of every enum has its Vietnamese name', () => {
  it('as the gradebook and the học bạ write them', () => {
    expect(Object.values(CONDUCT_LABELS)).toEqual(['Tốt', 'Khá', 'Trung bình', 'Yếu']);
    expect(Object.values(ACADEMIC_RANK_LABELS)).toEqual(['Giỏi', 'Khá', 'Trung bình', 'Yếu', 'Kém']);
    expect(COMMENT_MARK_SHORT).toEqual({ d: 'Đ', cd: 'CĐ' });
    expect(COMMENT_MARK_LABELS).toEqual({ d: 'Đạt yêu cầu', cd: 'Chưa đạt yêu cầu' });
    expect(Object.values(TT58_TITLE_LABELS)).toEqual(['Học sinh giỏi', 'Học sinh tiên tiến']);
    for (const labels of [TT58_PROMOTION_LABELS, TT58_TERM_FORMULA_LABELS, YEAR_CONDUCT_SOURCE_LABELS]) {
      for (const label of Object.values(labels)) expect(label).toMatch(/^\p{Lu}/u);
    }
  });
});
