import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ZFamilyAnnouncement, ZFamilyAnnouncementList } from '../../../../contracts/announcements';
import { API_BASE, api } from '../../api/client';
import { fmtDateTime } from '../../components/format';
import { QueryError } from '../../components/query-error';
import { setQuery, useRoute } from '../../router';
import './family-announcements.css';

export const fileSize = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

const t = {
  title: 'Thông báo',
  none: 'Chưa có thông báo nào của nhà trường gửi đến gia đình qua con.',
  unread: (n: number) => (n === 1 ? '1 thông báo chưa đọc' : `${n} thông báo chưa đọc`),
  isNew: 'Mới',
  back: '← Tất cả thông báo',
  sentOn: (date: string) => `Gửi lúc ${date}`,
  attachments: 'Tệp đính kèm',
  withFiles: (n: number) => `${n} tệp đính kèm`,
  notFound: 'Không tìm thấy thông báo này (có thể không gửi đến gia đình qua con).',
};

type List = z.infer<typeof ZFamilyAnnouncementList>;
type One = z.infer<typeof ZFamilyAnnouncement>;

/**
 * What reached this family through this child's school and class ("Con của tôi" → a child): the
 * announcements, newest first, the unread marked; opening one shows it with its files and records
 * that the family read it. `?thong-bao=<id>` (the link of an inbox notice) opens one directly.
 * Plain HTML: the parent area stays within its 300 KB (e2e/speed/page-weight.e2e.ts).
 */
export function FamilyAnnouncements({ schoolId, studentId }: { schoolId: string; studentId: string }) {
  const { query } = useRoute();
  const openId = query.get('thong-bao');
  const base = `/schools/${schoolId}/students/${studentId}/announcements`;
  const list = useQuery({ queryKey: ['family-announcements', schoolId, studentId], queryFn: ({ signal }) => api.get<List>(base, undefined, signal) });
  return (
    <section className="ann-family" aria-labelledby="ann-family-title" data-testid="family-announcements">
      <h2 id="ann-family-title">{t.title}</h2>
      {openId ? (
        <Opened base={base} schoolId={schoolId} studentId={studentId} id={openId} />
      ) : (
        <>
          {list.isError ? <QueryError error={list.error} onRetry={() => list.refetch()} /> : null}
          {list.data ? (
            list.data.items.length === 0 ? (
              <p className="ann-family-count">{t.none}</p>
            ) : (
              <>
                {list.data.unread ? <p className="ann-family-count">{t.unread(list.data.unread)}</p> : null}
                <ul className="ann-family-list">
                  {list.data.items.map((a) => (
                    <li key={a.id} className={a.read ? undefined : 'ann-unread'}>
                      <button type="button" className="ann-family-item" onClick={() => setQuery({ 'thong-bao': a.id })} data-testid="family-announcement">
                        <span className="ann-family-item-title">
                          {a.read ? null : <span className="ann-new">{t.isNew}</span>}
                          {a.title}
                        </span>
                        <span className="ann-meta">
                          {a.senderName} · {fmtDateTime(a.sentAt)}
                          {a.attachmentCount ? ` · ${t.withFiles(a.attachmentCount)}` : ''}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              </>
            )
          ) : null}
        </>
      )}
    </section>
  );
}

function Opened({ base, schoolId, studentId, id }: { base: string; schoolId: string; studentId: string; id: string }) {
  const qc = useQueryClient();
  const one = useQuery({
    queryKey: ['family-announcement', schoolId, studentId, id],
    queryFn: async ({ signal }) => {
      const a = await api.get<One>(`${base}/${id}`, undefined, signal);
      // Opening it recorded the read: the list's "Mới" goes.
      void qc.invalidateQueries({ queryKey: ['family-announcements', schoolId, studentId] });
      return a;
    },
    retry: false,
  });
  const a = one.data;
  return (
    <div data-testid="family-announcement-open">
      <button type="button" className="ann-back" onClick={() => setQuery({ 'thong-bao': undefined })}>
        {t.back}
      </button>
      {one.isError ? <p className="ann-family-count">{t.notFound}</p> : null}
      {a ? (
        <article>
          <h3 style={{ fontSize: 16, margin: '8px 0 2px', overflowWrap: 'anywhere' }}>{a.title}</h3>
          <span className="ann-meta">
            {a.senderName} · {t.sentOn(fmtDateTime(a.sentAt))}
          </span>
          <p className="ann-body">{a.body}</p>
          {a.attachments.length ? (
            <>
              <strong>{t.attachments}</strong>
              <ul className="ann-files">
                {a.attachments.map((f) => (
                  <li key={f.id}>
                    <a href={`${API_BASE}${base}/${id}/attachments/${f.id}`} download={f.fileName}>
                      {f.fileName}
                    </a>{' '}
                    <span className="ann-meta" style={{ display: 'inline' }}>
                      ({fileSize(f.sizeBytes)})
                    </span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </article>
      ) : null}
    </div>
  );
}
