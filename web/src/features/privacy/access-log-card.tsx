import { useQuery } from '@tanstack/react-query';
import { Card, Typography } from 'antd';
import { api } from '../../api/client';
import type { AccessLog } from '../../api/types';
import { fmtDateTime } from '../../components/format';
import { ResponsiveList } from '../../components/responsive-list';
import { vi } from '../../i18n/vi';

const t = vi.privacy;

/** "Ai đã xem hồ sơ": the latest views and exports of one record, for the principal. */
export function AccessLogCard({ schoolId, studentId }: { schoolId: string; studentId: string }) {
  const q = useQuery({
    queryKey: ['access-log', schoolId, studentId],
    queryFn: ({ signal }) => api.get<AccessLog>(`/schools/${schoolId}/students/${studentId}/access-log`, undefined, signal),
  });
  return (
    <Card title={t.whoViewed} size="small" style={{ marginTop: 12 }} data-testid="access-log-card">
      {q.data && q.data.items.length === 0 ? (
        <Typography.Text type="secondary">{t.noViews}</Typography.Text>
      ) : (
        <ResponsiveList
          size="small"
          tableFrom="sm"
          loading={q.isLoading}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          rowKey={(r) => `${r.at}-${r.username}-${r.action}`}
          dataSource={q.data?.items ?? []}
          columns={[
            { title: t.at, dataIndex: 'at', width: 150, render: (at: string) => fmtDateTime(at) },
            { title: t.viewer, render: (_: unknown, r: AccessLog['items'][number]) => (r.displayName ? `${r.displayName} (${r.username})` : (r.username ?? vi.common.none)) },
            { title: t.action, dataIndex: 'action', width: 150, render: (a: string) => t.accessActions[a] ?? a },
          ]}
        />
      )}
    </Card>
  );
}
