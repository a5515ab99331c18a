import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Popconfirm } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../api/client';
import type { Anonymise, AnonymisationList, AnonymiseResult } from '../../api/types';
import { fmtDate } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { ResponsiveList } from '../../components/responsive-list';
import { QueryError } from '../../components/query-error';
import { vi } from '../../i18n/vi';
import { RequireSchool } from '../layout/require-school';

const t = vi.privacy;

/** Principal/admin: learners past the retention period, anonymised in one confirmed batch. */
export function AnonymisationPage() {
  return <RequireSchool>{(schoolId) => <AnonymisationView schoolId={schoolId} />}</RequireSchool>;
}

function AnonymisationView({ schoolId }: { schoolId: string }) {
  const path = `/schools/${schoolId}/privacy/anonymisation`;
  const q = useQuery({ queryKey: ['anonymisation', schoolId], queryFn: ({ signal }) => api.get<AnonymisationList>(path, undefined, signal) });
  const [selected, setSelected] = useState<string[]>([]);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const m = useMutation({
    mutationFn: (studentIds: string[]) => api.post<AnonymiseResult, Anonymise>(path, { studentIds }),
    onSuccess: (r) => {
      message.success(t.anonDone(r.anonymised));
      setSelected([]);
      void qc.invalidateQueries({ queryKey: ['anonymisation', schoolId] });
      void qc.invalidateQueries({ queryKey: ['students', schoolId] });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const d = q.data;
  return (
    <>
      <PageHeader
        title={t.anonTitle}
        extra={
          <Popconfirm title={t.confirmAnon(selected.length)} okText={vi.common.confirm} cancelText={vi.common.cancel} okButtonProps={{ danger: true }} onConfirm={() => m.mutate(selected)} disabled={selected.length === 0}>
            <Button danger type="primary" disabled={selected.length === 0} loading={m.isPending}>
              {t.anonymiseSelected(selected.length)}
            </Button>
          </Popconfirm>
        }
      />
      {q.isError ? <QueryError error={q.error} onRetry={() => q.refetch()} /> : null}
      {d ? <Alert type="warning" showIcon title={t.anonHint(d.retentionYears, fmtDate(d.cutoff))} style={{ marginBottom: 12 }} /> : null}
      <Card styles={{ body: { padding: 0 } }}>
        <ResponsiveList
          size="small"
          loading={q.isLoading}
          rowKey="id"
          locale={{ emptyText: t.noneEligible }}
          tableFrom="lg"
          cardColumns={['fullName', 'dateOfBirth', 'statusName', 'leftOn']}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
          dataSource={d?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          columns={[
            { title: vi.students.fullName, dataIndex: 'fullName' },
            { title: vi.students.learnerId, dataIndex: 'learnerId', width: 130, render: (x: string | null) => x ?? vi.common.none },
            { title: vi.students.dateOfBirth, dataIndex: 'dateOfBirth', width: 110, render: (x: string) => fmtDate(x) },
            { title: vi.students.status, dataIndex: 'statusName', width: 150 },
            { title: t.leftOn, dataIndex: 'leftOn', width: 120, render: (x: string) => fmtDate(x) },
            { title: t.enrolments, dataIndex: 'enrolments', width: 120 },
          ]}
        />
      </Card>
    </>
  );
}
