import { useQuery } from '@tanstack/react-query';
import { Alert, Select, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { isoToday, periodicTestCheckpoints, ruleSetFor, termOf, defaultTermDates } from '../../../../domain/index';
import { api } from '../../api/client';
import { useClasses } from '../../api/hooks';
import type { ClassGradebooks, ClassItem } from '../../api/types';
import { yearLabel } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { QueryError } from '../../components/query-error';
import { ResponsiveList } from '../../components/responsive-list';
import { SchoolYearSelect } from '../../components/school-year-select';
import { foldSearch } from '../../components/select-search';
import { vi } from '../../i18n/vi';
import { Link, setQuery, useRoute } from '../../router';
import { useSession } from '../auth/session';
import { RequireSchool } from '../layout/require-school';
import { type OutboxRecord, outboxStore } from './outbox-store';
import { TeacherRetests } from '../results/summer';
import './gradebook.css';

const t = vi.gradebook;
const collator = new Intl.Collator('vi', { numeric: true });

type Subject = ClassGradebooks['subjects'][number];
type TermState = Subject['terms'][number];

/** The term a school year is in today (term I before its end, else term II). */
export function currentTerm(year: number): 1 | 2 {
  return termOf(isoToday(), defaultTermDates(year)) === 2 ? 2 : 1;
}

export const gridPath = (classId: string, subjectCode: string, term: number) => `/so-diem/${classId}/${subjectCode}?hk=${term}`;

/** "Sổ điểm": pick a class (a teacher's own, a manager's any), then a subject and term of it. */
export function GradebookPage() {
  return <RequireSchool>{(schoolId) => <ClassGradebooksView schoolId={schoolId} key={schoolId} />}</RequireSchool>;
}

function ClassGradebooksView({ schoolId }: { schoolId: string }) {
  const { query } = useRoute();
  const [year, setYearState] = useState<number | null>(() => Number(query.get('nam')) || null);
  // The year the page starts on keeps the class of the link ("Các môn của lớp"); another year picked drops it.
  const setYear = useCallback(
    (y: number) => {
      setYearState(y);
      if (year !== null && y !== year) setQuery({ nam: y, lop: undefined });
    },
    [year],
  );
  const classes = useClasses(schoolId, year);
  // A teacher's own classes (homeroom or taught); a manager reads every class.
  const own = useMemo(
    () => (classes.data ?? []).filter((c) => c.access !== 'none').sort((a, b) => a.grade - b.grade || collator.compare(a.name, b.name)),
    [classes.data],
  );
  const classId = query.get('lop') ?? own[0]?.id ?? null;
  const cls = own.find((c) => c.id === classId) ?? null;

  const book = useQuery({
    queryKey: ['class-gradebook', schoolId, cls?.id ?? null],
    queryFn: ({ signal }) => api.get<ClassGradebooks>(`/schools/${schoolId}/classes/${cls?.id}/gradebook`, undefined, signal),
    enabled: !!cls,
  });

  // The subjects the caller enters marks in first (a homeroom teacher's own among the class's), then the catalog order.
  const subjects = useMemo(() => {
    const list = book.data?.subjects ?? [];
    return [...list.filter((s) => s.terms.some((x) => x.canEdit)), ...list.filter((s) => !s.terms.some((x) => x.canEdit))];
  }, [book.data]);
  const mineLabel = (c: ClassItem) => (c.access === 'homeroom' ? t.mineHomeroom : c.access === 'teaching' ? t.mineTeaching : null);
  const term = year ? currentTerm(year) : 1;
  const data = book.data;

  // How a subject is assessed, where it is not a plain TT22 score: TT22 comment subjects; primary (TT27 Điều 7) a level, with a periodic test in the subjects that have one.
  const primary = !!data && ruleSetFor(data.year, data.grade) === 'tt27_2020';
  const assessedBy = (s: Subject) =>
    primary && data ? (periodicTestCheckpoints(data.grade, s.subjectCode).length ? t.primaryWithTest : t.primaryLevel) : s.assessment === 'comment' ? t.commentSubject : null;
  const termCell = (s: Subject, ts: TermState | undefined) => (ts ? <TermLink classId={data?.classId ?? ''} subject={s} ts={ts} current={ts.term === term} /> : null);
  const columns: TableColumnsType<Subject> = [
    {
      title: t.subject,
      key: 'subject',
      render: (_: unknown, s) => (
        <>
          <span className="gb-subject">{s.subjectName}</span>
          {assessedBy(s) ? <Typography.Text type="secondary"> · {assessedBy(s)}</Typography.Text> : null}
        </>
      ),
    },
    { title: vi.common.terms[1], key: 't1', width: 190, render: (_: unknown, s) => termCell(s, s.terms.find((x) => x.term === 1)) },
    { title: vi.common.terms[2], key: 't2', width: 190, render: (_: unknown, s) => termCell(s, s.terms.find((x) => x.term === 2)) },
    { title: t.teacher, key: 'teacher', render: (_: unknown, s) => teachersOf(s) },
  ];

  return (
    <>
      <PageHeader
        title={t.title}
        subtitle={data ? t.subtitle(data.className, yearLabel(data.year), data.ruleSetLabel) : undefined}
        extra={cls ? <ClassLinks cls={cls} /> : null}
      />
      <UnsentGrids schoolId={schoolId} />
      <div className="filters">
        <SchoolYearSelect schoolId={schoolId} value={year} onChange={setYear} className="f-200" />
        <Select
          className="f-200"
          aria-label={t.pickClass}
          placeholder={t.pickClass}
          loading={classes.isLoading}
          showSearch={foldSearch}
          value={cls?.id}
          options={own.map((c) => ({ value: c.id, label: t.classOption(c.name, mineLabel(c)) }))}
          onChange={(id: string) => setQuery({ lop: id })}
          data-testid="gradebook-class"
        />
      </div>
      {classes.isError ? <QueryError error={classes.error} onRetry={() => classes.refetch()} /> : null}
      {classes.data && own.length === 0 ? <Alert type="info" showIcon title={vi.teacherScope.none} /> : null}
      {book.isError ? <QueryError error={book.error} onRetry={() => book.refetch()} backTo="/so-diem" /> : null}
      {data && !data.supported ? <Alert type="info" showIcon title={t.unsupported(data.className, data.ruleSetLabel)} data-testid="gradebook-unsupported" /> : null}
      {cls && !book.isError && (!data || data.supported) ? (
        <ResponsiveList<Subject>
          size="small"
          bordered
          rowKey="subjectCode"
          loading={book.isLoading}
          columns={columns}
          dataSource={subjects}
          pagination={false}
          locale={{ emptyText: t.noSubjects }}
          data-testid="gradebook-subjects"
          itemTestId="gradebook-subject"
          card={(s) => (
            <>
              <span className="card-title">{s.subjectName}</span>
              <span className="card-meta">
                <span>{teachersOf(s)}</span>
                {assessedBy(s) ? <span>{assessedBy(s)}</span> : null}
              </span>
            </>
          )}
          cardActions={(s) => (
            <div className="gb-term-links">
              {s.terms.map((ts) => (
                <TermLink key={ts.term} classId={data?.classId ?? ''} subject={s} ts={ts} current={ts.term === term} withTerm />
              ))}
            </div>
          )}
        />
      ) : null}
      {/* A subject teacher's re-test marks after the year (the results screen is the homeroom teacher's and the managers'). */}
      {cls && cls.access === 'teaching' ? <TeacherRetests key={cls.id} schoolId={schoolId} classId={cls.id} /> : null}
    </>
  );
}

/** The class's other screens: its results (homeroom teacher, managers) and its attendance. */
function ClassLinks({ cls }: { cls: ClassItem }) {
  const q = `nam=${cls.year}&lop=${cls.id}`;
  return (
    <>
      {cls.access === 'full' || cls.access === 'homeroom' ? (
        <Link to={`/ket-qua?${q}`} data-testid="gradebook-to-results">
          {cls.grade >= 1 && cls.grade <= 5 ? vi.results.titlePrimary : vi.results.toResults}
        </Link>
      ) : null}
      <Link to={`/diem-danh?${q}`} data-testid="gradebook-to-attendance">
        {vi.results.toAttendance}
      </Link>
    </>
  );
}

function teachersOf(s: Subject): string {
  const names = [...new Set(s.terms.map((x) => x.teacherName).filter((n): n is string => !!n))];
  return names.length ? names.join(', ') : t.noTeacher;
}

const STATE_PILL: Record<string, string> = { open: 'pill-cyan', submitted: 'pill-orange', reviewed: 'pill-orange', locked: 'pill-green' };

/** One term of one subject: its state, and the way into the grid ("Nhập điểm" for its teacher, "Xem" for others). */
function TermLink({ classId, subject, ts, current, withTerm }: { classId: string; subject: Subject; ts: TermState; current: boolean; withTerm?: boolean }) {
  const termName = vi.common.terms[ts.term];
  const action = ts.canEdit ? t.enter : t.view;
  const state = t.stateShort[ts.state] ?? ts.stateLabel;
  return (
    <Link
      to={gridPath(classId, subject.subjectCode, ts.term)}
      className={`gb-term-link${ts.canEdit ? ' gb-term-edit' : ''}${current ? ' gb-term-current' : ''}`}
      title={ts.stateLabel}
      data-testid={`gradebook-open-${ts.term}`}
    >
      {/* Heard before what is seen, so the link says which subject and term it opens. */}
      <span className="sr-only">{withTerm ? `${subject.subjectName}, ` : `${subject.subjectName}, ${termName}: `}</span>
      {withTerm ? <span className="gb-term-name">{termName}</span> : null}
      <span className={`pill ${STATE_PILL[ts.state] ?? ''}`}>{state}</span>
      <span className="gb-term-action">{action}</span>
    </Link>
  );
}

/** Grids of this school with cells still waiting in this browser: the way back to send them. */
function UnsentGrids({ schoolId }: { schoolId: string }) {
  const { me } = useSession();
  const [records, setRecords] = useState<OutboxRecord[]>([]);
  useEffect(() => {
    let live = true;
    void outboxStore()
      .then((s) => s.list(me.userId, schoolId))
      .then(
        (r) => live && setRecords(r),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [me.userId, schoolId]);
  if (!records.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      className="gb-unsent"
      title={t.unsentTitle}
      data-testid="gradebook-unsent"
      description={
        <>
          <ul className="gb-unsent-list">
            {records.map((r) => (
              <li key={r.key}>
                <Link to={gridPath(r.classId, r.subjectCode, r.term)}>{t.unsentItem(r.label, r.edits.length, r.notices.length)}</Link>
              </li>
            ))}
          </ul>
          <Typography.Text type="secondary">{t.unsentHint}</Typography.Text>
        </>
      }
    />
  );
}
