// Pure rules of "Công bố cho gia đình" (no React): which columns a publish would show families,
// which a withdrawal would take back, and how many students still have no mark in each.
// Tested in publish-plan.test.ts.
import type { Gradebook } from '../../api/types';

export type PublishColumn = {
  key: string;
  label: string;
  /** Students of the class who should have a mark here and have none yet (exempt and departed ones not counted). */
  missing: number;
};

export type PublishPlan = {
  /** Columns not published yet that hold at least one mark: what "Công bố" offers. */
  toPublish: PublishColumn[];
  /** Columns families see now: what "Thôi công bố" offers. */
  published: PublishColumn[];
};

type GridPart = Pick<Gradebook, 'columns' | 'published'> & { rows: ReadonlyArray<Pick<Gradebook['rows'][number], 'studentId' | 'membership' | 'exempt'>> };

/**
 * The columns of a publish and a withdrawal, in the grid's order, with each one's students still
 * without a mark; `valueOf` is the cell as the teacher sees it (unsent values included).
 */
export function publishPlan(grid: GridPart, valueOf: (studentId: string, column: string) => string | null): PublishPlan {
  const expected = grid.rows.filter((r) => !r.exempt && r.membership !== 'left');
  const has = (studentId: string, column: string) => (valueOf(studentId, column) ?? '').trim() !== '';
  const view = (key: string, label: string): PublishColumn => ({ key, label, missing: expected.filter((r) => !has(r.studentId, key)).length });
  const toPublish: PublishColumn[] = [];
  const published: PublishColumn[] = [];
  for (const col of grid.columns) {
    if (grid.published.includes(col.key)) published.push(view(col.key, col.label));
    else if (grid.rows.some((r) => has(r.studentId, col.key))) toPublish.push(view(col.key, col.label));
  }
  return { toPublish, published };
}

/** "CK, Nhận xét": the columns named as the grid's header names them. */
export const columnNames = (cols: ReadonlyArray<Pick<PublishColumn, 'label'>>) => cols.map((c) => c.label).join(', ');
