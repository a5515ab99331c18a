import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Radio, Segmented, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { CHECKPOINTS, CHECKPOINT_LABELS, type Checkpoint } from '../../../../domain/index';
import { api, errorText } from '../../api/client';
import type { QualityRatings, QualityTransition, SaveQualityRatings, SaveQualityRatingsResult } from '../../api/types';
import { useWide } from '../../components/responsive-list';
import { SaveBar } from '../../components/save-bar';
import { vi } from '../../i18n/vi';
import { LockControls } from './lock-controls';
import { YEAR_COMMENTS_ANCHOR, YearComments } from './year-comments';
import { RATINGS, type Rating, SHORT, cellKey, fillEmpty, nextRating, qualityChanges, ratedCount, ratingForKey, ratingOf } from './qualities-logic';

const t = vi.qualities;
type Sheet = QualityRatings;
type Row = Sheet['rows'][number];
type Quality = Sheet['qualities'][number];
type Draft = Map<string, Rating>;

const checkpointOptions = CHECKPOINTS.map((c) => ({ value: c, label: CHECKPOINT_LABELS[c] }));
const sheetKey = (schoolId: string, classId: string, checkpoint: Checkpoint) => ['qualities', schoolId, classId, checkpoint];

/**
 * "Phẩm chất, năng lực" of a primary class (TT27/2020 Điều 7): at each of the four checkpoints the
 * homeroom teacher rates every student's qualities and competencies Tốt / Đạt / Cần cố gắng, one
 * save for the changed cells (each sent with the version read: a cell someone else changed first
 * comes back as a conflict and shows their rating). The principal locks the checkpoint and unlocks
 * it with a reason. On a wide screen a grid (tap or type T / Đ / C, arrows move); on a phone one
 * student at a time.
 */
export function QualitiesPanel({ schoolId, classId, initialCheckpoint }: { schoolId: string; classId: string; initialCheckpoint: Checkpoint }) {
  const [checkpoint, setCheckpoint] = useState<Checkpoint>(initialCheckpoint);
  const [draft, setDraft] = useState<Draft>(new Map());
  // The student shown one at a time (the phone's ratings, the year comments): one choice for both.
  const [studentIndex, setStudentIndex] = useState(0);
  const { message } = App.useApp();
  const qc = useQueryClient();
  const wide = useWide('lg');
  const base = `/schools/${schoolId}/classes/${classId}/qualities`;
  const key = sheetKey(schoolId, classId, checkpoint);
  const q = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get<Sheet>(base, { checkpoint }, signal) });
  const data = q.data;
  const rows = data?.rows ?? [];
  const codes = (data?.qualities ?? []).map((x) => x.code);
  const editable = !!data?.actions.edit;
  const changes = qualityChanges(rows, codes, draft);
  const rated = rows.reduce((n, r) => n + ratedCount(r, codes, draft), 0);
  const set = (studentId: string, quality: string, rating: Rating) => setDraft((d) => new Map(d).set(cellKey(studentId, quality), rating));

  const save = useMutation({
    mutationFn: (body: SaveQualityRatings) => api.put<SaveQualityRatingsResult, SaveQualityRatings>(base, body),
    onSuccess: (result) => {
      // Saved and conflicting cells take the server's value; a refused one stays in the draft, red in the message.
      const next = new Map(draft);
      for (const c of [...result.saved, ...result.conflicts]) next.delete(cellKey(c.studentId, c.quality));
      setDraft(next);
      if (result.saved.length) message.success(t.saved(result.saved.length));
      if (result.conflicts.length) message.warning(t.conflicts(result.conflicts.length), 10);
      if (result.rejected.length) {
        const names = new Map(rows.map((r) => [r.studentId, r.fullName]));
        message.error(`${t.rejected(result.rejected.length)} ${result.rejected.map((r) => `${names.get(r.studentId) ?? ''}: ${r.message}`).join('; ')}`, 10);
      }
      void qc.invalidateQueries({ queryKey: key });
    },
    onError: (e) => message.error(errorText(e), 8),
  });
  const transition = useMutation({
    mutationFn: (body: QualityTransition) => api.post<Sheet, QualityTransition>(`${base}/state`, body),
    onSuccess: (sheet, body) => {
      qc.setQueryData(key, sheet);
      message.success(body.action === 'lock' ? t.lockedDone : t.unlockedDone);
    },
    onError: (e) => message.error(errorText(e), 8),
  });
  const pick = (c: Checkpoint) => {
    setCheckpoint(c);
    setDraft(new Map());
  };
  const submit = () => (changes.length ? save.mutate({ checkpoint, ratings: changes }) : void message.info(t.unchanged));

  return (
    <div data-testid="qualities">
      <div className="rs-toolbar">
        {/* Four checkpoints do not fit a phone's width as a segmented switch: a list there. */}
        {wide ? (
          <Segmented aria-label={t.checkpointSwitch} value={checkpoint} options={checkpointOptions} onChange={pick} data-testid="qualities-checkpoint" />
        ) : (
          <Select className="ql-checkpoint" aria-label={t.checkpointSwitch} value={checkpoint} options={checkpointOptions} onChange={pick} data-testid="qualities-checkpoint" />
        )}
        {data ? (
          <span className={`pill ${data.state === 'locked' ? 'pill-orange' : 'pill-cyan'}`} data-testid="qualities-state">
            {data.stateLabel}
          </span>
        ) : null}
        {data ? <Typography.Text type="secondary">{t.ratedCells(rated, rows.length * codes.length)}</Typography.Text> : null}
        {changes.length ? <span className="pill pill-orange">{t.unsaved(changes.length)}</span> : null}
        {editable ? (
          <Button size="small" title={t.fillTitle} onClick={() => setDraft(fillEmpty(rows, codes, draft, RATINGS[1]))} disabled={save.isPending || rated === rows.length * codes.length} data-testid="qualities-fill">
            {t.fill}
          </Button>
        ) : null}
        {data?.commentTopics.length && rows.length ? (
          <Button size="small" type="link" onClick={() => document.getElementById(YEAR_COMMENTS_ANCHOR)?.scrollIntoView({ behavior: 'smooth', block: 'start' })} data-testid="year-comments-jump">
            {t.commentsJump}
          </Button>
        ) : null}
        {data && (data.actions.lock || data.actions.unlock) ? (
          <LockControls
            locked={data.state === 'locked'}
            pending={transition.isPending}
            texts={t}
            testId="qualities"
            onLock={() => transition.mutate({ checkpoint, action: 'lock' })}
            onUnlock={(reason) => transition.mutateAsync({ checkpoint, action: 'unlock', reason })}
          />
        ) : null}
      </div>
      {data ? <Alert className="rs-alert" type="info" showIcon title={editable ? (wide ? t.intro : t.introPhone) : (data.readOnlyReason ?? t.readOnly)} /> : null}
      {data?.unlockReason ? <p className="rs-note">{t.lockedNote(data.unlockReason)}</p> : null}
      {q.isError ? <Alert className="rs-alert" type="error" showIcon title={errorText(q.error)} /> : null}
      {data && !rows.length ? <Alert className="rs-alert" type="info" showIcon title={t.noStudents} /> : null}
      {data && rows.length ? (
        wide ? (
          <QualitiesGrid data={data} draft={draft} editable={editable && !save.isPending} onSet={set} />
        ) : (
          <QualitiesByStudent data={data} draft={draft} editable={editable && !save.isPending} onSet={set} index={studentIndex} onIndex={setStudentIndex} />
        )
      ) : null}
      {editable ? (
        <SaveBar label={t.save(changes.length)} pending={save.isPending} onSave={submit} testId="qualities-save" />
      ) : null}
      {/* End of the year: the homeroom teacher's comments for the học bạ, locked with the ratings. */}
      {data && rows.length && data.commentTopics.length ? (
        <YearComments key={classId} index={studentIndex} onIndex={setStudentIndex} data={data} url={`/schools/${schoolId}/classes/${classId}/year-comments`} queryKey={key} />
      ) : null}
    </div>
  );
}

type SheetProps = { data: Sheet; draft: Draft; editable: boolean; onSet: (studentId: string, quality: string, rating: Rating) => void };

/** Focus the cell at (row, col) of the grid, if there is one: arrows move like a spreadsheet's. */
function focusCell(grid: HTMLElement | null, row: number, col: number) {
  grid?.querySelector<HTMLElement>(`[data-cell="${row}:${col}"]`)?.focus();
}

const ARROWS: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

/** The wide grid: students × qualities under their group headers; a cell is a button (tap: next rating; T / Đ / C typed: that rating). */
function QualitiesGrid({ data, draft, editable, onSet }: SheetProps) {
  const [grid, setGrid] = useState<HTMLElement | null>(null);
  // The grid scrolls sideways inside antd's container; read only, it holds nothing focusable, so a
  // keyboard user could not scroll it (axe: scrollable-region-focusable). The container takes focus then.
  useEffect(() => {
    const scroller = grid?.querySelector<HTMLElement>('.ant-table-content');
    if (!scroller) return;
    if (editable) scroller.removeAttribute('tabindex');
    else scroller.setAttribute('tabindex', '0');
  }, [grid, editable, data]);
  const codes = data.qualities.map((x) => x.code);
  const groups = [...new Set(data.qualities.map((x) => x.groupLabel))];

  const cell = (r: Row, rowIndex: number, quality: Quality, col: number) => {
    const rating = ratingOf(r, quality.code, draft);
    const changed = draft.has(cellKey(r.studentId, quality.code)) && rating !== (r.ratings[quality.code]?.value ?? null);
    const text = rating ? SHORT[rating] : '';
    if (!editable) return <span aria-label={t.ratingOf(quality.name, r.fullName)}>{text || '–'}</span>;
    return (
      <button
        type="button"
        className={`ql-cell${changed ? ' ql-cell-changed' : ''}${rating === RATINGS[2] ? ' ql-cell-low' : ''}`}
        data-cell={`${rowIndex}:${col}`}
        aria-label={t.cellOf(quality.name, r.fullName, rating ?? t.unrated)}
        onClick={() => onSet(r.studentId, quality.code, nextRating(rating))}
        onKeyDown={(e) => {
          const move = ARROWS[e.key];
          if (move) {
            e.preventDefault();
            focusCell(grid, rowIndex + move[0], col + move[1]);
            return;
          }
          const typed = ratingForKey(e.key);
          if (typed === undefined) return;
          e.preventDefault();
          onSet(r.studentId, quality.code, typed);
          // Typing a rating goes on to the next quality of the same student, as a teacher reads a row.
          if (typed !== null) focusCell(grid, rowIndex, col + 1);
        }}
      >
        {text}
      </button>
    );
  };

  const columns: TableColumnsType<Row> = [
    { title: vi.results.stt, key: 'stt', width: 44, fixed: 'left', render: (_: unknown, __, i) => i + 1 },
    { title: vi.results.name, key: 'name', width: 180, fixed: 'left', render: (_: unknown, r) => <span className="rs-name">{r.fullName}</span> },
    ...groups.map((g) => ({
      title: g,
      key: g,
      children: data.qualities
        .map((quality, col) => ({ quality, col }))
        .filter(({ quality }) => quality.groupLabel === g)
        .map(({ quality, col }) => ({
          title: quality.name,
          key: quality.code,
          width: 76,
          className: 'ql-col',
          render: (_: unknown, r: Row, rowIndex: number) => cell(r, rowIndex, quality, col),
        })),
    })),
    {
      title: t.rated,
      key: 'rated',
      width: 90,
      fixed: 'right',
      className: 'ql-col',
      render: (_: unknown, r) => {
        const n = ratedCount(r, codes, draft);
        return <span className={n < codes.length ? 'rs-missing' : undefined}>{t.ratedOf(n, codes.length)}</span>;
      },
    },
  ];
  return (
    <div ref={setGrid}>
      <Table<Row>
        className="ql-grid"
        size="small"
        bordered
        rowKey="studentId"
        columns={columns}
        dataSource={data.rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={() => ({ 'data-testid': 'qualities-row' }) as React.HTMLAttributes<HTMLElement>}
      />
    </div>
  );
}

/** A phone: one student at a time (picked from the list or stepped through), each quality with its three ratings. */
function QualitiesByStudent({ data, draft, editable, onSet, index, onIndex: setIndex }: SheetProps & { index: number; onIndex: (i: number) => void }) {
  const i = Math.min(index, data.rows.length - 1);
  const r = data.rows[i];
  const codes = data.qualities.map((x) => x.code);
  const groups = [...new Set(data.qualities.map((x) => x.groupLabel))];
  return (
    <div className="ql-student" data-testid="qualities-student">
      <div className="ql-nav">
        <Button icon={<LeftOutlined aria-hidden />} aria-label={t.prev} disabled={i === 0} onClick={() => setIndex(i - 1)} data-testid="qualities-prev" />
        <Select
          className="ql-pick"
          aria-label={t.pickStudent}
          value={i}
          onChange={setIndex}
          options={data.rows.map((s, k) => ({ value: k, label: `${k + 1}. ${s.fullName} (${t.ratedOf(ratedCount(s, codes, draft), codes.length)})` }))}
          data-testid="qualities-pick"
        />
        <Button icon={<RightOutlined aria-hidden />} aria-label={t.next} disabled={i === data.rows.length - 1} onClick={() => setIndex(i + 1)} data-testid="qualities-next" />
      </div>
      {groups.map((g) => (
        <fieldset key={g} className="ql-group">
          <legend>{g}</legend>
          {data.qualities
            .filter((x) => x.groupLabel === g)
            .map((quality) => {
              const rating = ratingOf(r, quality.code, draft);
              return (
                <div key={quality.code} className="ql-line" data-testid="qualities-line">
                  <span className="ql-line-name">{quality.name}</span>
                  {editable ? (
                    <span className="rs-rating">
                      <Radio.Group
                        size="small"
                        optionType="button"
                        buttonStyle="solid"
                        aria-label={t.ratingOf(quality.name, r.fullName)}
                        value={rating}
                        options={RATINGS.map((x) => ({ value: x, label: x }))}
                        onChange={(e) => onSet(r.studentId, quality.code, e.target.value as string)}
                      />
                      {rating ? (
                        <Button type="link" size="small" aria-label={t.clearOf(quality.name)} onClick={() => onSet(r.studentId, quality.code, null)}>
                          {t.clear}
                        </Button>
                      ) : null}
                    </span>
                  ) : (
                    <span>{rating ?? t.unrated}</span>
                  )}
                </div>
              );
            })}
        </fieldset>
      ))}
      {i < data.rows.length - 1 ? (
        <Button block onClick={() => setIndex(i + 1)} data-testid="qualities-next-bottom">
          {t.next}: {data.rows[i + 1].fullName}
        </Button>
      ) : null}
    </div>
  );
}
