import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatEnteredMark, formatTenths, parseMark, roundHalfUpRatio, weightedAverage } from './marks.js';

describe('half-up rounding with exact integers (domain-vn §1 "Averages": never binary floats)', () => {
  it('rounds halves up and everything else to the nearest', () => {
    expect(roundHalfUpRatio(645, 10)).toBe(65); // 64,5 tenths → 65
    expect(roundHalfUpRatio(644, 10)).toBe(64);
    expect(roundHalfUpRatio(1, 3)).toBe(0);
    expect(roundHalfUpRatio(2, 3)).toBe(1);
    expect(roundHalfUpRatio(0, 7)).toBe(0);
  });
  it('refuses what is not a whole, non-negative fraction', () => {
    expect(() => roundHalfUpRatio(1.5, 2)).toThrow(RangeError);
    expect(() => roundHalfUpRatio(1, 0)).toThrow(RangeError);
    expect(() => roundHalfUpRatio(-1, 2)).toThrow(RangeError);
  });
  it('property: the result t satisfies t − ½ ≤ n/d < t + ½ (checked by cross-multiplying, no division)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000 }), (n, d) => {
        const t = roundHalfUpRatio(n, d);
        expect(2 * t * d - d <= 2 * n).toBe(true);
        expect(2 * n < 2 * t * d + d).toBe(true);
      }),
    );
  });
  it('weighted average: Σ wᵢ·mᵢ / Σ wᵢ', () => {
    expect(weightedAverage([{ tenths: 80, weight: 1 }, { tenths: 90, weight: 2 }])).toBe(87); // 26/3 = 8,666…
  });
});

describe('reading a mark as a teacher types it (TT22 Điều 5 khoản 2: integer or one decimal)', () => {
  it('accepts a comma or a point, spaces, and a trailing zero', () => {
    expect(parseMark('8,5')).toEqual({ ok: true, tenths: 85 });
    expect(parseMark('8.5')).toEqual({ ok: true, tenths: 85 });
    expect(parseMark(' 7,50 ')).toEqual({ ok: true, tenths: 75 });
    expect(parseMark('10')).toEqual({ ok: true, tenths: 100 });
    expect(parseMark('0')).toEqual({ ok: true, tenths: 0 });
    expect(parseMark('10,0')).toEqual({ ok: true, tenths: 100 });
  });
  it('refuses two significant decimals, over 10, and text, saying what to type', () => {
    const r = parseMark('8,25');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('một chữ số thập phân');
    const over = parseMark('10,5');
    expect(over.ok || over.message).toBe('Điểm tối đa là 10 ("10,5").');
    const text = parseMark('tám');
    expect(text.ok || text.message).toContain('không phải là điểm');
    for (const bad of ['-1', '8,', ',5', '1e1', '8,5,1', '']) expect(parseMark(bad).ok, bad).toBe(false);
  });
  it('TT27/2020 Điều 7 khoản 2: primary periodic tests are whole marks 1–10, no 0', () => {
    expect(parseMark('7', 'whole-1-10')).toEqual({ ok: true, tenths: 70 });
    expect(parseMark('7,0', 'whole-1-10')).toEqual({ ok: true, tenths: 70 });
    // One sentence each, naming both limits and what was wrong.
    const message = (text: string) => {
      const p = parseMark(text, 'whole-1-10');
      return p.ok || p.message;
    };
    expect(message('7,5')).toBe('Điểm kiểm tra định kì là số nguyên từ 1 đến 10, không có phần thập phân ("7,5").');
    expect(message('0')).toBe('Điểm kiểm tra định kì là số nguyên từ 1 đến 10, không cho điểm 0 ("0").');
    expect(message('11')).toBe('Điểm kiểm tra định kì là số nguyên từ 1 đến 10, cao nhất là 10 ("11").');
    expect(message('bảy')).toBe('Điểm kiểm tra định kì là số nguyên từ 1 đến 10; "bảy" không phải là số.');
  });
  it('writes averages with a decimal comma and marks as typed', () => {
    expect([0, 5, 80, 85, 99, 100].map(formatTenths)).toEqual(['0,0', '0,5', '8,0', '8,5', '9,9', '10,0']);
    expect([80, 85, 100, 0].map(formatEnteredMark)).toEqual(['8', '8,5', '10', '0']);
  });
  it('property: every mark 0,0–10,0 survives format → parse', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (t) => {
        expect(parseMark(formatEnteredMark(t))).toEqual({ ok: true, tenths: t });
      }),
    );
  });
});
