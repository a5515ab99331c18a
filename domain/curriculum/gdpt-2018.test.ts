import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CURRICULUM, SUBJECTS, compulsoryPeriods, levelOfGrade } from './gdpt-2018.js';

describe('GDPT 2018 periods per year (TT32/2018; domain-vn §8)', () => {
  it('grade 1 and 2 total 875 periods (25 per week × 35 weeks)', () => {
    expect(compulsoryPeriods(1)).toBe(875);
    expect(compulsoryPeriods(2)).toBe(875);
  });
  it('grade 3 totals 980 (28 per week), grades 4–5 total 1050 (30 per week)', () => {
    expect(compulsoryPeriods(3)).toBe(980);
    expect(compulsoryPeriods(4)).toBe(1050);
    expect(compulsoryPeriods(5)).toBe(1050);
  });
  it('THCS grades 6–7 total 1015 and 8–9 total 1032 (Công nghệ 52)', () => {
    expect(compulsoryPeriods(6)).toBe(1015);
    expect(compulsoryPeriods(7)).toBe(1015);
    expect(compulsoryPeriods(8)).toBe(1032);
    expect(compulsoryPeriods(9)).toBe(1032);
  });
  it('THPT after TT13/2022: Lịch sử is compulsory, electives are marked', () => {
    const g10 = CURRICULUM.filter((c) => c.grade === 10);
    expect(g10.find((c) => c.subjectCode === 'lich_su')?.isElective).toBe(false);
    expect(g10.filter((c) => c.isElective).length).toBeGreaterThanOrEqual(4);
  });
});

describe('assessment kind per subject', () => {
  it('TT22 Điều 5: GDTC, arts, HĐTN-HN and local content are comment-only in THCS', () => {
    for (const code of ['gdtc', 'am_nhac', 'mi_thuat', 'hdtn_hn', 'gd_dia_phuong']) {
      expect(CURRICULUM.find((c) => c.grade === 6 && c.subjectCode === code)?.assessmentKind).toBe('comment');
    }
    expect(CURRICULUM.find((c) => c.grade === 6 && c.subjectCode === 'toan')?.assessmentKind).toBe('score');
  });
  it('TT27: primary subjects with periodic tests are mixed, the others comment', () => {
    expect(CURRICULUM.find((c) => c.grade === 4 && c.subjectCode === 'khoa_hoc')?.assessmentKind).toBe('mixed');
    expect(CURRICULUM.find((c) => c.grade === 1 && c.subjectCode === 'dao_duc')?.assessmentKind).toBe('comment');
  });
  it('every catalog entry names a known subject', () => {
    const codes = new Set(SUBJECTS.map((s) => s.code));
    for (const c of CURRICULUM) expect(codes.has(c.subjectCode)).toBe(true);
  });
  it('grades map to school levels', () => {
    expect([0, 1, 5, 6, 9, 10, 12].map(levelOfGrade)).toEqual([
      'preschool', 'primary', 'primary', 'lower_secondary', 'lower_secondary', 'upper_secondary', 'upper_secondary',
    ]);
  });
});

describe('catalog invariants for every grade (properties)', () => {
  it('each grade 1–12 lists each subject once, with whole, positive period counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), (grade) => {
        const rows = CURRICULUM.filter((c) => c.grade === grade);
        expect(rows.length).toBeGreaterThan(0);
        expect(new Set(rows.map((r) => r.subjectCode)).size).toBe(rows.length);
        for (const r of rows) expect(Number.isInteger(r.periodsPerYear) && r.periodsPerYear > 0).toBe(true);
        expect(compulsoryPeriods(grade)).toBeGreaterThan(0);
      }),
    );
  });
});
