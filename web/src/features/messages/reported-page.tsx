import { useMutation, useQuery } from '@tanstack/react-query';
import { App, Card, Empty, Skeleton, Switch } from 'antd';
import { api, errorText } from '../../api/client';
import type { ContactSettings, ReportedMessages } from '../../api/types';
import { fmtDateTime } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { QueryError } from '../../components/query-error';
import { RequireSchool } from '../layout/require-school';
import { contactVi } from './contact-strings';
import './contact.css';

const t = contactVi.teacher;

/** The principal's "Tin nhắn bị báo cáo": the school's reported messages (and only those), and the contact book's setting. */
export function ReportedMessagesPage() {
  return <RequireSchool>{(schoolId) => <ReportedView schoolId={schoolId} key={schoolId} />}</RequireSchool>;
}

function ReportedView({ schoolId }: { schoolId: string }) {
  const { message } = App.useApp();
  const q = useQuery({ queryKey: ['reported-messages', schoolId], queryFn: ({ signal }) => api.get<ReportedMessages>(`/schools/${schoolId}/reported-messages`, undefined, signal) });
  const settings = useQuery({ queryKey: ['contact-settings', schoolId], queryFn: ({ signal }) => api.get<ContactSettings>(`/schools/${schoolId}/contact-settings`, undefined, signal) });
  const save = useMutation({
    mutationFn: (v: ContactSettings) => api.put<ContactSettings, ContactSettings>(`/schools/${schoolId}/contact-settings`, v),
    onSuccess: () => {
      void settings.refetch();
      void message.success(t.saved);
    },
    onError: (e) => void message.error(errorText(e)),
  });
  return (
    <>
      <PageHeader title={t.reportedTitle} />
      <Card title={t.settingTitle} size="small" style={{ marginBottom: 12 }}>
        {settings.data ? (
          <label style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }}>
            <Switch checked={settings.data.subjectTeacherMessages} loading={save.isPending} onChange={(v) => save.mutate({ subjectTeacherMessages: v })} data-testid="subject-teacher-switch" />
            <span>{t.subjectTeachers}</span>
          </label>
        ) : null}
      </Card>
      <Card size="small" title={t.reportedTitle}>
        <p className="contact-note">{t.reportedHelp}</p>
        {q.isError ? <QueryError error={q.error} onRetry={() => q.refetch()} /> : null}
        {q.isLoading ? <Skeleton active /> : null}
        {q.data && q.data.items.length === 0 ? <Empty description={t.reportedNone} /> : null}
        <ul className="contact-leaves" data-testid="reported-list">
          {q.data?.items.map((r) => (
            <li key={r.id} className="contact-leave">
              <div className="contact-msg-head">
                {r.author} · {fmtDateTime(r.sentAt)} · {`Về em ${r.student}${r.className ? ` (${r.className})` : ''}`}
              </div>
              <p className="contact-msg-body">{r.body}</p>
              <div className="contact-note">{`${t.reportedBy(r.reportedBy)} · ${fmtDateTime(r.reportedAt)}`}</div>
              <div className="contact-note">{`Lý do: ${r.reason}`}</div>
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
