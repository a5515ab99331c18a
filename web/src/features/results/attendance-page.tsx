import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Input, Radio, Segmented, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { isoToday } from '../../../../domain/index';
import { api, errorText } from '../../api/client';
import type { Attendance, ClassItem, SaveAttendance } from '../../api/types';
import { fmtDate } from '../../components/format';
import { VnDatePicker } from '../../components/lazy-date-picker';
import { PageHeader } from '../../components/page-header';
import { QueryError } from '../../components/query-error';
import { ResponsiveList } from '../../components/responsive-list';
import { SaveBar } from '../../components/save-bar';
import { vi } from '../../i18n/vi';
import { Link, setQuery, useRoute } from '../../router';
import { RequireSchool } from '../layout/require-school';
import { ClassFilters, useClassChoice } from './class-choice';
import { LessonSheet } from './lesson-attendance';
import { classLinks } from './results-api';
import { absenceWarning, attendanceEntries, type Mark, markKey, savedMark, type Session, type Status } from './results-logic';
import './results.css';

const t = vi.attendance;
type Row = Attendance['students'][number];
const STATUSES: Status[] = ['present', 'excused', 'unexcused'];
const ISO_RE = /^\d{4}-\d{2}-\d{2}$/;
type Mode = 'sessions' | 'lessons';
const MODES: Mode[] = ['sessions', 'lessons'];

// Subject teachers read their classes' attendance; the homeroom teacher and the managers enter it (the server says).
const seesAttendance = (c: ClassItem) => c.access !== 'none';

/** "Điểm danh": a class on one day (today by default), by session, absences excused or not, and the year's totals. */
export function AttendancePage() {
  return <RequireSchool>{(schoolId) => <AttendanceView schoolId={schoolId} key={schoolId} />}</RequireSchool>;
}

function AttendanceView({ schoolId }: { schoolId: string }) {
  const { query } = useRoute();
  const choice = useClassChoice(schoolId, seesAttendance);
  const { cls, classes, own } = choice;
  const today = isoToday();
  const ngay = query.get('ngay');
  const date = ngay && ISO_RE.test(ngay) && ngay <= today ? ngay : today;
  const mode: Mode = query.get('xem') === 'tiet' ? 'lessons' : 'sessions';
  const links = cls ? classLinks(cls.year, cls.id) : null;

  return (
    <>
      <PageHeader
        title={t.title}
        subtitle={cls ? t.subtitle(cls.name, fmtDate(date)) : undefined}
        extra={
          links ? (
            <>
              <Link to={links.gradebook}>{vi.results.toGradebook}</Link>
              {cls?.access !== 'teaching' ? <Link to={links.results}>{vi.results.toResults}</Link> : null}
            </>
          ) : null
        }
      />
      <ClassFilters schoolId={schoolId} choice={choice}>
        <VnDatePicker
          className="f-200"
          aria-label={t.date}
          value={date}
          allowClear={false}
          disabledDate={(d) => d.format('YYYY-MM-DD') > today}
          onChange={(iso) => setQuery({ ngay: iso && iso !== today ? iso : undefined })}
          data-testid="attendance-date"
        />
      </ClassFilters>
      {classes.isError ? <QueryError error={classes.error} onRetry={() => classes.refetch()} /> : null}
      {classes.data && own.length === 0 ? <Alert type="info" showIcon title={t.noClass} /> : null}
      {cls ? (
        <Segmented
          className="rs-view"
          aria-label={t.modeSwitch}
          value={mode}
          options={MODES.map((m) => ({ value: m, label: t.modes[m] }))}
          onChange={(m) => setQuery({ xem: m === 'lessons' ? 'tiet' : undefined })}
          data-testid="attendance-mode"
        />
      ) : null}
      {cls && mode === 'sessions' ? <Sheet key={`${cls.id}/${date}`} schoolId={schoolId} classId={cls.id} date={date} /> : null}
      {cls && mode === 'lessons' ? <LessonSheet key={`${cls.id}/${date}`} schoolId={schoolId} classId={cls.id} year={cls.year} date={date} /> : null}
    </>
  );
}

function Sheet({ schoolId, classId, date }: { schoolId: string; classId: string; date: string }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const path = `/schools/${schoolId}/classes/${classId}/attendance`;
  const key = ['attendance', path, date];
  const q = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get<Attendance>(path, { from: date, to: date }, signal) });
  const [draft, setDraft] = useState<Map<string, Mark>>(new Map());
  const data = q.data;
  const sessions = data?.sessions ?? [];
  const students = data?.students ?? [];
  const editable = !!data?.canEdit;
  const entries = attendanceEntries(students, sessions, date, draft);
  const mark = (s: Row, session: Session): Mark => draft.get(markKey(s.studentId, session)) ?? savedMark(s, date, session);
  const absentCount = students.reduce((n, s) => n + sessions.filter((x) => mark(s, x).status !== 'present').length, 0);

  const setStatus = (s: Row, session: Session, status: Status) => {
    const reason = sessions.map((x) => mark(s, x)).find((m) => m.status !== 'present')?.reason ?? '';
    setDraft((d) => new Map(d).set(markKey(s.studentId, session), { status, reason }));
  };
  // One reason per student and day, for each session they missed.
  const setReason = (s: Row, reason: string) =>
    setDraft((d) => {
      const next = new Map(d);
      for (const x of sessions) if (mark(s, x).status !== 'present') next.set(markKey(s.studentId, x), { ...mark(s, x), reason });
      return next;
    });

  const save = useMutation({
    mutationFn: (body: SaveAttendance) => api.put<Attendance, SaveAttendance>(path, body),
    onSuccess: (a) => {
      qc.setQueryData(key, a);
      setDraft(new Map());
      const absent = a.students.reduce((n, s) => n + s.absences.filter((x) => x.date === date).length, 0);
      message.success(t.saved(fmtDate(date), absent));
    },
    onError: (e) => message.error(errorText(e), 8),
  });

  // The session's name: always on a card, in the table only when the column holds two.
  const marks = (s: Row, named: boolean) => (
    <div className="at-marks">
      {sessions.map((x) => (
        <div key={x} className="at-session">
          {named ? <span className="at-session-name">{t.sessionsShort[x]}</span> : null}
          {/* Whoever may only read sees words, not greyed-out buttons. */}
          {editable ? (
            <Radio.Group
              size="small"
              optionType="button"
              buttonStyle="solid"
              disabled={save.isPending}
              aria-label={t.statusOf(s.fullName, t.sessions[x])}
              value={mark(s, x).status}
              options={STATUSES.map((st) => ({ value: st, label: t.statuses[st] }))}
              onChange={(e) => setStatus(s, x, e.target.value as Status)}
              data-testid={`attendance-${x}`}
            />
          ) : (
            <span className={mark(s, x).status === 'present' ? undefined : 'at-absent'}>{t.statusWords[mark(s, x).status]}</span>
          )}
        </div>
      ))}
    </div>
  );
  // Lessons the student missed that day (subject teachers' rolls): what the homeroom teacher records the sessions from.
  const lessonsMissed = (s: Row) =>
    s.lessonAbsences.length ? (
      <span className="at-lessons" data-testid="attendance-lessons">
        {t.lessonsMissed}: {s.lessonAbsences.map((l) => t.lessonMissed(l.label, l.subjectName, l.excused)).join('; ')}
      </span>
    ) : null;
  const reason = (s: Row) => {
    const absent = sessions.map((x) => mark(s, x)).find((m) => m.status !== 'present');
    if (!absent) return null;
    if (!editable) return absent.reason ? <span>{absent.reason}</span> : null;
    return (
      <Input
        size="small"
        className="at-reason"
        aria-label={t.reasonOf(s.fullName)}
        placeholder={t.reasonPlaceholder}
        maxLength={500}
        disabled={save.isPending}
        value={absent.reason}
        onChange={(e) => setReason(s, e.target.value)}
        data-testid="attendance-reason"
      />
    );
  };
  const year = (s: Row) => {
    const total = s.yearExcused + s.yearUnexcused;
    const limit = data?.limit ?? null;
    const warn = limit !== null ? absenceWarning(total, limit) : null;
    return (
      <>
        {t.yearCount(s.yearExcused, s.yearUnexcused)}
        {warn && limit !== null ? (
          <span className={`pill ${warn === 'over' ? 'pill-red' : 'pill-orange'} at-warn`} title={t.limitHint(limit)}>
            {warn === 'over' ? t.overLimit(limit) : t.nearLimit(limit)}
          </span>
        ) : null}
      </>
    );
  };
  const columns: TableColumnsType<Row> = [
    { title: vi.results.stt, key: 'stt', width: 48, render: (_: unknown, __, i) => i + 1 },
    {
      title: vi.results.name,
      key: 'name',
      render: (_: unknown, s) => (
        <>
          <span className="rs-name">{s.fullName}</span>
          {lessonsMissed(s)}
        </>
      ),
    },
    { title: sessions.map((x) => t.sessions[x]).join(', '), key: 'marks', render: (_: unknown, s) => marks(s, sessions.length > 1) },
    { title: t.reason, key: 'reason', render: (_: unknown, s) => reason(s) },
    { title: <abbr title={t.yearTitle}>{t.year}</abbr>, key: 'year', render: (_: unknown, s) => year(s) },
  ];

  if (q.isError) return <QueryError error={q.error} onRetry={() => q.refetch()} />;
  return (
    <div data-testid="attendance">
      {data ? <Alert className="rs-alert" type="info" showIcon title={editable ? t.hint : t.readOnly} /> : null}
      <div className="rs-toolbar">
        <Typography.Text type="secondary" data-testid="attendance-count">
          {t.absentToday(absentCount)}
        </Typography.Text>
        {data?.limit ? <Typography.Text type="secondary">{t.limitHint(data.limit)}</Typography.Text> : null}
      </div>
      <ResponsiveList<Row>
        size="small"
        bordered
        rowKey="studentId"
        loading={q.isLoading}
        columns={columns}
        dataSource={students}
        pagination={false}
        tableFrom="lg"
        locale={{ emptyText: t.noStudents }}
        itemTestId="attendance-card"
        onRow={() => ({ 'data-testid': 'attendance-row' }) as React.HTMLAttributes<HTMLElement>}
        card={(s, i) => (
          <>
            <span className="card-title">
              {i + 1}. {s.fullName}
            </span>
            <span className="card-meta">
              <span>
                {t.year}: {year(s)}
              </span>
              {lessonsMissed(s)}
            </span>
          </>
        )}
        cardActions={(s) => (
          <div className="at-marks">
            {marks(s, true)}
            {reason(s)}
          </div>
        )}
      />
      {editable ? (
        <SaveBar
          label={t.save(entries.length)}
          pending={save.isPending}
          onSave={() => (entries.length ? save.mutate({ entries }) : void message.info(t.unchanged))}
          testId="attendance-save"
        />
      ) : null}
    </div>
  );
}
