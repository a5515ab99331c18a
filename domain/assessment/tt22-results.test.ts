import { describe, expect, it } from 'vitest';
import type { CellValue } from './gradebook-grid.js';
import { ok } from './outcome.js';
import { subjectTermResult, termStanding, yearResults, type SubjectTermInput } from './tt22-results.js';

const score = (t: number): CellValue => ({ kind: 'score', tenths: t });
const pass: CellValue = { kind: 'pass_fail', result: 'dat' };
const fail: CellValue = { kind: 'pass_fail', result: 'chua_dat' };

/** A scored subject with every mark equal to `t` (3 regular marks), or a comment subject all Đạt. */
const scored = (code: string, t: number): SubjectTermInput => ({
  code,
  name: code,
  assessment: 'score',
  requiredRegular: 3,
  cells: { tx1: score(t), tx2: score(t), tx3: score(t), gk: score(t), ck: score(t) },
});
const comment = (code: string, last: CellValue = pass): SubjectTermInput => ({ code, name: code, assessment: 'comment', requiredRegular: 2, cells: { tx1: pass, tx2: pass, gk: pass, ck: last } });
const grade6 = (t: number, artFinal: CellValue = pass) => [
  ...['Ngữ văn', 'Toán', 'Ngoại ngữ 1', 'GDCD', 'LS&ĐL', 'KHTN', 'Công nghệ', 'Tin học'].map((c) => scored(c, t)),
  comment('GDTC'),
  comment('Âm nhạc', artFinal),
  comment('HĐTN-HN'),
];

describe('TT22/2021 Điều 9: a term put together from the gradebook', () => {
  it('every subject complete → the learning result of the term', () => {
    const t = termStanding(grade6(85), 'tot');
    expect(t.learning).toEqual(ok({ level: 'tot' }));
  });
  it('a missing mark names the subject and what is missing', () => {
    const subjects = grade6(85);
    subjects[1] = { ...subjects[1], cells: { ...subjects[1].cells, ck: null } };
    expect(termStanding(subjects, 'tot').learning).toEqual({ status: 'incomplete', reasons: ['Toán: thiếu điểm cuối kì'] });
  });
  it('a student who transferred in: the old school term result stands where this school has no marks', () => {
    const carried = { ...scored('Toán', 0), cells: {}, carried: { kind: 'score' as const, average: 72 } };
    expect(subjectTermResult(carried).result).toEqual(ok({ subject: 'Toán', kind: 'score', average: 72 }));
    // Marks entered here win over the carried result.
    expect(subjectTermResult({ ...scored('Toán', 90), carried: { kind: 'score', average: 72 } }).result).toEqual(ok({ subject: 'Toán', kind: 'score', average: 90 }));
  });
  it('an exempt subject (Điều 11) is left out', () => {
    const subjects = grade6(85).map((s) => (s.code === 'GDTC' ? { ...s, cells: {}, exempt: true } : s));
    expect(termStanding(subjects, 'tot').learning).toEqual(ok({ level: 'tot' }));
  });
});

describe('TT22/2021 Điều 11: exempt for one term — the year is the other term (our reading, after TT58/2011 Điều 12 khoản 4)', () => {
  const exemptIn = (subjects: SubjectTermInput[], code: string) => subjects.map((s) => (s.code === code ? { ...s, cells: {}, exempt: true } : s));
  it('Toán exempt in term I: ĐTBmcn of Toán is its term II average, not (I + 2·II) / 3', () => {
    const y = yearResults(termStanding(exemptIn(grade6(60), 'Toán'), 'tot'), termStanding(grade6(84), 'tot'), 0);
    expect(y.subjects.find((s) => s.code === 'Toán')?.result).toEqual(ok({ subject: 'Toán', kind: 'score', average: 84 }));
    // The others: (6,0 + 2·8,4) / 3 = 7,6
    expect(y.subjects.find((s) => s.code === 'Ngữ văn')?.result).toEqual(ok({ subject: 'Ngữ văn', kind: 'score', average: 76 }));
  });
  it('GDTC exempt in term II: the year takes term I (not "Miễn", not the term II result of a comment subject)', () => {
    const t1 = termStanding(grade6(70), 'kha');
    const y = yearResults(t1, termStanding(exemptIn(grade6(70), 'GDTC'), 'kha'), 0);
    expect(y.subjects.find((s) => s.code === 'GDTC')?.result).toEqual(ok({ subject: 'GDTC', kind: 'comment', result: 'dat' }));
    const toanOnlyT1 = yearResults(termStanding(grade6(55), 'kha'), termStanding(exemptIn(grade6(70), 'Toán'), 'kha'), 0);
    expect(toanOnlyT1.subjects.find((s) => s.code === 'Toán')?.result).toEqual(ok({ subject: 'Toán', kind: 'score', average: 55 }));
  });
  it('exempt both terms: exempt for the year, and the learning result stands on the other subjects', () => {
    const y = yearResults(termStanding(exemptIn(grade6(85), 'GDTC'), 'tot'), termStanding(exemptIn(grade6(85), 'GDTC'), 'tot'), 0);
    expect(y.subjects.find((s) => s.code === 'GDTC')?.result).toEqual(ok({ subject: 'GDTC', kind: 'exempt' }));
    expect(y.learning).toEqual(ok({ level: 'tot' }));
  });
  it('the other term incomplete: the year is incomplete with that term\'s reasons, never a number', () => {
    const t2 = grade6(80).map((s) => (s.code === 'Toán' ? { ...s, cells: { ...s.cells, ck: null } } : s));
    const y = yearResults(termStanding(exemptIn(grade6(80), 'Toán'), 'tot'), termStanding(t2, 'tot'), 0);
    expect(y.subjects.find((s) => s.code === 'Toán')?.result).toEqual({ status: 'incomplete', reasons: ['thiếu điểm cuối kì'] });
  });
});

describe('TT22/2021 Điều 8, 9, 12–15: the year', () => {
  it('a good year: Tốt / Tốt, promoted, Học sinh Xuất sắc when six subjects ≥ 9,0', () => {
    const y = yearResults(termStanding(grade6(90), 'tot'), termStanding(grade6(92), 'tot'), 3);
    expect(y.learning).toEqual(ok({ level: 'tot' }));
    expect(y.training).toEqual(ok('tot'));
    expect(y.promotion).toEqual(ok({ outcome: 'promoted' }));
    expect(y.award).toBe('xuat_sac');
    // ĐTBmcn = (9,0 + 2·9,2)/3 = 9,13… → 9,1
    expect(y.subjects[0].result).toEqual(ok({ subject: 'Ngữ văn', kind: 'score', average: 91 }));
  });
  it('a comment subject takes its term II result for the year', () => {
    const y = yearResults(termStanding(grade6(70, fail), 'kha'), termStanding(grade6(70, pass), 'kha'), 0);
    expect(y.subjects.find((s) => s.code === 'Âm nhạc')?.result).toEqual(ok({ subject: 'Âm nhạc', kind: 'comment', result: 'dat' }));
  });
  it('46 sessions absent: retained even before everything is rated; 45: promoted', () => {
    const t1 = termStanding(grade6(70), null);
    const t2 = termStanding(grade6(70), null);
    expect(yearResults(t1, t2, 46).promotion).toEqual(ok({ outcome: 'retained', reason: 'Nghỉ 46 buổi trong năm học, quá 45 buổi' }));
    expect(yearResults(t1, t2, 45).promotion).toEqual({ status: 'incomplete', reasons: ['chưa xếp loại rèn luyện học kì I', 'chưa xếp loại rèn luyện học kì II'] });
    expect(yearResults(termStanding(grade6(70), 'kha'), termStanding(grade6(70), 'dat'), 45).promotion).toEqual(ok({ outcome: 'promoted' }));
  });
  it('learning Chưa đạt → re-test in the subjects below 5,0', () => {
    const weak = grade6(70).map((s, i) => (i >= 5 && i < 8 ? scored(s.code, 30) : s));
    const y = yearResults(termStanding(weak, 'dat'), termStanding(weak, 'dat'), 0);
    expect(y.promotion).toEqual(ok({ outcome: 'retest', retestSubjects: ['KHTN', 'Công nghệ', 'Tin học'] }));
    expect(y.award).toBeNull();
  });
});
