import type { HTMLAttributes } from 'react';
import { ApiError } from '../../api/client';
import type { ImportIssue } from '../../api/types';
import { ResponsiveList } from '../../components/responsive-list';
import { vi } from '../../i18n/vi';

const t = vi.imports;

/** The `issues` a refused .xlsx import lists (422 for wrong cells, 409 for conflicts), or none. */
export function issuesOf(e: unknown): ImportIssue[] {
  if (!(e instanceof ApiError) || !e.body || typeof e.body !== 'object') return [];
  const issues = (e.body as { issues?: unknown }).issues;
  return Array.isArray(issues) ? (issues as ImportIssue[]) : [];
}

/**
 * What to fix in a refused file, by the row and the column header Excel shows (the file's own
 * Vietnamese headers): a table on wide screens, one card per issue on a phone.
 */
export function ImportIssueList({ issues, testId }: { issues: ImportIssue[]; testId?: string }) {
  return (
    <ResponsiveList
        size="small"
        bordered
        rowKey={(r) => `${r.row}-${r.column}-${r.message}`}
        dataSource={issues}
        pagination={{ defaultPageSize: 50, hideOnSinglePage: true, size: 'small' }}
        itemTestId="import-issue"
        data-testid={testId}
        onRow={() => ({ 'data-testid': 'import-issue' }) as HTMLAttributes<HTMLElement>}
        card={(e) => (
          <>
            <strong>{e.column ? `${t.row} ${e.row} · ${e.column}` : `${t.row} ${e.row}`}</strong>
            <div>{e.message}</div>
          </>
        )}
        columns={[
          { title: t.row, dataIndex: 'row', width: 70, align: 'right' },
          { title: t.column, dataIndex: 'column', width: 160, render: (v: string) => v || vi.common.none },
          { title: t.message, dataIndex: 'message' },
        ]}
    />
  );
}
