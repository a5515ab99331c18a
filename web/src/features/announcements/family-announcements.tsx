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
  unread: (n: number) => (n === 1 ? '1 thông báo chưa đọc' : `${n} thông báo chưa đọc`),
  isNew: 'Mới',
  back: '← Tất cả thông báo',
  sentOn: (date: string) => `Gửi lúc ${date}`,
  attachments: 'Tệp đính kèm',
  withFiles: (n: number) => `${n} tệp đính kèm`,
};
const FAMILY = {
  none: 'Chưa có thông báo nào của nhà trường gửi đến gia đình qua con.',
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
  return <AnnouncementReader base={`/schools/${schoolId}/students/${studentId}/announcements`} cacheKey={[schoolId, studentId]} words={FAMILY} heading testId="family-announcements" />;
}

/**
 * The reader's list and one opened announcement, for a family (a child's page) or a staff member
 * (what they received, features/announcements/received-page.tsx): `base` is the API list whose
 * `/<id>` opens one and records the read.
 */
export function AnnouncementReader({ base, cacheKey, words, heading, testId }: { base: string; cacheKey: string[]; words: { none: string; notFound: string }; heading: boolean; testId: string }) {
  const { query } = useRoute();
  const openId = query.get('thong-bao');
  const list = useQuery({ queryKey: ['announcements-read', ...cacheKey], queryFn: ({ signal }) => api.get<List>(base, undefined, signal) });
  return (
    <section className="ann-family" aria-labelledby={heading ? 'ann-family-title' : undefined} aria-label={heading ? undefined : t.title} data-testid={testId}>
      {heading ? <h2 id="ann-family-title">{t.title}</h2> : null}
      {openId ? (
        <Opened base={base} cacheKey={cacheKey} id={openId} notFound={words.notFound} />
      ) : (
        <>
          {list.isError ? <QueryError error={list.error} onRetry={() => list.refetch()} /> : null}
          {list.data ? (
            list.data.items.length === 0 ? (
              <p className="ann-family-count">{words.none}</p>
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

function Opened({ base, cacheKey, id, notFound }: { base: string; cacheKey: string[]; id: string; notFound: string }) {
  const qc = useQueryClient();
  const one = useQuery({
    queryKey: ['announcement-read', ...cacheKey, id],
    queryFn: async ({ signal }) => {
      const a = await api.get<One>(`${base}/${id}`, undefined, signal);
      // Opening it recorded the read: the list's "Mới" goes.
      void qc.invalidateQueries({ queryKey: ['announcements-read', ...cacheKey] });
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
      {one.isError ? <p className="ann-family-count">{notFound}</p> : null}
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
