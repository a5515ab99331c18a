import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Input, Modal, Radio } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../api/client';
import type { Ok, Reclassify, ReclassifySummary, Summer, SummerRetests, SummerStateChange, SummerTraining } from '../../api/types';
import { ResponsiveList } from '../../components/responsive-list';
import { SaveBar } from '../../components/save-bar';
import { vi } from '../../i18n/vi';
import { LockControls } from './lock-controls';
import { LEVELS, type Level } from './results-logic';
import { retestChanges, retestKey, trainingChanges } from './summer-logic';
// Also drawn on the gradebook page (a subject teacher's re-tests), which does not load the results screen's styles.
import './results.css';

const t = vi.summer;
type Row = Summer['students'][number];

const summerKey = (schoolId: string, classId: string) => ['summer', schoolId, classId];

/**
 * After the year close (TT22/2021 Điều 13–14): the class's students to re-test, with a cell per
 * re-test subject (one decimal, or Đ / CĐ), and those in summer training with their re-rating;
 * one save for the changes. The principal locks the school's summer and classifies the year again.
 */
export function SummerPanel({ schoolId, classId }: { schoolId: string; classId: string }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [retestDraft, setRetestDraft] = useState<Map<string, string>>(new Map());
  const [trainingDraft, setTrainingDraft] = useState<Map<string, Level | null>>(new Map());
  const base = `/schools/${schoolId}/classes/${classId}/summer`;
  const q = useQuery({ queryKey: summerKey(schoolId, classId), queryFn: ({ signal }) => api.get<Summer>(base, undefined, signal) });
  const data = q.data;
  const students = data?.students ?? [];
  const retests = retestChanges(students, retestDraft);
  const training = trainingChanges(students, trainingDraft);
  const changes = retests.length + training.length;

  const save = useMutation({
    mutationFn: async () => {
      let last: Summer | undefined;
      if (retests.length) last = await api.put<Summer, SummerRetests>(`${base}/retests`, { retests });
      if (training.length) last = await api.put<Summer, SummerTraining>(`${base}/training`, { ratings: training });
      return last;
    },
    onSuccess: (d) => {
      if (d) qc.setQueryData(summerKey(schoolId, classId), d);
      message.success(t.savedEntries(changes));
      setRetestDraft(new Map());
      setTrainingDraft(new Map());
    },
    onError: (e) => {
      message.error(errorText(e), 8);
      void q.refetch();
    },
  });

  const retestCell = (s: Row) =>
    s.retests.length ? (
      <span className="rs-summer-retests">
        {s.retests.map((r) => {
          const k = retestKey(s.studentId, r.subjectCode);
          const label = `${r.subjectName} (${t.yearResult(r.yearResult)})`;
          return (
            <label key={r.subjectCode} className="rs-summer-retest">
              <span>{label}</span>
              {r.canEdit ? (
                <Input
                  size="small"
                  className="rs-summer-input"
                  value={retestDraft.get(k) ?? r.value ?? ''}
                  placeholder={r.assessment === 'score' ? t.scorePlaceholder : t.passPlaceholder}
                  inputMode={r.assessment === 'score' ? 'decimal' : 'text'}
                  maxLength={20}
                  aria-label={t.retestOf(r.subjectName, s.fullName)}
                  onChange={(e) => setRetestDraft((d) => new Map(d).set(k, e.target.value))}
                  data-testid="summer-retest-input"
                />
              ) : (
                <strong>{r.value ?? t.notYet}</strong>
              )}
            </label>
          );
        })}
      </span>
    ) : null;

  const trainingCell = (s: Row) => {
    if (!s.training) return null;
    const level = trainingDraft.has(s.studentId) ? (trainingDraft.get(s.studentId) ?? null) : s.training.level;
    return (
      <span className="rs-rating">
        <span className="rs-note">{t.trainingYear(s.training.yearLevel ?? '')}</span>
        {data?.canEnterTraining ? (
          <Radio.Group
            size="small"
            optionType="button"
            buttonStyle="solid"
            aria-label={t.trainingOf(s.fullName)}
            value={level}
            options={LEVELS.map((l) => ({ value: l, label: vi.results.levels[l] }))}
            onChange={(e) => setTrainingDraft((d) => new Map(d).set(s.studentId, e.target.value as Level))}
            data-testid="summer-training-level"
          />
        ) : (
          <strong>{level ? vi.results.levels[level] : vi.results.unrated}</strong>
        )}
      </span>
    );
  };
  const resultCell = (s: Row) => (s.result ? <strong>{s.result}</strong> : s.missing ? <span className="rs-note">{s.missing}</span> : <span className="rs-note">{t.notYet}</span>);

  const columns: TableColumnsType<Row> = [
    { title: vi.results.stt, key: 'stt', width: 48, render: (_: unknown, __, i) => i + 1 },
    { title: vi.results.name, key: 'name', render: (_: unknown, s) => <span className="rs-name">{s.fullName}</span> },
    { title: t.decision, dataIndex: 'decision', key: 'decision' },
    { title: t.retests, key: 'retests', render: (_: unknown, s) => retestCell(s) },
    { title: t.training, key: 'training', render: (_: unknown, s) => trainingCell(s) },
    { title: t.result, key: 'result', render: (_: unknown, s) => resultCell(s) },
  ];
  const editable = students.some((s) => s.retests.some((r) => r.canEdit)) || (!!data?.canEnterTraining && students.some((s) => s.training));

  return (
    <div data-testid="summer">
      <Alert className="rs-alert" type="info" showIcon title={t.summerIntro} />
      {q.isError ? <Alert className="rs-alert" type="error" showIcon title={errorText(q.error)} /> : null}
      {data && !data.yearClosed ? <Alert className="rs-alert" type="info" showIcon title={t.yearNotClosed} /> : null}
      {data?.locked ? (
        <Alert className="rs-alert" type="warning" showIcon title={t.locked} description={data.unlockReason ? t.lockedReason(data.unlockReason) : undefined} data-testid="summer-locked" />
      ) : null}
      {data && (data.canLock || data.canReclassify) ? <PrincipalBar schoolId={schoolId} data={data} onChanged={() => void qc.invalidateQueries({ queryKey: ['summer', schoolId] })} /> : null}
      <ResponsiveList<Row>
        size="small"
        bordered
        rowKey="studentId"
        loading={q.isLoading}
        columns={columns}
        dataSource={students}
        pagination={false}
        locale={{ emptyText: data?.yearClosed === false ? t.yearNotClosed : t.nobody }}
        itemTestId="summer-card"
        onRow={() => ({ 'data-testid': 'summer-row' }) as React.HTMLAttributes<HTMLElement>}
        card={(s, i) => (
          <>
            <span className="card-title">
              {i + 1}. {s.fullName}
            </span>
            <span>{s.decision}</span>
            {resultCell(s)}
          </>
        )}
        cardActions={(s) => (
          <span className="rs-summer-card">
            {retestCell(s)}
            {trainingCell(s)}
          </span>
        )}
      />
      {editable ? (
        <SaveBar label={t.saveEntries(changes)} pending={save.isPending} onSave={() => (changes ? save.mutate() : void message.info(t.unchanged))} testId="summer-save" />
      ) : null}
    </div>
  );
}

/**
 * Where a subject teacher enters re-test marks (they do not open the class's results): on the
 * class's gradebook page, shown only when the year close sent students of the class to a re-test
 * in a subject they teach. Same query as the panel, so one request.
 */
export function TeacherRetests({ schoolId, classId }: { schoolId: string; classId: string }) {
  const q = useQuery({
    queryKey: summerKey(schoolId, classId),
    queryFn: ({ signal }) => api.get<Summer>(`/schools/${schoolId}/classes/${classId}/summer`, undefined, signal),
    retry: false,
  });
  if (!q.data?.students.some((s) => s.retests.length > 0)) return null;
  return (
    <section className="rs-summer-section" aria-labelledby="gb-retests-title" data-testid="gradebook-retests">
      <h2 id="gb-retests-title">{t.teacherTitle}</h2>
      <SummerPanel schoolId={schoolId} classId={classId} />
    </section>
  );
}

/** The principal's lock / unlock (with a reason) of the school's summer, and "Xét lại lên lớp" with what it found. */
function PrincipalBar({ schoolId, data, onChanged }: { schoolId: string; data: Summer; onChanged: () => void }) {
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [summary, setSummary] = useState<ReclassifySummary | null>(null);
  const state = useMutation({
    mutationFn: (body: SummerStateChange) => api.post<Ok, SummerStateChange>(`/schools/${schoolId}/summer/state`, body),
    onSuccess: (_, body) => {
      message.success(body.action === 'lock' ? t.lockedDone : t.unlockedDone);
      onChanged();
    },
    onError: (e) => message.error(errorText(e), 8),
  });
  const reclassify = useMutation({
    mutationFn: (body: Reclassify) => api.post<ReclassifySummary, Reclassify>(`/schools/${schoolId}/results/after-summer`, body),
    onSuccess: (s) => {
      setSummary(s);
      onChanged();
      void qc.invalidateQueries({ queryKey: ['class-results', schoolId] });
    },
    onError: (e) => message.error(errorText(e), 8),
  });
  return (
    <div className="rs-toolbar">
      {data.canReclassify && data.yearClosed ? (
        <Button
          type="primary"
          loading={reclassify.isPending}
          data-testid="summer-reclassify"
          onClick={() => {
            modal.confirm({ title: `${t.reclassify}?`, content: t.reclassifyConfirm, okText: t.reclassify, cancelText: vi.common.cancel, onOk: () => reclassify.mutate({ year: data.year }) });
          }}
        >
          {t.reclassify}
        </Button>
      ) : null}
      {data.canLock ? (
        <LockControls
          locked={data.locked}
          pending={state.isPending}
          texts={t}
          testId="summer"
          onLock={() => state.mutate({ year: data.year, action: 'lock' })}
          onUnlock={(reason) => state.mutateAsync({ year: data.year, action: 'unlock', reason })}
        />
      ) : null}
      <Modal
        open={!!summary}
        title={t.reclassify}
        onCancel={() => setSummary(null)}
        footer={<Button onClick={() => setSummary(null)}>{vi.common.close}</Button>}
        data-testid="summer-summary"
      >
        {summary ? (
          <>
            <p>{t.reclassified(summary.promoted, summary.retained)}</p>
            {summary.missing.length ? (
              <>
                <p>{t.reclassifyMissing(summary.missing.length)}</p>
                <ul className="rs-summary-list">
                  {summary.missing.map((m, i) => (
                    <li key={i}>
                      {m.className} · {m.fullName}: {m.reason}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        ) : null}
      </Modal>
    </div>
  );
}
