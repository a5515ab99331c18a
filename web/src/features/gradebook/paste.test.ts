import { describe, expect, it } from 'vitest';
import { isBlock, parseClipboardTable, pastePlan } from './paste';

// What Excel puts on the clipboard when a teacher copies a column or a block of marks.

describe('parseClipboardTable', () => {
  it('a column copied from Excel: one cell per line, the trailing line break is not a row', () => {
    expect(parseClipboardTable('8\r\n7,5\r\n9\r\n')).toEqual([['8'], ['7,5'], ['9']]);
  });

  it('a block: tabs between cells, empty cells kept in place', () => {
    expect(parseClipboardTable('8\t\t7\n6\t5\t\n')).toEqual([
      ['8', '', '7'],
      ['6', '5', ''],
    ]);
  });

  it('an empty cell inside a column is kept (it clears the cell, as in Excel)', () => {
    expect(parseClipboardTable('8\n\n9\n')).toEqual([['8'], [''], ['9']]);
  });

  it('a comment holding a line break or a quote comes quoted', () => {
    expect(parseClipboardTable('"Chăm chỉ,\nhay phát biểu"\t8\n"Nói ""to"" rõ"\t9')).toEqual([
      ['Chăm chỉ,\nhay phát biểu', '8'],
      ['Nói "to" rõ', '9'],
    ]);
  });

  it('a quote that does not close a cell is read as typed', () => {
    expect(parseClipboardTable('"Tốt" lắm\t7')).toEqual([['"Tốt" lắm', '7']]);
  });

  it('one value is not a block (it goes into the cell as typed)', () => {
    expect(isBlock(parseClipboardTable('8,5\r\n'))).toBe(false);
    expect(isBlock(parseClipboardTable('8,5'))).toBe(false);
    expect(isBlock(parseClipboardTable('8\n9'))).toBe(true);
    expect(isBlock(parseClipboardTable('8\t9'))).toBe(true);
  });
});

describe('pastePlan', () => {
  it('lays the block from the focused cell down and right, leaving out what falls outside', () => {
    const plan = pastePlan(
      [
        ['8', '7'],
        ['6', '5'],
        ['4', ''],
      ],
      { row: 38, col: 5 },
      40,
      7,
    );
    expect(plan.targets).toEqual([
      { row: 38, col: 5, text: '8' },
      { row: 38, col: 6, text: '7' },
      { row: 39, col: 5, text: '6' },
      { row: 39, col: 6, text: '5' },
    ]);
    // "4" had no row left; the empty cell beside it is not counted.
    expect(plan.outside).toBe(1);
  });
});
