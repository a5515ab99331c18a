import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Card } from 'antd';
import { useId, useState } from 'react';
import { isoToday } from '../../../../domain/index';
import { api, errorText } from '../../api/client';
import type { CreateLeaveRequest, LeaveRequest, LeaveRequests } from '../../api/types';
import { fmtDate } from '../../components/format';
import { contactVi } from '../messages/contact-strings';
import '../messages/contact.css';

const t = contactVi.leave;

/** "09/03/2026" or "09/03/2026 – 10/03/2026". */
export const leaveDays = (r: Pick<LeaveRequest, 'from' | 'to'>) => (r.from === r.to ? fmtDate(r.from) : `${fmtDate(r.from)} – ${fmtDate(r.to)}`);

/**
 * Đơn xin nghỉ học (issue 11 §5), for the child's page: the form (days with the phone's own date
 * input, dd/mm/yyyy repeated beside it; the sessions the class has; a reason) and the requests
 * sent, each with its status, the teacher's note, and cancel (pending) or withdraw (approved, before
 * its first day). Plain HTML within the parent area's 300 KB.
 */
export function FamilyLeaveRequests({ schoolId, studentId }: { schoolId: string; studentId: string }) {
  const qc = useQueryClient();
  const key = ['family-leave', schoolId, studentId];
  const q = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get<LeaveRequests>(`/schools/${schoolId}/students/${studentId}/leave-requests`, undefined, signal) });
  const today = isoToday();
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [part, setPart] = useState('full_day');
  const [reason, setReason] = useState('');
  const ids = { from: useId(), to: useId(), part: useId(), reason: useId() };
  const refresh = () => void qc.invalidateQueries({ queryKey: key });
  const send = useMutation({
    mutationFn: (b: CreateLeaveRequest) => api.post<LeaveRequest, CreateLeaveRequest>(`/schools/${schoolId}/students/${studentId}/leave-requests`, b),
    onSuccess: () => {
      setReason('');
      refresh();
    },
  });
  const cancel = useMutation({ mutationFn: (id: string) => api.post<LeaveRequest>(`/schools/${schoolId}/leave-requests/${id}/cancel`), onSuccess: refresh });
  const parts = q.data?.parts ?? [];
  return (
    <Card title={t.title} size="small" style={{ marginBottom: 12 }} id="don-xin-nghi" data-testid="family-leave">
      <p className="contact-note">{t.intro}</p>
      {q.isError ? <p className="contact-error">{errorText(q.error)}</p> : null}
      {parts.length > 0 ? (
        <form
          className="contact-form"
          onSubmit={(e) => {
            e.preventDefault();
            send.reset();
            send.mutate({ from, to, part: part as CreateLeaveRequest['part'], reason });
          }}
        >
          <div className="contact-row">
            <div>
              <label htmlFor={ids.from}>{t.from}</label>
              <input
                id={ids.from}
                type="date"
                value={from}
                onChange={(e) => {
                  setFrom(e.target.value);
                  if (e.target.value > to) setTo(e.target.value);
                }}
                data-testid="leave-from"
                required
              />
              <span className="contact-note">{t.picked(fmtDate(from))}</span>
            </div>
            <div>
              <label htmlFor={ids.to}>{t.to}</label>
              <input id={ids.to} type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} data-testid="leave-to" required />
              <span className="contact-note">{t.picked(fmtDate(to))}</span>
            </div>
          </div>
          <label htmlFor={ids.part}>{t.part}</label>
          <select id={ids.part} value={part} onChange={(e) => setPart(e.target.value)} data-testid="leave-part">
            {parts.map((p) => (
              <option key={p} value={p}>
                {t.parts[p]}
              </option>
            ))}
          </select>
          <label htmlFor={ids.reason}>{t.reason}</label>
          <textarea id={ids.reason} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} data-testid="leave-reason" required />
          {send.isError ? <p className="contact-error" role="alert">{errorText(send.error)}</p> : null}
          {send.isSuccess ? <p className="contact-ok" role="status">{t.sent}</p> : null}
          <button className="contact-btn" type="submit" disabled={send.isPending || reason.trim().length < 2} data-testid="leave-send">
            {send.isPending ? t.sending : t.send}
          </button>
        </form>
      ) : null}
      <p className="contact-who" style={{ marginTop: 12 }}>{t.history}</p>
      {q.data && q.data.items.length === 0 ? <p className="contact-note">{t.none}</p> : null}
      {cancel.isError ? <p className="contact-error" role="alert">{errorText(cancel.error)}</p> : null}
      <ul className="contact-leaves">
        {q.data?.items.map((r) => (
          <li key={r.id} className="contact-leave" data-testid="leave-item">
            <div>
              <strong>{leaveDays(r)}</strong>
              <span className={`contact-status ${r.status}`} data-testid="leave-status">
                {t.statuses[r.status]}
              </span>
            </div>
            <div className="contact-note">
              {t.parts[r.part]} · {t.sessions(r.sessions)} · {r.reason}
            </div>
            {r.decidedBy ? <div className="contact-note">{t.decidedBy(r.decidedBy)}</div> : null}
            {r.note ? <div className="contact-note">{`${t.note}: ${r.note}`}</div> : null}
            {r.canCancel ? (
              <button
                type="button"
                className="contact-btn secondary"
                disabled={cancel.isPending}
                onClick={() => {
                  if (window.confirm(r.status === 'approved' ? t.confirmWithdraw : t.confirmCancel)) cancel.mutate(r.id);
                }}
              >
                {r.status === 'approved' ? t.withdraw : t.cancel}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}
