import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Input, Skeleton, Switch } from 'antd';
import { useEffect, useId, useState } from 'react';
import { MESSAGE_LIMITS } from '../../../../domain/index';
import { api, errorText } from '../../api/client';
import type { MessageThread, QuietHours, TeacherThreads } from '../../api/types';
import { fmtDateTime } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { QueryError } from '../../components/query-error';
import { useWide } from '../../components/responsive-list';
import { setQuery, useRoute } from '../../router';
import { RequireSchool } from '../layout/require-school';
import { contactVi } from './contact-strings';
import { MessageList } from './family-messages';
import './contact.css';

const t = contactVi.teacher;

/**
 * "Tin nhắn": the threads of the teacher's classes' families (unread first), one open beside the
 * list on a wide screen or on its own on a phone (the thread in the URL: `?thread=`), the reply box,
 * close / reopen, report; and the teacher's quiet hours.
 */
export function MessagesPage() {
  return <RequireSchool>{(schoolId) => <MessagesView schoolId={schoolId} key={schoolId} />}</RequireSchool>;
}

function MessagesView({ schoolId }: { schoolId: string }) {
  const wide = useWide('lg');
  const open = useRoute().query.get('thread');
  const list = useQuery({ queryKey: ['message-threads', schoolId], queryFn: ({ signal }) => api.get<TeacherThreads>(`/schools/${schoolId}/message-threads`, undefined, signal) });
  const threads = list.data?.threads ?? [];
  const listPane = (
    <Card title={t.threads} size="small" styles={{ body: { padding: 0 } }}>
      {list.isError ? <QueryError error={list.error} onRetry={() => list.refetch()} /> : null}
      {list.isLoading ? <Skeleton active style={{ padding: 12 }} /> : null}
      {list.data && threads.length === 0 ? <Empty description={t.noThreads} style={{ padding: 16 }} /> : null}
      <ul className="teacher-threads" data-testid="thread-list">
        {threads.map((th) => (
          <li key={th.id}>
            <button type="button" className={`teacher-thread${th.id === open ? ' active' : ''}`} onClick={() => setQuery({ thread: th.id })} data-testid="thread-item">
              <span className="teacher-thread-name">
                {th.student}
                {th.className ? ` · ${th.className}` : ''}
                {th.unread > 0 ? <span className="contact-badge" aria-label={contactVi.messages.unread(th.unread)}>{th.unread}</span> : null}
                {th.closed ? <span className="contact-status">{t.closedNote.split(':')[0]}</span> : null}
              </span>
              <span className="teacher-thread-last">{th.lastMessage ?? ''}</span>
              <span className="teacher-thread-time">{th.lastMessageAt ? fmtDateTime(th.lastMessageAt) : ''}</span>
            </button>
          </li>
        ))}
      </ul>
    </Card>
  );
  const threadPane = open ? <ThreadPane schoolId={schoolId} threadId={open} wide={wide} /> : wide ? <Card size="small"><Empty description={t.pick} /></Card> : null;
  return (
    <>
      <PageHeader title={t.messagesTitle} />
      {wide ? (
        <div className="teacher-messages">
          <div className="teacher-messages-list">
            {listPane}
            <QuietHoursCard schoolId={schoolId} />
          </div>
          <div className="teacher-messages-thread">{threadPane}</div>
        </div>
      ) : open ? (
        threadPane
      ) : (
        <>
          {listPane}
          <QuietHoursCard schoolId={schoolId} />
        </>
      )}
    </>
  );
}

function ThreadPane({ schoolId, threadId, wide }: { schoolId: string; threadId: string; wide: boolean }) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [body, setBody] = useState('');
  const boxId = useId();
  const key = ['message-thread', schoolId, threadId];
  const q = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get<MessageThread>(`/schools/${schoolId}/message-threads/${threadId}`, undefined, signal) });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: key });
    void qc.invalidateQueries({ queryKey: ['message-threads', schoolId] });
  };
  // Opening a thread marks it read: the list's badge goes with it.
  useEffect(() => {
    if (q.data) void qc.invalidateQueries({ queryKey: ['message-threads', schoolId] });
  }, [q.data, qc, schoolId]);
  const send = useMutation({
    mutationFn: () => api.post<MessageThread, { body: string }>(`/schools/${schoolId}/message-threads/${threadId}/messages`, { body }),
    onSuccess: () => {
      setBody('');
      refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (close: boolean) => api.post<MessageThread>(`/schools/${schoolId}/message-threads/${threadId}/${close ? 'close' : 'reopen'}`),
    onSuccess: refresh,
    onError: (e) => void message.error(errorText(e)),
  });
  const th = q.data;
  return (
    <Card
      size="small"
      data-testid="thread-pane"
      title={th ? `${th.teacher}${th.className ? ` · ${th.className}` : ''}` : ' '}
      extra={
        <span style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          {!wide ? <Button onClick={() => setQuery({ thread: null })}>{t.back}</Button> : null}
          {th ? (
            <Button onClick={() => toggle.mutate(!th.closed)} loading={toggle.isPending} data-testid="thread-toggle">
              {th.closed ? t.reopen : t.close}
            </Button>
          ) : null}
        </span>
      }
    >
      {q.isError ? <QueryError error={q.error} onRetry={() => q.refetch()} /> : null}
      {q.isLoading ? <Skeleton active /> : null}
      {th ? (
        <>
          <MessageList messages={th.messages} schoolId={schoolId} onReported={refresh} />
          {th.closed ? <p className="contact-closed">{t.closedNote}</p> : null}
          {th.canWrite ? (
            <form
              className="contact-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (body.trim()) send.mutate();
              }}
            >
              <label htmlFor={boxId}>{contactVi.messages.write}</label>
              <Input.TextArea id={boxId} value={body} maxLength={MESSAGE_LIMITS.maxLength} autoSize={{ minRows: 2, maxRows: 6 }} onChange={(e) => setBody(e.target.value)} data-testid="reply-box" />
              {send.isError ? <p className="contact-error" role="alert">{errorText(send.error)}</p> : null}
              <Button type="primary" htmlType="submit" loading={send.isPending} disabled={!body.trim()} data-testid="reply-send" style={{ alignSelf: 'flex-start' }}>
                {contactVi.messages.send}
              </Button>
            </form>
          ) : null}
        </>
      ) : null}
    </Card>
  );
}

function QuietHoursCard({ schoolId }: { schoolId: string }) {
  const { message } = App.useApp();
  const q = useQuery({ queryKey: ['quiet-hours', schoolId], queryFn: ({ signal }) => api.get<QuietHours>(`/schools/${schoolId}/quiet-hours`, undefined, signal) });
  const [draft, setDraft] = useState<QuietHours | null>(null);
  const value = draft ?? q.data ?? null;
  const ids = { on: useId(), from: useId(), to: useId() };
  const save = useMutation({
    mutationFn: (v: QuietHours) => api.put<QuietHours, QuietHours>(`/schools/${schoolId}/quiet-hours`, v),
    onSuccess: () => {
      setDraft(null);
      void q.refetch();
      void message.success(t.saved);
    },
    onError: (e) => void message.error(errorText(e)),
  });
  return (
    <Card title={t.quietTitle} size="small" style={{ marginTop: 12 }} data-testid="quiet-hours">
      <p className="contact-note">{t.quietHelp}</p>
      {value ? (
        <div className="contact-form">
          <span style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <Switch id={ids.on} checked={value.quiet} onChange={(quiet) => setDraft({ ...value, quiet })} />
            <label htmlFor={ids.on}>{t.quietOn}</label>
          </span>
          <div className="contact-row">
            <div>
              <label htmlFor={ids.from}>{t.quietFrom}</label>
              <input id={ids.from} type="time" value={value.quietFrom} disabled={!value.quiet} onChange={(e) => setDraft({ ...value, quietFrom: e.target.value })} />
            </div>
            <div>
              <label htmlFor={ids.to}>{t.quietTo}</label>
              <input id={ids.to} type="time" value={value.quietTo} disabled={!value.quiet} onChange={(e) => setDraft({ ...value, quietTo: e.target.value })} />
            </div>
          </div>
          <Button type="primary" onClick={() => save.mutate(value)} loading={save.isPending} disabled={!draft} style={{ alignSelf: 'flex-start' }}>
            {t.save}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
