import { describe, expect, it } from 'vitest';
import { DEFAULT_AGE_TOLERANCE, ageRangeForGrade, checkDateOfBirth, normalAgeForGrade } from './date-of-birth.js';

// Ages are "tính theo năm": school-year start year − birth year (Luật Giáo dục 2019 Điều 28 k1;
// Điều lệ trường tiểu học TT28/2020 Điều 33 k1). School year 2025-2026 throughout.
const YEAR = 2025;
const TODAY = '2025-10-15';
const check = (dob: string, grade: number | null, today = TODAY) => checkDateOfBirth(dob, { today, grade, schoolYear: YEAR });

describe('normal age per grade (Luật Giáo dục 2019 Điều 28 k1)', () => {
  it('grade 1 at 6, grade 6 at 11, grade 10 at 15', () => {
    expect(normalAgeForGrade(1)).toBe(6);
    expect(normalAgeForGrade(6)).toBe(11);
    expect(normalAgeForGrade(10)).toBe(15);
  });
  it('grade 1 allows no younger pupil (nothing skipped yet); later grades one skipped grade; up to 6 years older (3 late entry, TT28/2020 Điều 33 k1, + 3 repeats)', () => {
    expect(ageRangeForGrade(1)).toEqual({ min: 6, max: 12, normal: 6 });
    expect(ageRangeForGrade(2)).toEqual({ min: 6, max: 13, normal: 7 });
    expect(ageRangeForGrade(6)).toEqual({ min: 10, max: 17, normal: 11 });
    expect(ageRangeForGrade(12)).toEqual({ min: 16, max: 23, normal: 17 });
  });
  it('the tolerance is configurable', () => {
    expect(ageRangeForGrade(6, { ...DEFAULT_AGE_TOLERANCE, youngerYears: 0, olderYears: 3 })).toEqual({ min: 11, max: 14, normal: 11 });
    expect(checkDateOfBirth('2010-05-01', { today: TODAY, grade: 6, schoolYear: YEAR, tolerance: { youngerYears: 0, olderYears: 3, unusualAfterYears: 3 } })).toMatchObject({ ok: false });
  });
});

describe('checkDateOfBirth: boundaries', () => {
  it('grade 1 in 2025-2026: born 01/01/2019 (6) to 31/12/2013 (12) allowed; a day outside either way refused', () => {
    // Youngest allowed: born on the last day of 2019 (6 tính theo năm); one day later is 2020 (5).
    expect(check('2019-12-31', 1)).toEqual({ ok: true });
    expect(check('2020-01-01', 1)).toEqual({
      ok: false,
      message:
        'Sinh ngày 01/01/2020 thì năm học 2025-2026 mới 5 tuổi — khối 1 nhận học sinh 6–12 tuổi tính theo năm (thường 6 tuổi, sinh năm 2019); kiểm tra lại năm sinh hoặc lớp.',
    });
    // Oldest allowed: born on the first day of 2013 (12); one day earlier is 2012 (13).
    expect(check('2013-01-01', 1)).toMatchObject({ ok: true });
    expect(check('2012-12-31', 1)).toMatchObject({ ok: false, message: expect.stringContaining('đã 13 tuổi — khối 1 nhận học sinh 6–12 tuổi') });
  });
  it('grade 6: 10–17 allowed; a grade-6 pupil aged 3 is refused', () => {
    expect(check('2015-12-31', 6)).toEqual({ ok: true });
    expect(check('2016-01-01', 6)).toMatchObject({ ok: false });
    expect(check('2008-01-01', 6)).toMatchObject({ ok: true });
    expect(check('2007-12-31', 6)).toMatchObject({ ok: false });
    expect(check('2022-03-01', 6)).toMatchObject({ ok: false, message: expect.stringContaining('mới 3 tuổi — khối 6 nhận học sinh 10–17 tuổi') });
  });
  it('more than 3 years above the normal age is allowed but flagged (late entry beyond 03 years needs the office, TT28/2020 Điều 33 k1)', () => {
    expect(check('2011-01-01', 6)).toEqual({ ok: true }); // 14 = 11 + 3
    expect(check('2010-12-31', 6)).toEqual({ ok: true, unusual: '15 tuổi (tính theo năm) ở khối 6 — hơn tuổi quy định (11) quá 3 năm; kiểm tra lại ngày sinh.' });
  });
  it('29/02: leap-year births are checked like any other; the date itself must exist (parseVnDate refuses 29/02/2015)', () => {
    expect(check('2016-02-29', 4)).toEqual({ ok: true }); // 9 = 5 + 4
    expect(check('2020-02-29', 6)).toMatchObject({ ok: false }); // 5 in grade 6
    expect(check('2024-02-29', null, '2024-02-29')).toEqual({ ok: true }); // born today (a leap day)
  });
  it('today is not in the future; tomorrow is, with or without a grade', () => {
    expect(check(TODAY, null)).toEqual({ ok: true });
    expect(check('2025-10-16', null)).toEqual({ ok: false, message: 'Ngày 16/10/2025 chưa tới (hôm nay là 15/10/2025) — kiểm tra lại năm sinh.' });
    expect(check('2030-01-15', 6)).toEqual({ ok: false, message: 'Ngày 15/01/2030 chưa tới (hôm nay là 15/10/2025) — kiểm tra lại năm sinh.' });
    // Born today, placed in grade 1: too young, not "future".
    expect(check(TODAY, 1)).toMatchObject({ ok: false, message: expect.stringContaining('mới 0 tuổi') });
  });
  it('preschool (grade 0) and an unknown grade: only the future is refused', () => {
    expect(check('2024-01-01', 0)).toEqual({ ok: true });
    expect(check('1990-01-01', null)).toEqual({ ok: true });
  });
});
