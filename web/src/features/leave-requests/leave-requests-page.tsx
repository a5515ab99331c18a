import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Input, Modal, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../api/client';
import type { DecideLeaveRequest, LeaveRequest, LeaveRequests } from '../../api/types';
import { fmtDateTime } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { QueryError } from '../../components/query-error';
import { ResponsiveList } from '../../components/responsive-list';
import { RequireSchool } from '../layout/require-school';
import { contactVi } from '../messages/contact-strings';
import { leaveDays } from './family-leave';

const t = contactVi.teacher;
const l = contactVi.leave;
const STATUS_COLOR: Record<string, string> = { pending: 'orange', approved: 'green', declined: 'red', cancelled: 'default', withdrawn: 'default' };

/** "Đơn xin nghỉ": the leave requests of the homeroom teacher's classes, pending first; approve or decline with a note. */
export function LeaveRequestsPage() {
  return <RequireSchool>{(schoolId) => <LeaveView schoolId={schoolId} key={schoolId} />}</RequireSchool>;
}

function LeaveView({ schoolId }: { schoolId: string }) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [onlyPending, setOnlyPending] = useState(false);
  const [deciding, setDeciding] = useState<{ item: LeaveRequest; decision: 'approve' | 'decline' } | null>(null);
  const [note, setNote] = useState('');
  const q = useQuery({
    queryKey: ['leave-requests', schoolId, onlyPending],
    queryFn: ({ signal }) => api.get<LeaveRequests>(`/schools/${schoolId}/leave-requests`, onlyPending ? { status: 'pending' } : undefined, signal),
  });
  const decide = useMutation({
    mutationFn: (d: { id: string; body: DecideLeaveRequest }) => api.post<LeaveRequest, DecideLeaveRequest>(`/schools/${schoolId}/leave-requests/${d.id}/decision`, d.body),
    onSuccess: (r) => {
      void message.success(r.status === 'approved' ? t.approved : t.declined);
      setDeciding(null);
      setNote('');
      void qc.invalidateQueries({ queryKey: ['leave-requests', schoolId] });
    },
  });
  const actions = (r: LeaveRequest) =>
    r.canDecide ? (
      <span style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
        <Button type="primary" size="small" onClick={() => setDeciding({ item: r, decision: 'approve' })} data-testid="leave-approve">
          {t.approve}
        </Button>
        <Button danger size="small" onClick={() => setDeciding({ item: r, decision: 'decline' })} data-testid="leave-decline">
          {t.decline}
        </Button>
      </span>
    ) : null;
  const columns: TableColumnsType<LeaveRequest> = [
    { key: 'student', title: 'Học sinh', render: (_, r) => `${r.student} · ${r.className}` },
    { key: 'days', title: 'Ngày nghỉ', render: (_, r) => `${leaveDays(r)} (${l.parts[r.part]}, ${l.sessions(r.sessions)})` },
    { key: 'reason', title: l.reason, dataIndex: 'reason' },
    { key: 'status', title: 'Trạng thái', render: (_, r) => <Tag color={STATUS_COLOR[r.status]}>{l.statuses[r.status]}</Tag> },
    { key: 'sent', title: 'Gửi lúc', render: (_, r) => fmtDateTime(r.requestedAt) },
    { key: 'actions', title: '', render: (_, r) => actions(r) ?? (r.note ? `${l.note}: ${r.note}` : null) },
  ];
  return (
    <>
      <PageHeader title={t.leaveTitle} />
      <div style={{ marginBottom: 12 }}>
        <Checkbox checked={onlyPending} onChange={(e) => setOnlyPending(e.target.checked)}>
          {t.onlyPending}
        </Checkbox>
      </div>
      {q.isError ? <QueryError error={q.error} onRetry={() => q.refetch()} /> : null}
      <ResponsiveList<LeaveRequest>
        rowKey="id"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        columns={columns}
        locale={{ emptyText: t.leaveNone }}
        itemTestId="leave-row"
        pagination={false}
        card={(r) => (
          <div>
            <div className="list-title">
              {r.student} · {r.className} <Tag color={STATUS_COLOR[r.status]}>{l.statuses[r.status]}</Tag>
            </div>
            <div className="list-desc">{`${leaveDays(r)} (${l.parts[r.part]}, ${l.sessions(r.sessions)})`}</div>
            <div className="list-desc">{r.reason}</div>
            {r.note ? <div className="list-desc">{`${l.note}: ${r.note}`}</div> : null}
          </div>
        )}
        cardActions={actions}
        onRow={(r) => ({ 'data-testid': 'leave-row', 'data-status': r.status }) as React.HTMLAttributes<HTMLElement>}
      />
      <Modal
        open={deciding !== null}
        title={deciding ? `${deciding.decision === 'approve' ? t.approve : t.decline}: ${deciding.item.student} — ${leaveDays(deciding.item)}` : ''}
        okText={deciding?.decision === 'approve' ? t.approve : t.decline}
        okButtonProps={{ danger: deciding?.decision === 'decline', loading: decide.isPending, 'data-testid': 'leave-confirm' }}
        cancelText={contactVi.messages.cancel}
        onCancel={() => {
          setDeciding(null);
          decide.reset();
        }}
        onOk={() => deciding && decide.mutate({ id: deciding.item.id, body: { decision: deciding.decision, note: note.trim() || undefined } })}
      >
        <label htmlFor="leave-note">{deciding?.decision === 'decline' ? t.declineNote : t.approveNote}</label>
        <Input.TextArea id="leave-note" value={note} maxLength={500} autoSize={{ minRows: 2 }} onChange={(e) => setNote(e.target.value)} />
        {decide.isError ? <p className="contact-error" role="alert" style={{ color: '#cf1322' }}>{errorText(decide.error)}</p> : null}
      </Modal>
    </>
  );
}
