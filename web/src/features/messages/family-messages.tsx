import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Card } from 'antd';
import { useId, useState } from 'react';
import { MESSAGE_LIMITS } from '../../../../domain/index';
import { api, errorText } from '../../api/client';
import type { FamilyMessages as TFamilyMessages, FamilyWrite, MessageThread, Ok, ReportMessage } from '../../api/types';
import { fmtDateTime } from '../../components/format';
import { contactVi } from './contact-strings';
import './contact.css';

const t = contactVi.messages;

/**
 * The family's messages with the child's teachers (issue 11 §4), for the child's page: each
 * teacher they may write to (the homeroom teacher; the class's subject teachers where the school
 * allows), the thread's messages, a box to write. Names and roles only, never a phone number.
 * Plain HTML (the parent area's 300 KB: e2e/speed/page-weight.e2e.ts).
 */
export function FamilyMessages({ schoolId, studentId }: { schoolId: string; studentId: string }) {
  const key = ['family-messages', schoolId, studentId];
  const q = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get<TFamilyMessages>(`/schools/${schoolId}/students/${studentId}/messages`, undefined, signal) });
  return (
    <Card title={t.title} size="small" style={{ marginBottom: 12 }} id="tin-nhan" data-testid="family-messages">
      {q.isError ? <p className="contact-error">{errorText(q.error)}</p> : null}
      {q.data?.threads.map((thread) => <Thread key={thread.teacherKey} thread={thread} schoolId={schoolId} studentId={studentId} queryKey={key} />)}
    </Card>
  );
}

function Thread({ thread, schoolId, studentId, queryKey }: { thread: MessageThread; schoolId: string; studentId: string; queryKey: unknown[] }) {
  const qc = useQueryClient();
  const [body, setBody] = useState('');
  const boxId = useId();
  const send = useMutation({
    mutationFn: (b: FamilyWrite) => api.post<MessageThread, FamilyWrite>(`/schools/${schoolId}/students/${studentId}/messages`, b),
    onSuccess: () => {
      setBody('');
      void qc.invalidateQueries({ queryKey });
    },
  });
  return (
    <section className="contact-thread" data-testid="family-thread">
      <p className="contact-who">{thread.teacher}</p>
      {thread.quietHours ? <p className="contact-note">{t.quietHours(thread.quietHours)}</p> : null}
      {thread.messages.length === 0 ? <p className="contact-note">{t.none}</p> : <MessageList messages={thread.messages} schoolId={schoolId} onReported={() => void qc.invalidateQueries({ queryKey })} />}
      {thread.closed ? <p className="contact-closed" data-testid="thread-closed">{t.closed}</p> : null}
      {thread.canWrite ? (
        <form
          className="contact-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (body.trim()) send.mutate({ teacher: thread.teacherKey, body });
          }}
        >
          <label htmlFor={boxId}>{t.write}</label>
          <textarea id={boxId} value={body} maxLength={MESSAGE_LIMITS.maxLength} onChange={(e) => setBody(e.target.value)} data-testid="message-box" />
          {send.isError ? <p className="contact-error" role="alert">{errorText(send.error)}</p> : null}
          <button className="contact-btn" type="submit" disabled={send.isPending || !body.trim()} data-testid="message-send">
            {send.isPending ? t.sending : t.send}
          </button>
        </form>
      ) : null}
    </section>
  );
}

/** A thread's messages, oldest first; the other side's may be reported to the principal with a reason. Shared with the teacher's page. */
export function MessageList({ messages, schoolId, onReported }: { messages: MessageThread['messages']; schoolId: string; onReported: () => void }) {
  const [reporting, setReporting] = useState<string | null>(null);
  return (
    <ul className="contact-msgs" data-testid="message-list">
      {messages.map((m) => (
        <li key={m.id} className={`contact-msg${m.mine ? ' mine' : ''}`} data-testid="message">
          <div className="contact-msg-head">
            {m.author} · {fmtDateTime(m.sentAt)}
          </div>
          <p className="contact-msg-body">{m.body}</p>
          <div className="contact-msg-foot">
            {m.notifyAt ? <span>{t.willBeTold(m.notifyAt)}</span> : null}
            {m.reported ? <span>{t.reported}</span> : null}
            {!m.mine && !m.reported && reporting !== m.id ? (
              <button type="button" className="contact-link" onClick={() => setReporting(m.id)}>
                {t.report}
              </button>
            ) : null}
          </div>
          {reporting === m.id ? (
            <ReportForm
              schoolId={schoolId}
              messageId={m.id}
              onDone={() => {
                setReporting(null);
                onReported();
              }}
              onCancel={() => setReporting(null)}
            />
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function ReportForm({ schoolId, messageId, onDone, onCancel }: { schoolId: string; messageId: string; onDone: () => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const id = useId();
  const report = useMutation({ mutationFn: () => api.post<Ok, ReportMessage>(`/schools/${schoolId}/messages/${messageId}/report`, { reason }), onSuccess: onDone });
  return (
    <form
      className="contact-form"
      onSubmit={(e) => {
        e.preventDefault();
        report.mutate();
      }}
    >
      <label htmlFor={id}>{t.reportReason}</label>
      <textarea id={id} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      {report.isError ? <p className="contact-error" role="alert">{errorText(report.error)}</p> : null}
      <div className="contact-row">
        <button className="contact-btn" type="submit" disabled={report.isPending}>
          {t.reportSend}
        </button>
        <button className="contact-btn secondary" type="button" onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
