import { describe, expect, it } from 'vitest';
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
});
