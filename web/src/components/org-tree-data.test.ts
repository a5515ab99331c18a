import { describe, expect, it } from 'vitest';
import { nameMatchesQuery } from '../../../domain/index';
import { type SelectTreeNode, firstSelectableMatch } from './org-tree-data';

const tree: SelectTreeNode[] = [
  {
    value: 'so',
    title: 'Sở GD&ĐT Lào Cai',
    selectable: false,
    children: [
      { value: 'phong', title: 'Phòng GD&ĐT Bắc Hà', selectable: false, children: [{ value: 'th', title: 'Trường Tiểu học Bắc Hà', selectable: true }] },
      { value: 'thcs', title: 'Trường THCS Bắc Hà', selectable: true },
    ],
  },
];
const match = (q: string) => (name: string) => nameMatchesQuery(name, q);

describe('Enter in a unit search chooses the first unit that may be chosen', () => {
  it('skips offices that only group, in the tree order', () => {
    expect(firstSelectableMatch(tree, match('bac ha'))?.value).toBe('th');
    expect(firstSelectableMatch(tree, match('thcs'))?.value).toBe('thcs');
  });
  it('chooses nothing when no unit that may be chosen matches', () => {
    expect(firstSelectableMatch(tree, match('lao cai'))).toBeUndefined();
  });
});
