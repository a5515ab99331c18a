import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Popconfirm, Skeleton, Tag, Tooltip, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { api, errorText } from '../../api/client';
import type { ConsentOverview, RecordConsent, StudentProfile } from '../../api/types';
import { fmtDate } from '../../components/format';
import { vi } from '../../i18n/vi';

// Staff record paper forms; a parent or student consents online and never downloads this form.
const PaperConsentModal = lazy(async () => ({ default: (await import('./paper-consent-modal')).PaperConsentModal }));

const t = vi.privacy;
type Item = ConsentOverview['items'][number];
/**
 * The purpose of an item as a request names it. The items are the purposes of the one list
 * (domain/privacy/consent.ts CONSENT_PURPOSES), so every code is one the request takes; the
 * answer's contract only calls it text.
 */
const purposeOf = (i: Item) => i.purpose as RecordConsent['purpose'];

const STATE_COLOR: Record<string, string> = { given: 'green', withdrawn: 'red', none: 'default' };

/** Consent status per purpose, the history of acts, and the actions the caller may take (paper form, or online as guardian/student). */
export function ConsentCard({ schoolId, student }: { schoolId: string; student: StudentProfile }) {
  const path = `/schools/${schoolId}/students/${student.id}/consents`;
  const key = ['consents', schoolId, student.id];
  const q = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get<ConsentOverview>(path, undefined, signal) });
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [paperOpen, setPaperOpen] = useState(false);
  // The paper form's module loads on the first "record" and then stays, so the dialog closes with its animation.
  const [paperLoaded, setPaperLoaded] = useState(false);
  const m = useMutation({
    mutationFn: (body: RecordConsent) => api.post<ConsentOverview, RecordConsent>(path, body),
    onSuccess: (data) => {
      qc.setQueryData(key, data);
      message.success(vi.common.saved);
      setPaperOpen(false);
    },
    onError: (e) => message.error(errorText(e)),
  });
  const o = q.data;
  const online = o?.mode === 'guardian' || o?.mode === 'student';
  /** "Cha mẹ: Đã đồng ý" / "Học sinh: Chưa có"; nothing when the age rule does not ask for that side. */
  const side = (i: Item, which: 'guardian' | 'student', label: string) => {
    const needed = which === 'guardian' ? i.needsGuardian : i.needsStudent;
    if (!needed) return null;
    const state = i[which];
    return <Tag color={STATE_COLOR[state]}>{`${label}: ${t.states[state]}`}</Tag>;
  };
  const ownState = (i: Item) => (o?.mode === 'student' ? i.student : i.guardian);

  return (
    <Card
      title={t.consents}
      size="small"
      style={{ marginBottom: 12 }}
      data-testid="consent-card"
      extra={
        o?.mode === 'paper' ? (
          <Button
            size="small"
            onClick={() => {
              setPaperLoaded(true);
              setPaperOpen(true);
            }}
          >
            {t.recordPaper}
          </Button>
        ) : null
      }
    >
      {q.isError ? <Alert type="error" title={errorText(q.error)} /> : null}
      {o?.anonymised ? <Alert type="info" showIcon title={t.anonymisedNote(fmtDate(o.anonymised.at.slice(0, 10)))} style={{ marginBottom: 8 }} /> : null}
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t.consentsHint}
      </Typography.Paragraph>
      {q.isLoading ? <Skeleton active /> : null}
      {(o?.items ?? []).map((i) => (
        <div key={i.purpose} className="consent-row" data-testid={`consent-${i.purpose}`} style={{ display: 'flex', gap: 8, alignItems: 'center', padding: '8px 0', borderTop: '1px solid #f0f0f0' }}>
          <div style={{ flex: 1, minWidth: 0 }}>
            <Tooltip title={i.description}>
              <div className="list-title">{i.label}</div>
            </Tooltip>
            <div style={{ display: 'flex', gap: 4, flexWrap: 'wrap', marginTop: 4 }}>
              <Tag color={i.basis === 'legal_obligation' ? 'blue' : i.allowed ? 'green' : i.reason === 'withdrawn' ? 'red' : 'orange'}>{t.reasons[i.reason]}</Tag>
              {i.basis === 'consent' ? (
                <>
                  {side(i, 'guardian', t.guardianSide)}
                  {side(i, 'student', t.studentSide)}
                </>
              ) : null}
            </div>
          </div>
          {online && i.basis === 'consent' ? (
            ownState(i) === 'given' ? (
              <Popconfirm title={t.confirmWithdraw} okText={vi.common.confirm} cancelText={vi.common.cancel} onConfirm={() => m.mutate({ purpose: purposeOf(i), action: 'withdraw' })}>
                <Button size="small" danger loading={m.isPending}>
                  {t.withdraw}
                </Button>
              </Popconfirm>
            ) : (
              <Button size="small" type="primary" loading={m.isPending} onClick={() => m.mutate({ purpose: purposeOf(i), action: 'give' })}>
                {t.give}
              </Button>
            )
          ) : null}
        </div>
      ))}
      {/* A native disclosure (no antd Collapse): the history is one click away, keyboard and screen reader included. */}
      <details className="plain-details">
        <summary>{`${t.history} (${o?.records.length ?? 0})`}</summary>
        {(o?.records.length ?? 0) === 0 ? (
          <Typography.Text type="secondary">{t.noHistory}</Typography.Text>
        ) : (
          <div data-testid="consent-history">
            {[...(o?.records ?? [])].reverse().map((r) => (
              <div key={r.id} style={{ padding: '6px 0', borderTop: '1px solid #f0f0f0', fontSize: 13 }}>
                <div>
                  <span className="num">{fmtDate(r.effectiveDate)}</span> <Tag color={r.action === 'give' ? 'green' : 'red'}>{t.actions[r.action]}</Tag>
                  {o?.items.find((i) => i.purpose === r.purpose)?.label ?? r.purpose}
                </div>
                <Typography.Text type="secondary">
                  {[
                    `${r.giverName} (${r.giverRelation ? (vi.relations[r.giverRelation] ?? r.giverRelation) : t.theStudent.toLowerCase()})`,
                    t.methods[r.method],
                    r.recordedBy ? `${t.recordedBy.toLowerCase()}: ${r.recordedBy}` : null,
                    r.note,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Typography.Text>
              </div>
            ))}
          </div>
        )}
      </details>
      {o?.mode === 'paper' && paperLoaded ? (
        <Suspense fallback={null}>
          <PaperConsentModal open={paperOpen} onClose={() => setPaperOpen(false)} student={student} items={o.items} pending={m.isPending} onSubmit={(v) => m.mutate(v)} />
        </Suspense>
      ) : null}
    </Card>
  );
}
