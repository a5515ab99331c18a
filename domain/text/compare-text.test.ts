import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareVietnameseText } from './compare-text.js';

describe('Vietnamese text order (domain-vn §10, CLDR vi)', () => {
  it('puts d before đ and đ before e', () => {
    expect(['Đức', 'Duy', 'Em'].sort(compareVietnameseText)).toEqual(['Duy', 'Đức', 'Em']);
  });
  it('orders a < ă < â and o < ô < ơ', () => {
    expect(['Ân', 'Ăn', 'An'].sort(compareVietnameseText)).toEqual(['An', 'Ăn', 'Ân']);
    expect(['Ơn', 'Ôn', 'On'].sort(compareVietnameseText)).toEqual(['On', 'Ôn', 'Ơn']);
  });
  it('compares numbers inside names numerically (6A2 before 6A10)', () => {
    expect(['6A10', '6A2'].sort(compareVietnameseText)).toEqual(['6A2', '6A10']);
  });
  it('orders texts the numeric comparison finds equal by their characters, whatever order they came in', () => {
    expect(['00', '0'].sort(compareVietnameseText)).toEqual(['0', '00']);
    expect(['0', '00'].sort(compareVietnameseText)).toEqual(['0', '00']);
    expect(['6A01', '6A1'].sort(compareVietnameseText)).toEqual(['6A01', '6A1']);
  });
});

describe('compareVietnameseText is a total order (properties)', () => {
  const word = fc.string({ unit: fc.constantFrom(...'aăâdđeêoôơuưAĂÂĐ0123456789 '.split('')), maxLength: 8 });
  it('is antisymmetric and transitive, so sorting is stable and repeatable', () => {
    fc.assert(
      fc.property(word, word, word, (a, b, c) => {
        expect(Math.sign(compareVietnameseText(a, b)) + Math.sign(compareVietnameseText(b, a))).toBe(0);
        if (compareVietnameseText(a, b) <= 0 && compareVietnameseText(b, c) <= 0) expect(compareVietnameseText(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
  it('sorting any list twice gives the same order', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 20 }), (xs) => {
        const once = [...xs].sort(compareVietnameseText);
        expect([...once].reverse().sort(compareVietnameseText)).toEqual(once);
      }),
    );
  });
});
