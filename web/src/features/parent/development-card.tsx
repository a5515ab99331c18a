import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card } from 'antd';
import { ApiError, api, errorText } from '../../api/client';
import type { FamilyDevelopment } from '../../api/types';
import { vi } from '../../i18n/vi';

const t = vi.parent;

/**
 * A preschool child's development as the family reads it: each evaluated period (newest first)
 * with each domain's result in words and the indicators not yet achieved by name, then the
 * measurements (date, height, weight with a decimal comma, nutrition status in words). Plain HTML
 * lists in one card, like the rest of the profile a parent reads (the parent area's 300 KB budget:
 * e2e/speed/page-weight.e2e.ts). Nothing is drawn for a child who is not in preschool.
 */
export function DevelopmentCard({ schoolId, studentId }: { schoolId: string; studentId: string }) {
  const q = useQuery({
    queryKey: ['family-development', schoolId, studentId],
    queryFn: ({ signal }) => api.get<FamilyDevelopment>(`/schools/${schoolId}/students/${studentId}/development`, undefined, signal),
    retry: false,
  });
  // 404: the profile above already says the child is not there; a failure that may pass offers a retry.
  if (q.error instanceof ApiError && q.error.status === 404) return null;
  if (q.isError) {
    return (
      <Alert
        type="error"
        showIcon
        title={t.loadFailed}
        description={errorText(q.error)}
        action={
          <Button size="small" onClick={() => void q.refetch()}>
            {vi.common.reload}
          </Button>
        }
        style={{ marginBottom: 12 }}
      />
    );
  }
  const d = q.data;
  if (!d?.isPreschool) return null;
  return (
    <Card title={t.development} size="small" style={{ marginBottom: 12 }} data-testid="child-development">
      <h3 className="section-heading">{t.evaluations}</h3>
      {d.periods.length === 0 ? (
        <p className="list-desc">{t.noEvaluations}</p>
      ) : (
        <ul className="plain-rows" data-testid="child-development-periods">
          {[...d.periods].reverse().map((p) => (
            <li key={p.periodLabel}>
              <span className="card-title">{p.periodLabel}</span>
              {p.complete ? null : <div className="list-desc">{t.periodUnderway}</div>}
              <ul className="domain-results">
                {p.domains.map((dm) => (
                  <li key={dm.domainName}>
                    <span className="domain-name">{`${dm.domainName}: `}</span>
                    <strong>{dm.text}</strong>
                    {dm.notAchieved.length > 0 ? (
                      <div className="not-achieved">
                        <span className="list-desc">{t.notAchievedYet}</span>
                        <ul>
                          {dm.notAchieved.map((n) => (
                            <li key={n}>{n}</li>
                          ))}
                        </ul>
                      </div>
                    ) : null}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      <h3 className="section-heading">{t.measurements}</h3>
      {d.measurements.length === 0 ? (
        <p className="list-desc">{t.noMeasurements}</p>
      ) : (
        <ul className="plain-rows" data-testid="child-measurements">
          {[...d.measurements].reverse().map((m) => (
            <li key={m.measuredOn}>
              <span className="card-title num">{m.measuredOn}</span>
              <span className="card-meta">
                <span className="num">{t.heightWeight(m.height, m.weight)}</span>
                {m.age ? <span>{t.age(m.age)}</span> : null}
              </span>
              <div>
                {`${t.nutrition}: `}
                <strong>{m.status ? m.status.join(', ') : (m.details[0] ?? '—')}</strong>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
