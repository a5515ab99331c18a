import { describe, expect, it } from 'vitest';
import { foldSearch } from './select-search';

// The dropdown search boxes follow the same word-start rule as the server's search (issue 8).
const hits = (input: string, labels: string[]) => labels.filter((label) => foldSearch.filterOption(input, { label }));

describe('foldSearch (Select showSearch filter)', () => {
  it('matches the start of words, without accents, in any order', () => {
    const people = ['Nguyễn Văn An', 'Vũ Thị Yến', 'Lê Thị Ánh', 'Nguyễn Văn Khánh'];
    expect(hits('yen', people)).toEqual(['Vũ Thị Yến']);
    expect(hits('ánh', people)).toEqual(['Lê Thị Ánh']);
    expect(hits('an nguyen', people)).toEqual(['Nguyễn Văn An']);
    expect(hits('dan toc', ['Dân tộc', 'Tôn giáo'])).toEqual(['Dân tộc']);
    expect(hits('6a', ['6A1', '6A2', '7A1'])).toEqual(['6A1', '6A2']);
  });
  it('a label that is markup matches no search', () => {
    expect(foldSearch.filterOption('a', { label: { type: 'span' } })).toBe(false);
  });
});
