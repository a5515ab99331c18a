import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Radio, Segmented, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../api/client';
import type { ClassResults, TrainingRatings as TrainingBody } from '../../api/types';
import { ResponsiveList } from '../../components/responsive-list';
import { SaveBar } from '../../components/save-bar';
import { vi } from '../../i18n/vi';
import { resultsKey, useClassResults } from './results-api';
import { LEVELS, type Level, periodOfTerm, ratingChanges, ratingOf } from './results-logic';

const t = vi.results;
type Row = ClassResults['students'][number];
const termName = (term: 1 | 2) => vi.gradebook.termNames[term];

/**
 * Training ratings of a term (TT22/2021 Điều 8): one tap per student (Tốt, Khá, Đạt, Chưa đạt),
 * then one save for the changed rows. Read-only for whoever may not rate (the server says).
 */
export function TrainingRatings({ schoolId, classId, initialTerm, pickTerm }: { schoolId: string; classId: string; initialTerm: 1 | 2; pickTerm: boolean }) {
  const [term, setTerm] = useState<1 | 2>(initialTerm);
  const [draft, setDraft] = useState<Map<string, Level | null>>(new Map());
  const q = useClassResults(schoolId, classId, periodOfTerm(term));
  const qc = useQueryClient();
  const { message } = App.useApp();
  const students = q.data?.students ?? [];
  const editable = !!q.data?.canRateTraining;
  const changes = ratingChanges(students, term, draft);
  const value = (s: Row) => (draft.has(s.studentId) ? (draft.get(s.studentId) ?? null) : ratingOf(s, term));
  const set = (id: string, level: Level | null) => setDraft((d) => new Map(d).set(id, level));
  const rated = students.filter((s) => value(s) !== null).length;

  const save = useMutation({
    mutationFn: (body: TrainingBody) => api.put<ClassResults, TrainingBody>(`/schools/${schoolId}/classes/${classId}/training`, body),
    onSuccess: (data, body) => {
      qc.setQueryData(resultsKey(schoolId, classId, periodOfTerm(term)), data);
      void qc.invalidateQueries({ queryKey: resultsKey(schoolId, classId), predicate: (x) => x.queryKey[3] !== periodOfTerm(term) });
      setDraft(new Map());
      message.success(t.ratingsSaved(body.ratings.length, termName(term)));
    },
    onError: (e) => message.error(errorText(e), 8),
  });
  const submit = () => {
    if (!changes.length) {
      void message.info(t.ratingsUnchanged);
      return;
    }
    save.mutate({ term, ratings: changes });
  };

  // Whoever may not rate reads the level in words, not greyed-out buttons.
  const picker = (s: Row) => {
    const level = value(s);
    if (!editable) return <span>{level ? t.levels[level] : t.unrated}</span>;
    return (
      <Radio.Group
        size="small"
        optionType="button"
        buttonStyle="solid"
        disabled={save.isPending}
        aria-label={t.ratingOf(s.fullName, termName(term))}
        value={level}
        options={LEVELS.map((l) => ({ value: l, label: t.levels[l] }))}
        onChange={(e) => set(s.studentId, e.target.value as Level)}
        data-testid="training-level"
      />
    );
  };
  const clear = (s: Row) =>
    editable && value(s) ? (
      <Button type="link" size="small" onClick={() => set(s.studentId, null)} aria-label={`${t.clear}: ${s.fullName}`}>
        {t.clear}
      </Button>
    ) : null;
  const columns: TableColumnsType<Row> = [
    { title: t.stt, key: 'stt', width: 48, render: (_: unknown, __, i) => i + 1 },
    { title: t.name, key: 'name', render: (_: unknown, s) => <span className="rs-name">{s.fullName}</span> },
    {
      title: `${t.training} ${termName(term)}`,
      key: 'level',
      render: (_: unknown, s) => (
        <span className="rs-rating">
          {picker(s)}
          {clear(s)}
        </span>
      ),
    },
  ];

  return (
    <div data-testid="training">
      <div className="rs-toolbar">
        {/* A term's period rates that term; the year ("Cả năm") lets either be picked. */}
        {pickTerm ? (
          <Segmented
            aria-label={t.ratingTerm}
            value={term}
            options={([1, 2] as const).map((x) => ({ value: x, label: vi.common.terms[x] }))}
            onChange={(v) => {
              setTerm(v);
              setDraft(new Map());
            }}
            data-testid="training-term"
          />
        ) : (
          <strong>{`${t.training} ${termName(term)}`}</strong>
        )}
        <Typography.Text type="secondary">{t.ratedCount(rated, students.length)}</Typography.Text>
        {changes.length ? <span className="pill pill-orange">{t.unsavedRatings(changes.length)}</span> : null}
        {editable ? (
          <Button
            size="small"
            onClick={() => {
              const next = new Map(draft);
              for (const s of students) if (value(s) === null) next.set(s.studentId, 'tot');
              setDraft(next);
            }}
            disabled={save.isPending || rated === students.length}
          >
            {t.fillGood}
          </Button>
        ) : null}
      </div>
      {q.data ? <Alert className="rs-alert" type="info" showIcon title={editable ? t.ratingsHint : t.ratingsReadOnly} /> : null}
      {q.isError ? <Alert className="rs-alert" type="error" showIcon title={errorText(q.error)} /> : null}
      <ResponsiveList<Row>
        size="small"
        bordered
        rowKey="studentId"
        loading={q.isLoading}
        columns={columns}
        dataSource={students}
        pagination={false}
        locale={{ emptyText: t.noStudents }}
        itemTestId="training-card"
        onRow={() => ({ 'data-testid': 'training-row' }) as React.HTMLAttributes<HTMLElement>}
        card={(s, i) => (
          <span className="card-title">
            {i + 1}. {s.fullName}
          </span>
        )}
        cardActions={(s) => (
          <span className="rs-rating">
            {picker(s)}
            {clear(s)}
          </span>
        )}
      />
      {editable ? (
        <SaveBar label={t.saveRatings(changes.length)} pending={save.isPending} onSave={submit} testId="training-save" />
      ) : null}
    </div>
  );
}
