import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../api/client';
import type { RetryResult, SentFailures } from '../../api/types';
import { fmtDateTime } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { w } from './words';
import './notices.css';

type Failure = SentFailures['items'][number];

/**
 * "Thông báo tôi gửi chưa tới": the sender's deliveries that failed every attempt, grouped by what
 * was sent (an announcement …), each recipient with the channel and the error in Vietnamese, and
 * "Gửi lại" per thing sent or for all. A list of cards, the same at 360 and 1366 px.
 */
export function SentFailuresPage() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const q = useQuery({ queryKey: ['sent-failures'], queryFn: ({ signal }) => api.get<SentFailures>('/me/sent-notices/failures', undefined, signal) });

  const retry = async (sourceId?: string) => {
    setBusy(sourceId ?? 'all');
    try {
      const r = await api.post<RetryResult, { sourceId?: string }>('/me/sent-notices/failures/retry', sourceId ? { sourceId } : {});
      message.success(w.retried(r.queued));
      await qc.invalidateQueries({ queryKey: ['sent-failures'] });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const groups = new Map<string, Failure[]>();
  for (const f of q.data?.items ?? []) groups.set(f.sourceId, [...(groups.get(f.sourceId) ?? []), f]);

  return (
    <>
      <PageHeader
        title={w.failures}
        subtitle={w.failuresIntro}
        extra={groups.size > 1 ? <Button onClick={() => void retry()} loading={busy === 'all'}>{w.retryAll}</Button> : null}
      />
      {q.isError ? (
        <Card>
          <p role="alert">{errorText(q.error)}</p>
        </Card>
      ) : q.data && groups.size === 0 ? (
        <Card>
          <Empty description={w.noFailures} />
        </Card>
      ) : (
        [...groups.entries()].map(([sourceId, rows]) => {
          const first = rows[0];
          if (!first) return null;
          return (
          <Card
            key={sourceId}
            size="small"
            loading={q.isPending}
            style={{ marginBottom: 12 }}
            title={
              <span className="failure-title">
                {first.kindLabel}: {first.title}
              </span>
            }
            extra={
              <Button size="small" onClick={() => void retry(sourceId)} loading={busy === sourceId} data-testid="retry-source">
                {w.retry}
              </Button>
            }
          >
            <p className="help">{fmtDateTime(first.createdAt)}</p>
            <ul className="failure-list">
              {rows.map((f) => (
                <li key={`${f.notificationId}-${f.channel}`}>
                  <strong>{f.recipient}</strong> · {f.channelLabel}
                  <div className="failure-error">{f.error}</div>
                  <div className="help">{w.attempts(f.attempts)}</div>
                </li>
              ))}
            </ul>
          </Card>
          );
        })
      )}
    </>
  );
}
