import { useQuery } from '@tanstack/react-query';
import { Card } from 'antd';
import { api } from '../../api/client';
import type { LegacyResults } from '../../api/types';
import { fmtDate } from '../../components/format';
import { vi } from '../../i18n/vi';

const t = vi.profile;

/**
 * The student's years assessed under Thông tư 58/2011, imported from old records, with what the
 * server recomputed from them (words, not codes). Plain lists like the rest of the profile, so it
 * reads at 360 px and stays small for parents. Nothing is drawn when there is no such year, or
 * when the caller may not read them (a subject teacher: the server answers 404).
 */
export function LegacyResultsCard({ schoolId, studentId }: { schoolId: string; studentId: string }) {
  const q = useQuery({
    queryKey: ['legacy-results', schoolId, studentId],
    queryFn: ({ signal }) => api.get<LegacyResults>(`/schools/${schoolId}/students/${studentId}/legacy-results`, undefined, signal),
    retry: false,
  });
  const years = q.data?.years ?? [];
  if (years.length === 0) return null;
  return (
    <Card title={t.legacyTitle} size="small" style={{ marginBottom: 12 }} data-testid="profile-legacy-results">
      <ul className="plain-rows">
        {[...years].reverse().map((y) => (
          <li key={y.year}>
            <span className="card-title">{t.legacyYear(y.schoolYear, y.className)}</span>
            <span className="card-meta">
              <span>{`${t.legacyOverall}: ${y.overallAverage ?? '—'}`}</span>
              {y.averageTerm1 !== null || y.averageTerm2 !== null ? <span>{t.legacyTerms(y.averageTerm1, y.averageTerm2)}</span> : null}
              <span>{`${t.legacyAcademic}: ${y.academic}`}</span>
              <span>{`${t.legacyConduct}: ${y.conductYear}`}</span>
              <span>{t.legacyAbsent(y.sessionsAbsent)}</span>
            </span>
            <div>
              <strong>{y.promotion}</strong>
              {y.title ? ` · ${y.title}` : null}
            </div>
            {y.academicNote ? <div className="list-desc">{y.academicNote}</div> : null}
            {y.conductNote ? <div className="list-desc">{y.conductNote}</div> : null}
            <div className="list-desc" style={{ overflowWrap: 'anywhere' }}>
              {y.subjects.map((s) => `${s.subject} ${s.result}`).join(' · ')}
            </div>
            <div className="list-desc">{t.legacyImported(y.importedBy, fmtDate(y.importedAt))}</div>
          </li>
        ))}
      </ul>
    </Card>
  );
}
