import { describe, expect, it } from 'vitest';
import type { QualityRatings } from '../../api/types';
import { cellKey, commentChanges, commentKey, commentOf, defaultCheckpoint, withPhrase, writtenCount, fillEmpty, nextRating, qualityChanges, ratedCount, ratingForKey, ratingOf, type Rating } from './qualities-logic';

type Row = QualityRatings['rows'][number];
const row = (studentId: string, ratings: Row['ratings']): Row => ({ studentId, fullName: studentId, ratings, missing: [], comments: {} });
const Q = ['pc_yeu_nuoc', 'pc_nhan_ai'];

describe('qualities sheet (TT27/2020 Điều 7: Tốt / Đạt / Cần cố gắng per quality and competency)', () => {
  const rows = [row('a', { pc_yeu_nuoc: { value: 'Tốt', version: 3 } }), row('b', {})];

  it('a tap walks empty → Tốt → Đạt → Cần cố gắng → empty', () => {
    const seen: Rating[] = [];
    let r: Rating = null;
    for (let i = 0; i < 4; i++) seen.push((r = nextRating(r)));
    expect(seen).toEqual(['Tốt', 'Đạt', 'Cần cố gắng', null]);
  });

  it('reads typed keys as the server does (T, Đ or D, C; Delete clears) and leaves other keys to the browser', () => {
    expect(['t', 'T', 'đ', 'Đ', 'd', 'c'].map(ratingForKey)).toEqual(['Tốt', 'Tốt', 'Đạt', 'Đạt', 'Đạt', 'Cần cố gắng']);
    expect(ratingForKey('Delete')).toBeNull();
    expect(ratingForKey('Backspace')).toBeNull();
    expect(ratingForKey('ArrowLeft')).toBeUndefined();
    expect(ratingForKey('h')).toBeUndefined();
    expect(ratingForKey('5')).toBeUndefined();
  });

  it('a save sends only changed cells, each with the version it read (0 for a cell never rated)', () => {
    const draft = new Map<string, Rating>([
      [cellKey('a', 'pc_yeu_nuoc'), 'Tốt'], // unchanged: not sent
      [cellKey('a', 'pc_nhan_ai'), 'Đạt'],
      [cellKey('b', 'pc_yeu_nuoc'), 'Cần cố gắng'],
    ]);
    expect(qualityChanges(rows, Q, draft)).toEqual([
      { studentId: 'a', quality: 'pc_nhan_ai', value: 'Đạt', version: 0 },
      { studentId: 'b', quality: 'pc_yeu_nuoc', value: 'Cần cố gắng', version: 0 },
    ]);
    // Clearing a stored rating is a change too, sent as null with the stored version.
    expect(qualityChanges(rows, Q, new Map([[cellKey('a', 'pc_yeu_nuoc'), null]]))).toEqual([{ studentId: 'a', quality: 'pc_yeu_nuoc', value: null, version: 3 }]);
  });

  it('"Điền Đạt vào ô trống" fills only cells with no rating on the server or in the draft', () => {
    const draft = new Map<string, Rating>([[cellKey('b', 'pc_nhan_ai'), 'Tốt']]);
    const filled = fillEmpty(rows, Q, draft, 'Đạt');
    expect(ratingOf(rows[0], 'pc_yeu_nuoc', filled)).toBe('Tốt');
    expect(ratingOf(rows[0], 'pc_nhan_ai', filled)).toBe('Đạt');
    expect(ratingOf(rows[1], 'pc_yeu_nuoc', filled)).toBe('Đạt');
    expect(ratingOf(rows[1], 'pc_nhan_ai', filled)).toBe('Tốt');
    expect(ratedCount(rows[1], Q, filled)).toBe(2);
    expect(ratedCount(rows[1], Q, new Map())).toBe(0);
  });

  it('opens on the checkpoint the school year is at', () => {
    expect(defaultCheckpoint('hk1', '2026-10-15')).toBe('mid_term1');
    expect(defaultCheckpoint('hk1', '2026-11-30')).toBe('mid_term1');
    expect(defaultCheckpoint('hk1', '2026-12-01')).toBe('end_term1');
    expect(defaultCheckpoint('hk1', '2027-01-10')).toBe('end_term1');
    expect(defaultCheckpoint('hk2', '2027-03-31')).toBe('mid_term2');
    expect(defaultCheckpoint('hk2', '2027-04-01')).toBe('end_year');
    expect(defaultCheckpoint('cn', '2026-10-01')).toBe('end_year');
  });
});

describe("the homeroom teacher's year comments (TT27 học bạ)", () => {
  const T = ['pham_chat', 'overall'];
  const a: Row = { ...row('a', {}), comments: { pham_chat: { value: 'Chăm chỉ.', version: 2 } } };
  const b = row('b', {});

  it('a box shows the draft, else the stored text, else nothing', () => {
    const draft = new Map([[commentKey('b', 'overall'), 'Tiến bộ']]);
    expect(commentOf(a, 'pham_chat', draft)).toBe('Chăm chỉ.');
    expect(commentOf(b, 'overall', draft)).toBe('Tiến bộ');
    expect(commentOf(b, 'pham_chat', draft)).toBe('');
  });

  it('a save sends changed comments trimmed with the version read; blank clears; the same text after trimming is not sent', () => {
    const draft = new Map([
      [commentKey('a', 'pham_chat'), ' Chăm chỉ. '], // unchanged once trimmed
      [commentKey('a', 'overall'), 'Ngoan.'],
      [commentKey('b', 'pham_chat'), '   '], // blank over nothing: not sent
    ]);
    expect(commentChanges([a, b], T, draft)).toEqual([{ studentId: 'a', topic: 'overall', value: 'Ngoan.', version: 0 }]);
    expect(commentChanges([a], T, new Map([[commentKey('a', 'pham_chat'), '']]))).toEqual([{ studentId: 'a', topic: 'pham_chat', value: null, version: 2 }]);
  });

  it('counts the boxes written, and a picked phrase goes after the text', () => {
    expect(writtenCount(a, T, new Map())).toBe(1);
    expect(writtenCount(a, T, new Map([[commentKey('a', 'pham_chat'), ' ']]))).toBe(0);
    expect(withPhrase('Em ngoan. ', 'Tích cực phát biểu.')).toBe('Em ngoan. Tích cực phát biểu.');
    expect(withPhrase('', 'Tích cực phát biểu.')).toBe('Tích cực phát biểu.');
  });
});
