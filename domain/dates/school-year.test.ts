import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { defaultTermDates, parseSchoolYear, schoolYearLabel, schoolYearOf, termOf } from './school-year.js';

describe('school year stored as its start year ("2025-2026" = 2025)', () => {
  it('schoolYearLabel(2025) -> "2025-2026"', () => {
    expect(schoolYearLabel(2025)).toBe('2025-2026');
  });
  it('schoolYearLabel rejects non-integers', () => {
    expect(() => schoolYearLabel(2025.5)).toThrow(RangeError);
  });
  it('schoolYearLabel writes every whole year, also the last one the API takes (2100)', () => {
    expect(schoolYearLabel(2100)).toBe('2100-2101');
  });
  it('parseSchoolYear("2025-2026") -> 2025, tolerating dash variants and a "Năm học" prefix', () => {
    expect(parseSchoolYear('2025-2026')).toEqual({ ok: true, value: 2025 });
    expect(parseSchoolYear(' 2025 – 2026 ')).toEqual({ ok: true, value: 2025 });
    expect(parseSchoolYear('2025/2026')).toEqual({ ok: true, value: 2025 });
    expect(parseSchoolYear('Năm học 2025-2026')).toEqual({ ok: true, value: 2025 });
  });
  it('parseSchoolYear rejects "2025-2027", reversed years and garbage', () => {
    for (const s of ['2025-2027', '2026-2025', '2025', '25-26', '']) {
      const r = parseSchoolYear(s);
      expect(r.ok, s).toBe(false);
    }
  });
  it('property: parseSchoolYear(schoolYearLabel(y)) === y', () => {
    fc.assert(fc.property(fc.integer({ min: 1900, max: 2099 }), (y) => {
      expect(parseSchoolYear(schoolYearLabel(y))).toEqual({ ok: true, value: y });
    }));
  });
});

describe('schoolYearOf — year starts 1 September by default (start month is a parameter)', () => {
  it('September onwards belongs to the new school year, January–August to the previous', () => {
    expect(schoolYearOf('2025-09-01')).toBe(2025);
    expect(schoolYearOf('2025-12-31')).toBe(2025);
    expect(schoolYearOf('2026-01-01')).toBe(2025);
    expect(schoolYearOf('2026-08-31')).toBe(2025);
  });
  it('a school can start counting in August (tựu trường)', () => {
    expect(schoolYearOf('2025-08-25', 8)).toBe(2025);
    expect(schoolYearOf('2025-08-25')).toBe(2024);
  });
  it('throws on malformed input', () => {
    expect(() => schoolYearOf('05/09/2025')).toThrow(RangeError);
    expect(() => schoolYearOf('2025-02-30')).toThrow(RangeError);
    expect(() => schoolYearOf('2025-09-05', 13)).toThrow(RangeError);
  });
});

describe('defaultTermDates — editable defaults (khai giảng 5/9, HK1 to mid-January, HK2 to 31/5)', () => {
  it('builds default terms for 2025-2026', () => {
    expect(defaultTermDates(2025)).toEqual({
      schoolYear: 2025,
      source: 'default',
      terms: [
        { term: 1, start: '2025-09-05', end: '2026-01-17' },
        { term: 2, start: '2026-01-18', end: '2026-05-31' },
      ],
    });
  });
  it('every default term date belongs to its school year', () => {
    const cal = defaultTermDates(2030);
    for (const t of cal.terms) {
      expect(schoolYearOf(t.start)).toBe(2030);
      expect(schoolYearOf(t.end)).toBe(2030);
    }
  });
  it('termOf finds the term or null outside terms', () => {
    const cal = defaultTermDates(2025);
    expect(termOf('2025-09-05', cal)).toBe(1);
    expect(termOf('2026-01-17', cal)).toBe(1);
    expect(termOf('2026-01-18', cal)).toBe(2);
    expect(termOf('2026-06-15', cal)).toBeNull();
    expect(termOf('2025-09-04', cal)).toBeNull();
  });
});
