import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { addDays, ageByCalendarYear, ageOn, daysInMonth, formatVnDate, formatVnDateTime, isoToday, parseVnDate } from './vn-date.js';

const ok = (value: string) => ({ ok: true, value });

describe('parseVnDate — Vietnamese day-first formats', () => {
  it('accepts dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy (day first, never mm/dd)', () => {
    expect(parseVnDate('03/02/2015')).toEqual(ok('2015-02-03'));
    expect(parseVnDate('3/2/2015')).toEqual(ok('2015-02-03'));
    expect(parseVnDate('03-02-2015')).toEqual(ok('2015-02-03'));
    expect(parseVnDate('03.02.2015')).toEqual(ok('2015-02-03'));
    expect(parseVnDate(' 05 / 09 / 2025 \u200B')).toEqual(ok('2025-09-05'));
  });
  it('accepts ISO yyyy-mm-dd', () => {
    expect(parseVnDate('2015-02-03')).toEqual(ok('2015-02-03'));
  });
  it('rejects impossible dates with a Vietnamese reason that says what to fix', () => {
    expect(parseVnDate('31/02/2015')).toEqual({ ok: false, reason: 'Ngày 31/02/2015 không có thật — kiểm tra lại ngày và tháng' });
    expect(parseVnDate('29/02/2015').ok).toBe(false);
    expect(parseVnDate('31/04/2020').ok).toBe(false);
    expect(parseVnDate('2015-02-31').ok).toBe(false);
    expect(parseVnDate('00/01/2015').ok).toBe(false);
  });
  it('accepts 29/02 in leap years (Gregorian: 2000 yes, 1900 no)', () => {
    expect(parseVnDate('29/02/2016')).toEqual(ok('2016-02-29'));
    expect(parseVnDate('29/02/2000')).toEqual(ok('2000-02-29'));
    expect(parseVnDate('29/02/1900').ok).toBe(false);
  });
  it('rejects month > 12 and hints at swapped month/day', () => {
    const r = parseVnDate('12/25/2015');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/đảo/);
  });
  it('rejects mixed separators, 2-digit years, timestamps, garbage and empty input', () => {
    for (const s of ['03/02-2015', '3/2/15', '2015-02-03T17:00:00Z', 'mai', '', '  ']) {
      const r = parseVnDate(s);
      expect(r.ok, s).toBe(false);
      if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
    }
  });
  it('rejects years outside 1900–2100 (typo guard)', () => {
    expect(parseVnDate('01/01/0215').ok).toBe(false);
    expect(parseVnDate('01/01/2215').ok).toBe(false);
  });
});

describe('parseVnDate — Excel 1900 date system serials', () => {
  it('serial 1 = 1900-01-01, 59 = 1900-02-28', () => {
    expect(parseVnDate(1)).toEqual(ok('1900-01-01'));
    expect(parseVnDate(59)).toEqual(ok('1900-02-28'));
  });
  it('serial 60 is Excel\'s fake 29/02/1900 (Lotus leap-year bug) and is rejected', () => {
    const r = parseVnDate(60);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('29/02/1900');
  });
  it('serials ≥ 61 are shifted by one: 61 = 1900-03-01, 45658 = 2025-01-01, 42038 = 2015-02-03', () => {
    expect(parseVnDate(61)).toEqual(ok('1900-03-01'));
    expect(parseVnDate(45658)).toEqual(ok('2025-01-01'));
    expect(parseVnDate(42038)).toEqual(ok('2015-02-03'));
  });
  it('drops the time-of-day fraction', () => {
    expect(parseVnDate(45658.75)).toEqual(ok('2025-01-01'));
  });
  it('rejects 0, negatives, NaN and Infinity', () => {
    for (const n of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) expect(parseVnDate(n).ok).toBe(false);
  });
  it('property: serials ≥ 61 map to consecutive days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 61, max: 73_000 }), (n) => {
        const a = parseVnDate(n);
        const b = parseVnDate(n + 1);
        if (!a.ok || !b.ok) return false;
        const diff = (Date.parse(b.value) - Date.parse(a.value)) / 86_400_000;
        return diff === 1;
      }),
    );
  });
});

describe('parseVnDate — JS Date uses UTC parts', () => {
  it('reads UTC fields regardless of the machine time zone', () => {
    expect(parseVnDate(new Date(Date.UTC(2015, 1, 3)))).toEqual(ok('2015-02-03'));
    expect(parseVnDate(new Date('2015-02-03T23:59:59Z'))).toEqual(ok('2015-02-03'));
  });
  it('rejects an invalid Date', () => {
    expect(parseVnDate(new Date('nope')).ok).toBe(false);
  });
});

describe('formatVnDate / round trips', () => {
  it('"2015-02-03" -> "03/02/2015"', () => {
    expect(formatVnDate('2015-02-03')).toBe('03/02/2015');
  });
  it('throws on non-ISO or impossible input', () => {
    expect(() => formatVnDate('03/02/2015')).toThrow(RangeError);
    expect(() => formatVnDate('2015-02-30')).toThrow(RangeError);
  });
  it('property: parseVnDate(formatVnDate(iso)) === iso for every valid date 1900–2100', () => {
    const isoArb = fc
      .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2100, 11, 31)), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(fc.property(isoArb, (iso) => {
      expect(parseVnDate(formatVnDate(iso))).toEqual(ok(iso));
      expect(parseVnDate(iso)).toEqual(ok(iso));
    }));
  });
  it('property: d/m/yyyy is valid iff the day exists in that month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1900, max: 2100 }), (d, m, y) => {
        expect(parseVnDate(`${d}/${m}/${y}`).ok).toBe(d <= daysInMonth(y, m));
      }),
    );
  });
});

describe('formatVnDateTime — dd/mm/yyyy HH:mm in Vietnam time (UTC+7, no DST)', () => {
  it('shifts a UTC instant to Vietnam time, 24-hour clock, zero-padded', () => {
    expect(formatVnDateTime('2025-02-03T07:05:00Z')).toBe('03/02/2025 14:05');
    expect(formatVnDateTime(new Date('2025-12-31T17:00:00Z'))).toBe('01/01/2026 00:00');
    expect(formatVnDateTime('2025-09-05T08:30:00+07:00')).toBe('05/09/2025 08:30');
  });
  it('refuses what is not an instant', () => {
    expect(() => formatVnDateTime('not a date')).toThrow(RangeError);
  });
  it('property: its date part is isoToday of the same instant, written day first', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (d) => {
        expect(formatVnDateTime(d).slice(0, 10)).toBe(formatVnDate(isoToday(d)));
      }),
    );
  });
});

describe('isoToday — Vietnam is UTC+7 with no DST', () => {
  it('is already "tomorrow" in Vietnam at 17:00 UTC', () => {
    expect(isoToday(new Date('2025-09-04T17:00:00Z'))).toBe('2025-09-05');
    expect(isoToday(new Date('2025-09-04T16:59:59Z'))).toBe('2025-09-04');
  });
  it('accepts another fixed offset', () => {
    expect(isoToday(new Date('2025-09-04T17:00:00Z'), 0)).toBe('2025-09-04');
  });
});

// The answer is kept for the day it was asked for; asking about another instant (earlier or
// later) or at another offset must never return the kept day by mistake.
describe('isoToday — the kept day', () => {
  it('turns at midnight Vietnam time, whichever instants were asked before', () => {
    expect(isoToday(new Date('2026-09-04T16:59:59.999Z'))).toBe('2026-09-04');
    expect(isoToday(new Date('2026-09-04T17:00:00.000Z'))).toBe('2026-09-05');
    expect(isoToday(new Date('2026-09-04T16:59:59.999Z'))).toBe('2026-09-04');
    expect(isoToday(new Date('2026-09-04T00:00:00.000Z'))).toBe('2026-09-04');
    expect(isoToday(new Date('2026-09-03T17:00:00.000Z'))).toBe('2026-09-04');
    expect(isoToday(new Date('2026-09-03T16:59:59.999Z'))).toBe('2026-09-03');
    expect(isoToday(new Date('2026-12-31T17:00:00.000Z'))).toBe('2027-01-01');
  });

  it('is not the kept day of another offset', () => {
    expect(isoToday(new Date('2026-09-04T17:00:00.000Z'))).toBe('2026-09-05');
    expect(isoToday(new Date('2026-09-04T17:00:00.000Z'), 0)).toBe('2026-09-04');
    expect(isoToday(new Date('2026-09-04T17:00:00.000Z'))).toBe('2026-09-05');
  });

  it('agrees with the plain computation over a year of random instants', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 2000; i++) {
      const t = start + Math.floor(Math.random() * 366 * 86_400_000);
      expect(isoToday(new Date(t))).toBe(new Date(t + 7 * 3_600_000).toISOString().slice(0, 10));
    }
  });
});

describe('addDays — calendar arithmetic on ISO dates', () => {
  it('crosses months, leap days and years, both ways', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-01-17', 3)).toBe('2026-01-20');
    expect(addDays('2026-01-17', 0)).toBe('2026-01-17');
  });
});

describe('ageOn — whole completed years (tuổi tròn)', () => {
  it('counts a birthday only once it is reached', () => {
    expect(ageOn('2015-09-05', '2021-09-04')).toBe(5);
    expect(ageOn('2015-09-05', '2021-09-05')).toBe(6);
  });
  it('29/02 birthdays advance on 01/03 in non-leap years', () => {
    expect(ageOn('2016-02-29', '2017-02-28')).toBe(0);
    expect(ageOn('2016-02-29', '2017-03-01')).toBe(1);
    expect(ageOn('2016-02-29', '2020-02-29')).toBe(4);
  });
  it('throws if the date is before birth', () => {
    expect(() => ageOn('2015-09-05', '2015-09-04')).toThrow(RangeError);
  });
  it('ageByCalendarYear: grade-1 age "tính theo năm" = year − birth year', () => {
    expect(ageByCalendarYear('2019-12-31', 2025)).toBe(6);
    expect(ageOn('2019-12-31', '2025-09-05')).toBe(5);
  });
});
