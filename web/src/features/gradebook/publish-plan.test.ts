import { describe, expect, it } from 'vitest';
import { columnNames, publishPlan } from './publish-plan';

const col = (key: string, label: string) => ({ key, label, title: label, kind: 'score' as const });
const row = (studentId: string, over: { membership?: 'whole_term' | 'joined' | 'left'; exempt?: string | null } = {}) => ({
  studentId,
  membership: over.membership ?? ('whole_term' as const),
  exempt: over.exempt ?? null,
});

describe('publishPlan', () => {
  const grid = {
    columns: [col('tx1', 'TX1'), col('gk', 'GK'), col('ck', 'CK'), col('nx', 'Nhận xét')],
    published: ['tx1'],
    rows: [row('a'), row('b'), row('c', { exempt: 'Miễn học kì II' }), row('d', { membership: 'left' }), row('e', { membership: 'joined' })],
  };
  const cells: Record<string, string> = { 'a/tx1': '8', 'b/tx1': '7', 'a/ck': '9', 'b/ck': ' ', 'e/nx': 'Chăm chỉ.' };
  const valueOf = (s: string, c: string) => cells[`${s}/${c}`] ?? null;

  it('offers the unpublished columns that hold a mark, in the grid order, each with the students still without one', () => {
    const plan = publishPlan(grid, valueOf);
    // GK holds nothing: nothing to publish. CK: a has 9; b (blank), e missing; c exempt and d departed not counted.
    expect(plan.toPublish).toEqual([
      { key: 'ck', label: 'CK', missing: 2 },
      { key: 'nx', label: 'Nhận xét', missing: 2 },
    ]);
    expect(columnNames(plan.toPublish)).toBe('CK, Nhận xét');
  });

  it('offers the published columns for a withdrawal, even an emptied one', () => {
    expect(publishPlan(grid, valueOf).published).toEqual([{ key: 'tx1', label: 'TX1', missing: 1 }]);
    expect(publishPlan(grid, () => null).published).toEqual([{ key: 'tx1', label: 'TX1', missing: 3 }]);
    expect(publishPlan(grid, () => null).toPublish).toEqual([]);
  });

  it('counts what the teacher sees, unsent values included (the caller reads the outbox first)', () => {
    const withUnsent = (s: string, c: string) => (s === 'b' && c === 'ck' ? '6,5' : valueOf(s, c));
    expect(publishPlan(grid, withUnsent).toPublish[0]).toEqual({ key: 'ck', label: 'CK', missing: 1 });
  });
});
