import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Input, Popconfirm, Radio, Select, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { schoolYearLabel } from '../../../../domain/index';
import { api, errorText } from '../../api/client';
import type { LessonAttendance, LessonAttendanceSetting, LessonAttendanceSwitch, SaveLessonRoll } from '../../api/types';
import { ResponsiveList } from '../../components/responsive-list';
import { SaveBar } from '../../components/save-bar';
import { vi } from '../../i18n/vi';
import { type Mark, type Status, lessonAbsences, lessonDraftOf } from './results-logic';

const t = vi.lessons;
const ta = vi.attendance;
type Roll = LessonAttendance['rolls'][number];
type Student = LessonAttendance['students'][number];
const STATUSES: Status[] = ['present', 'excused', 'unexcused'];
const PRESENT: Mark = { status: 'present', reason: '' };

/**
 * "Điểm danh theo tiết": the rolls of a class's lessons on a day, and the form with which a subject
 * teacher calls the roll of their own lesson (everyone there unless marked). Where the school has
 * not turned it on for the year, it says so, and offers the principal the switch.
 */
export function LessonSheet({ schoolId, classId, year, date }: { schoolId: string; classId: string; year: number; date: string }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const path = `/schools/${schoolId}/classes/${classId}/lessons`;
  const key = ['lessons', path, date];
  const q = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get<LessonAttendance>(path, { date }, signal) });
  const [lesson, setLesson] = useState<number | null>(null);
  const [subject, setSubject] = useState<string | null>(null);
  const [draft, setDraft] = useState<Map<string, Mark>>(new Map());
  const data = q.data;
  const chosenSubject = subject ?? (data?.subjects.length === 1 ? data.subjects[0].code : null);
  const lessonName = (n: number) => data?.lessons.find((l) => l.lesson === n)?.label ?? '';
  const subjectName = (code: string) => data?.subjects.find((s) => s.code === code)?.name ?? '';

  const refresh = (a: LessonAttendance) => {
    qc.setQueryData(key, a);
    // The session sheet shows the lessons missed beside the sessions.
    void qc.invalidateQueries({ queryKey: ['attendance'] });
  };
  const save = useMutation({
    mutationFn: (body: SaveLessonRoll) => api.put<LessonAttendance, SaveLessonRoll>(path, body),
    onSuccess: (a, body) => {
      refresh(a);
      setDraft(new Map());
      setLesson(null);
      message.success(t.saved(t.rollLine(lessonName(body.lesson), subjectName(body.subjectCode)), body.absences.length));
    },
    onError: (e) => message.error(errorText(e), 8),
  });
  const remove = useMutation({
    mutationFn: (r: Roll) => api.del<LessonAttendance>(`${path}?${new URLSearchParams({ date, lesson: String(r.lesson) })}`),
    onSuccess: (a, r) => {
      refresh(a);
      message.success(t.removed(t.rollLine(r.label, r.subjectName)));
    },
    onError: (e) => message.error(errorText(e), 8),
  });
  const turn = useMutation({
    mutationFn: (enabled: boolean) => api.put<LessonAttendanceSetting, LessonAttendanceSwitch>(`/schools/${schoolId}/lesson-attendance`, { year, enabled }),
    onSuccess: (s) => {
      void qc.invalidateQueries({ queryKey: key });
      message.success(s.enabled ? t.turnedOn : t.turnedOff);
    },
    onError: (e) => message.error(errorText(e), 8),
  });

  if (q.isError) return <Alert type="error" showIcon title={errorText(q.error)} />;
  if (!data) return <Typography.Text type="secondary">{vi.common.loading}</Typography.Text>;

  const yearLabel = schoolYearLabel(year);
  const switchButton = data.canSwitch ? (
    <Popconfirm
      title={data.enabled ? t.turnOffOf(yearLabel) : t.turnOnOf(yearLabel)}
      description={data.enabled ? t.turnOffConfirm : t.turnOnConfirm}
      okText={vi.common.confirm}
      cancelText={vi.common.cancel}
      onConfirm={() => turn.mutate(!data.enabled)}
    >
      <Button size="small" loading={turn.isPending} data-testid="lessons-switch">
        {data.enabled ? t.turnOff : t.turnOn}
      </Button>
    </Popconfirm>
  ) : null;

  const edit = (r: Roll) => {
    setLesson(r.lesson);
    setSubject(r.subjectCode);
    setDraft(lessonDraftOf(r.absences));
  };
  const names = new Map(data.students.map((s) => [s.studentId, s.fullName]));
  const rollSummary = (r: Roll) =>
    r.absences.length === 0 ? t.everyone : t.absentNames(r.absences.map((a) => `${names.get(a.studentId) ?? ''} (${a.excused ? ta.statuses.excused.toLowerCase() : ta.statuses.unexcused.toLowerCase()})`).join(', '));

  const mark = (s: Student) => draft.get(s.studentId) ?? PRESENT;
  const setMark = (s: Student, m: Mark) => setDraft((d) => new Map(d).set(s.studentId, m));
  const absences = lessonAbsences(
    data.students.map((s) => s.studentId),
    draft,
  );
  const canCall = data.enabled && data.subjects.length > 0;
  const submit = () => {
    if (lesson === null || chosenSubject === null) {
      void message.warning(t.needLessonAndSubject);
      return;
    }
    save.mutate({ date, lesson, subjectCode: chosenSubject, absences });
  };
  const markCell = (s: Student) => (
    <div className="at-marks">
      <Radio.Group
        size="small"
        optionType="button"
        buttonStyle="solid"
        disabled={save.isPending}
        aria-label={t.statusOf(s.fullName)}
        value={mark(s).status}
        options={STATUSES.map((st) => ({ value: st, label: ta.statuses[st] }))}
        onChange={(e) => setMark(s, { ...mark(s), status: e.target.value as Status })}
        data-testid="lessons-mark"
      />
      {mark(s).status !== 'present' ? (
        <Input
          size="small"
          className="at-reason"
          aria-label={ta.reasonOf(s.fullName)}
          placeholder={ta.reasonPlaceholder}
          maxLength={500}
          value={mark(s).reason}
          onChange={(e) => setMark(s, { ...mark(s), reason: e.target.value })}
          data-testid="lessons-reason"
        />
      ) : null}
    </div>
  );
  const columns: TableColumnsType<Student> = [
    { title: vi.results.stt, key: 'stt', width: 48, render: (_: unknown, __, i) => i + 1 },
    { title: vi.results.name, key: 'name', render: (_: unknown, s) => <span className="rs-name">{s.fullName}</span> },
    { title: t.markColumn, key: 'mark', render: (_: unknown, s) => markCell(s) },
  ];

  return (
    <div data-testid="lessons">
      {!data.enabled ? <Alert className="rs-alert" type="info" showIcon title={t.off(yearLabel)} data-testid="lessons-off" /> : null}
      {switchButton ? <div className="rs-toolbar">{switchButton}</div> : null}

      {data.enabled || data.rolls.length > 0 ? (
        <section className="ls-rolls" data-testid="lessons-rolls">
          <h3>{t.rollsTitle}</h3>
          {data.rolls.length === 0 ? <Typography.Text type="secondary">{t.noRolls}</Typography.Text> : null}
          <ul className="ls-roll-list">
            {data.rolls.map((r) => {
              const line = t.rollLine(r.label, r.subjectName);
              return (
                <li key={r.lesson} className="ls-roll" data-testid="lessons-roll">
                  <div>
                    <strong>{line}</strong>
                    <div className={r.absences.length ? 'at-absent' : undefined}>{rollSummary(r)}</div>
                    {r.recordedBy ? <Typography.Text type="secondary">{t.recordedBy(r.recordedBy)}</Typography.Text> : null}
                  </div>
                  {r.canEdit ? (
                    <span className="ls-roll-actions">
                      <Button size="small" aria-label={t.editOf(line)} onClick={() => edit(r)} data-testid="lessons-edit">
                        {t.edit}
                      </Button>
                      <Popconfirm title={t.removeConfirm(line)} okText={vi.common.confirm} cancelText={vi.common.cancel} okButtonProps={{ danger: true }} onConfirm={() => remove.mutate(r)}>
                        <Button size="small" danger aria-label={t.removeOf(line)} loading={remove.isPending && remove.variables?.lesson === r.lesson} data-testid="lessons-remove">
                          {t.remove}
                        </Button>
                      </Popconfirm>
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}

      {data.enabled && data.subjects.length === 0 ? <Alert className="rs-alert" type="info" showIcon title={t.noSubjects} /> : null}
      {canCall ? (
        <section data-testid="lessons-form">
          <h3>{t.formTitle}</h3>
          <div className="filters">
            <Select
              className="f-200"
              aria-label={t.lesson}
              placeholder={t.pickLesson}
              value={lesson ?? undefined}
              options={data.lessons.map((l) => ({ value: l.lesson, label: l.label }))}
              onChange={(v: number) => setLesson(v)}
              data-testid="lessons-lesson"
            />
            <Select
              className="f-200"
              aria-label={t.subject}
              placeholder={t.pickSubject}
              value={chosenSubject ?? undefined}
              options={data.subjects.map((s) => ({ value: s.code, label: s.name }))}
              onChange={(v: string) => setSubject(v)}
              data-testid="lessons-subject"
            />
          </div>
          <Alert className="rs-alert" type="info" showIcon title={t.hint} />
          <ResponsiveList<Student>
            size="small"
            bordered
            rowKey="studentId"
            columns={columns}
            dataSource={data.students}
            pagination={false}
            tableFrom="lg"
            locale={{ emptyText: ta.noStudents }}
            itemTestId="lessons-card"
            onRow={() => ({ 'data-testid': 'lessons-row' }) as React.HTMLAttributes<HTMLElement>}
            card={(s, i) => (
              <span className="card-title">
                {i + 1}. {s.fullName}
              </span>
            )}
            cardActions={(s) => markCell(s)}
          />
          <SaveBar label={t.save(absences.length)} pending={save.isPending} onSave={submit} testId="lessons-save" />
        </section>
      ) : null}
    </div>
  );
}
