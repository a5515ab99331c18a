import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  citizenIdHints,
  isCitizenId,
  isLearnerId,
  isTemporaryLearnerCode,
  makeTemporaryLearnerCode,
  normalizeIdInput,
} from './learner-ids.js';

describe('isLearnerId — domain-vn §5: Ministry learner id observed as 10 digits, structure UNCERTAIN', () => {
  it('accepts exactly 10 ASCII digits, including leading zeros', () => {
    expect(isLearnerId('0123456789')).toBe(true);
    expect(isLearnerId('7912345678')).toBe(true);
  });
  it('rejects other lengths, non-digits, spaces and non-ASCII digits', () => {
    for (const s of ['', '123456789', '01234567890', '012345678a', ' 0123456789', '０１２３４５６７８９', '٠١٢٣٤٥٦٧٨٩']) {
      expect(isLearnerId(s), s).toBe(false);
    }
  });
});

describe('isCitizenId — 12 digits, province prefix 001–096, century/sex digit', () => {
  it('accepts 12 digits with a province code in 001–096', () => {
    expect(isCitizenId('001215000123')).toBe(true); // Hà Nội, 2000s male
    expect(isCitizenId('079307000001')).toBe(true); // TP.HCM, 2000s female
    expect(isCitizenId('096099123456')).toBe(true);
  });
  it('rejects province 000 and > 096, wrong lengths and old 9-digit CMND', () => {
    for (const s of ['000215000123', '097215000123', '999215000123', '01215000123', '0012150001234', '123456789']) {
      expect(isCitizenId(s), s).toBe(false);
    }
  });
  it('citizenIdHints decodes sex and birth year (advisory only)', () => {
    expect(citizenIdHints('001215000123')).toEqual({ provinceCode: '001', sex: 'male', birthYear: 2015 });
    expect(citizenIdHints('079185000123')).toEqual({ provinceCode: '079', sex: 'female', birthYear: 1985 });
    expect(citizenIdHints('0123')).toBeNull();
  });
});

describe('temporary learner codes — must never collide with a 10-digit Ministry id', () => {
  it('makeTemporaryLearnerCode("79000701", 123) -> "TMP-79000701-000123"', () => {
    expect(makeTemporaryLearnerCode('79000701', 123)).toBe('TMP-79000701-000123');
  });
  it('does not truncate sequences above 999 999', () => {
    expect(makeTemporaryLearnerCode('A1', 1_234_567)).toBe('TMP-A1-1234567');
  });
  it('rejects bad school codes and sequences', () => {
    expect(() => makeTemporaryLearnerCode('', 1)).toThrow(RangeError);
    expect(() => makeTemporaryLearnerCode('79-01', 1)).toThrow(RangeError);
    expect(() => makeTemporaryLearnerCode('79000701', 0)).toThrow(RangeError);
    expect(() => makeTemporaryLearnerCode('79000701', 1.5)).toThrow(RangeError);
  });
  it('property: every temporary code is recognised and is never a learner id or citizen id', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9]{1,32}$/),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (school, seq) => {
          const code = makeTemporaryLearnerCode(school, seq);
          expect(isTemporaryLearnerCode(code)).toBe(true);
          expect(isLearnerId(code)).toBe(false);
          expect(isCitizenId(code)).toBe(false);
          expect(normalizeIdInput(code)).toEqual({ ok: true, value: code, padded: false });
        },
      ),
    );
  });
  it('isTemporaryLearnerCode rejects Ministry ids and near misses', () => {
    for (const s of ['0123456789', 'TMP-79000701-123', 'tmp-79000701-000123', 'TMP--000123']) {
      expect(isTemporaryLearnerCode(s), s).toBe(false);
    }
  });
});

describe('normalizeIdInput — spreadsheet hygiene', () => {
  it('strips spaces, NBSP, zero-width/bidi chars and Excel\'s leading apostrophe; folds full-width digits', () => {
    expect(normalizeIdInput(' 012 345\u00A06789\u200B')).toEqual({ ok: true, value: '0123456789', padded: false });
    expect(normalizeIdInput("'0123456789")).toEqual({ ok: true, value: '0123456789', padded: false });
    expect(normalizeIdInput('\u202A０１２３４５６７８９\u202C')).toEqual({ ok: true, value: '0123456789', padded: false });
  });
  it('never pads strings: the user\'s digits are kept as typed', () => {
    expect(normalizeIdInput('123456789')).toEqual({ ok: true, value: '123456789', padded: false });
  });
  it('a number from Excel lost its leading zeros: padded to 10 and reported', () => {
    expect(normalizeIdInput(123456789)).toEqual({ ok: true, value: '0123456789', padded: true });
    expect(normalizeIdInput(7912345678)).toEqual({ ok: true, value: '7912345678', padded: false });
  });
  it('"123456789.0" (stringified numeric cell) is treated as that number', () => {
    expect(normalizeIdInput('123456789.0')).toEqual({ ok: true, value: '0123456789', padded: true });
  });
  it('a number ≥ 10^10 cannot be a learner id and is rejected', () => {
    expect(normalizeIdInput(10_000_000_000).ok).toBe(false);
  });
  it('citizen ids pad to 12 (they always start with 0, so Excel always eats digits)', () => {
    expect(normalizeIdInput(1215000123, 'citizenId')).toEqual({ ok: true, value: '001215000123', padded: true });
    expect(normalizeIdInput(1_000_000_000_000, 'citizenId').ok).toBe(false);
  });
  it('rejects negative, fractional and unsafe numbers, and scientific-notation strings', () => {
    for (const n of [-1, 12.5, Number.NaN, 2 ** 60]) expect(normalizeIdInput(n).ok).toBe(false);
    expect(normalizeIdInput('1.23457E+11').ok).toBe(false);
    expect(normalizeIdInput('1,23457E+11').ok).toBe(false);
  });
  it('property: any integer < 10^10 becomes a valid learner id that round-trips to the number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999_999 }), (n) => {
        const r = normalizeIdInput(n);
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(isLearnerId(r.value)).toBe(true);
          expect(Number(r.value)).toBe(n);
          expect(r.padded).toBe(n < 1_000_000_000);
        }
      }),
    );
  });
  it('property: a 10-digit id survives insertion of spaces and zero-width chars', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{10}$/),
        fc.array(fc.constantFrom(' ', '\u00A0', '\u200B', '\uFEFF', '\u200E'), { maxLength: 5 }),
        fc.nat(),
        (id, junk, seed) => {
          const chars = id.split('');
          junk.forEach((j, i) => chars.splice((seed + i * 3) % (chars.length + 1), 0, j));
          expect(normalizeIdInput(chars.join(''))).toEqual({ ok: true, value: id, padded: false });
        },
      ),
    );
  });
});
