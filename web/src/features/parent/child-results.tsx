import { useQuery } from '@tanstack/react-query';
import { Card, Skeleton } from 'antd';
import { useId, useState } from 'react';
import { api } from '../../api/client';
import type { FamilyResults, StudentProfile } from '../../api/types';
import { fmtDate, yearLabel } from '../../components/format';
import { QueryError } from '../../components/query-error';
import { vi } from '../../i18n/vi';
import { marksByTerm, weekdayOf, yearsAtSchool } from './child-results-logic';

const t = vi.familyResults;

/**
 * What the school published of a child's year for the family ("Con của tôi"): each term's marks
 * and comments per subject, the term and year results (TT22 learning and training, or a primary
 * child's TT27 outcome; the year after the summer), and the attendance the school recorded.
 * Nothing published is said in words, never as an empty table. Plain HTML in the profile's
 * cards: the parent area stays within its 300 KB (e2e/speed/page-weight.e2e.ts).
 */
export function ChildResults({ schoolId, studentId }: { schoolId: string; studentId: string }) {
  const [year, setYear] = useState<number | null>(null);
  // The profile (already read by the page, same cache entry) gives the years the child spent at this school.
  const profile = useQuery({
    queryKey: ['student', schoolId, studentId],
    queryFn: ({ signal }) => api.get<StudentProfile>(`/schools/${schoolId}/students/${studentId}`, undefined, signal),
  });
  const q = useQuery({
    queryKey: ['family-results', schoolId, studentId, year],
    queryFn: ({ signal }) => api.get<FamilyResults>(`/schools/${schoolId}/students/${studentId}/results`, year === null ? undefined : { year }, signal),
  });
  const years = profile.data ? yearsAtSchool(profile.data.enrolments, profile.data.schoolName) : [];
  const yearSelectId = useId();
  const r = q.data;
  // A preschool child has no marks: the development card (development-card.tsx) stands in for this one.
  if (profile.data?.grade === 0) return null;

  return (
    <div data-testid="child-results">
      <Card
        title={t.title}
        size="small"
        style={{ marginBottom: 12 }}
      >
        {r?.year != null && years.length < 2 ? <p className="family-year">{t.yearClass(yearLabel(r.year), r.className)}</p> : null}
        {years.length > 1 && r?.year != null ? (
          <div className="family-year-pick">
            <label htmlFor={yearSelectId}>{t.pickYear}</label>
            <select id={yearSelectId} value={r.year} onChange={(e) => setYear(Number(e.target.value))} data-testid="child-results-year">
              {years.map((y) => (
                <option key={y} value={y}>
                  {yearLabel(y)}
                </option>
              ))}
            </select>
            {r.className ? <span className="family-year">{`${vi.common.class} ${r.className}`}</span> : null}
          </div>
        ) : null}
        {q.isError ? <QueryError error={q.error} onRetry={() => q.refetch()} /> : null}
        {q.isLoading ? <Skeleton active /> : null}
        {r ? r.year === null ? <p className="family-none">{t.noYear}</p> : <ResultsBody r={r} /> : null}
      </Card>
    </div>
  );
}

/**
 * The family portal's "Điểm danh" tab: the attendance the school recorded this year (the same
 * answer as the results tab, read once): excused and unexcused sessions, the recent absences.
 */
export function ChildAttendance({ schoolId, studentId }: { schoolId: string; studentId: string }) {
  const q = useQuery({
    queryKey: ['family-results', schoolId, studentId, null],
    queryFn: ({ signal }) => api.get<FamilyResults>(`/schools/${schoolId}/students/${studentId}/results`, undefined, signal),
  });
  const r = q.data;
  if (q.isError) return <QueryError error={q.error} onRetry={() => q.refetch()} />;
  if (!r) return <Skeleton active />;
  if (r.year === null) {
    return (
      <Card title={t.attendanceTitle} size="small" style={{ marginBottom: 12 }}>
        <p className="family-none">{t.noYear}</p>
      </Card>
    );
  }
  return <AttendanceCard r={r} />;
}

function ResultsBody({ r }: { r: FamilyResults }) {
  // Published results are the headline of a term; while there are none, the marks come first and
  // the note that results are not published yet after them.
  const periods = <Periods r={r} />;
  return (
    <>
      {r.results.length > 0 ? periods : null}
      <Marks r={r} />
      {r.results.length === 0 ? periods : null}
    </>
  );
}

function Periods({ r }: { r: FamilyResults }) {
  return (
    <>
      <h4 className="family-section">{t.results}</h4>
      {r.results.length === 0 ? (
        <p className="family-none" data-testid="child-results-none">
          {t.noResults}
        </p>
      ) : (
        <ul className="plain-rows" data-testid="child-results-periods">
          {r.results.map((p) => (
            <li key={p.periodLabel}>
              <span className="card-title">{p.periodLabel}</span>
              <dl className="facts family-facts">
                {p.outcome !== null ? <Fact label={t.outcome} value={p.outcome} /> : null}
                {p.learning !== null ? <Fact label={t.learning} value={p.learning} /> : null}
                {p.training !== null ? <Fact label={t.training} value={p.training} /> : null}
                <Fact label={t.sessionsAbsent} value={p.sessionsAbsent === 0 ? t.noSession : t.sessions(p.sessionsAbsent)} />
                {p.promotion !== null ? <Fact label={t.promotion} value={p.promotion} /> : null}
                {p.afterSummer !== null ? <Fact label={t.afterSummer} value={p.afterSummer} /> : null}
                {p.award !== null ? <Fact label={t.award} value={p.award} /> : null}
              </dl>
              <div className="list-desc">{t.publishedOn(fmtDate(p.publishedAt))}</div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Marks({ r }: { r: FamilyResults }) {
  const terms = marksByTerm(r.subjects);
  return (
    <>
      <h4 className="family-section">{t.marks}</h4>
      {terms.length === 0 ? (
        <p className="family-none" data-testid="child-marks-none">
          {t.noMarks}
        </p>
      ) : (
        <>
          {terms.map((term) => (
            <section key={term.term} className="family-term" aria-label={t.term(term.term)}>
              <h5 className="family-term-title">{t.term(term.term)}</h5>
              <ul className="plain-rows" data-testid="child-marks">
                {term.subjects.map((s) => (
                  <li key={s.subjectName}>
                    <span className="card-title">{s.subjectName}</span>
                    {s.marks.length > 0 ? (
                      <ul className="family-marks">
                        {s.marks.map((m) => (
                          <li key={m.label}>
                            <span className="family-mark-label">{m.label}</span>
                            {'\u00a0'}
                            <strong className="num">{m.value}</strong>
                          </li>
                        ))}
                      </ul>
                    ) : null}
                    {s.comment ? (
                      <div className="family-comment">
                        <span className="family-mark-label">{`${t.comment}: `}</span>
                        {s.comment}
                      </div>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          ))}
          <p className="list-desc family-note">{t.marksNote}</p>
        </>
      )}
    </>
  );
}

function AttendanceCard({ r }: { r: FamilyResults }) {
  const a = r.attendance;
  return (
    <Card title={t.attendanceTitle} size="small" style={{ marginBottom: 12 }} data-testid="child-attendance">
      <p className="family-year">{t.yearClass(yearLabel(r.year ?? 0), r.className)}</p>
      {a.excused + a.unexcused === 0 ? (
        <p className="family-none">{t.noAbsence}</p>
      ) : (
        <>
          <dl className="facts family-facts">
            <Fact label={t.excused} value={t.sessions(a.excused)} />
            <Fact label={t.unexcused} value={t.sessions(a.unexcused)} />
          </dl>
          {a.recent.length > 0 ? (
            <>
              <h4 className="family-section">{a.recent.length === a.excused + a.unexcused ? t.allAbsences : t.recent(a.recent.length)}</h4>
              <ul className="plain-rows" data-testid="child-absences">
                {[...a.recent].reverse().map((x) => (
                  <li key={`${x.date}-${x.session}`}>
                    <span className="num">{`${weekdayOf(x.date)}, ${fmtDate(x.date)}`}</span>
                    {` · ${vi.sessions[x.session] ?? ''} · `}
                    <span className={x.excused ? 'nowrap' : 'nowrap family-unexcused'}>{x.excused ? t.withLeave : t.withoutLeave}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      )}
    </Card>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
