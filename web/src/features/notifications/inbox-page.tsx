import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Empty } from 'antd';
import { api, errorText } from '../../api/client';
import type { Inbox, MarkReadBody, MarkReadResult } from '../../api/types';
import { fmtDateTime } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { w } from './words';
import './notices.css';
import { navigate } from '../../router';

type Notice = Inbox['items'][number];

/** "Hộp thư": the signed-in person's inbox, newest first, a page at a time; plain HTML (families read it on cheap phones). */
export function InboxPage() {
  const qc = useQueryClient();
  const q = useInfiniteQuery({
    queryKey: ['notices'],
    queryFn: ({ pageParam, signal }) => api.get<Inbox>('/me/notices', { limit: 20, before: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = q.data?.pages[0]?.unread ?? 0;

  const mark = async (body: MarkReadBody) => {
    const r = await api.post<MarkReadResult, MarkReadBody>('/me/notices/read', body);
    qc.setQueryData(['notices-unread'], { unread: r.unread });
    await qc.invalidateQueries({ queryKey: ['notices'] });
  };
  const open = async (n: Notice) => {
    if (!n.read) await mark({ ids: [n.id] }).catch(() => undefined);
    navigate(n.link);
  };

  return (
    <>
      <PageHeader
        title={w.title}
        subtitle={q.data ? w.unread(unread) : undefined}
        extra={
          <>
            {unread > 0 ? <Button onClick={() => void mark({ all: true })}>{w.markAll}</Button> : null}
            <Button onClick={() => navigate('/hop-thu/cai-dat')}>{w.settings}</Button>
          </>
        }
      />
      {q.isError ? (
        <Card>
          <p role="alert">{errorText(q.error) || w.loadFailed}</p>
        </Card>
      ) : q.data && items.length === 0 ? (
        <Card>
          <Empty description={w.empty} />
        </Card>
      ) : (
        <Card styles={{ body: { padding: 0 } }} loading={q.isPending}>
          <ul className="notice-list">
            {items.map((n) => (
              <li key={n.id} className={n.read ? 'notice-read' : 'notice-unread'}>
                <button type="button" className="notice-item" onClick={() => void open(n)} data-testid="notice-item">
                  <span className="notice-head">
                    {!n.read ? <span className="notice-dot" role="img" aria-label={w.newDot} /> : null}
                    <span className="notice-title">{n.title}</span>
                  </span>
                  {n.body ? <span className="notice-body">{n.body}</span> : null}
                  <span className="notice-meta">
                    {n.kindLabel} · {fmtDateTime(n.createdAt)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {q.hasNextPage ? (
            <div style={{ padding: 12, textAlign: 'center' }}>
              <Button loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
                {w.more}
              </Button>
            </div>
          ) : null}
        </Card>
      )}
      <p style={{ marginTop: 16 }}>
        <a
          href="/hop-thu/chua-gui-duoc"
          onClick={(e) => {
            e.preventDefault();
            navigate('/hop-thu/chua-gui-duoc');
          }}
        >
          {w.failures}
        </a>
      </p>
    </>
  );
}
