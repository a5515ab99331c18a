import { Segmented, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import type { ClassResults } from '../../api/types';
import { ResponsiveList } from '../../components/responsive-list';
import { vi } from '../../i18n/vi';
import { HocBaButton } from './hoc-ba-button';
import { groupReasons, primaryLevelCounts } from './results-logic';
import { SignHocBaButton, SignHocBaDialog, studentSignTarget } from './sign-hoc-ba';

const t = vi.results;
type Row = ClassResults['students'][number];
type View = 'summary' | 'marks';

const none = vi.common.none;
// Before the period is closed nothing has been counted: "—", not "Không nghỉ".
const absentText = (s: Row) => (s.sessionsAbsent === null ? none : t.absentCount(s.sessionsAbsent, s.sessionsAbsentExcused ?? 0));
const promotionText = (s: Row) => {
  if (!s.promotion) return none;
  const first = s.promotionDetail ? `${s.promotion} (${s.promotionDetail})` : s.promotion;
  // What came of the re-test or summer training, once the principal classified again.
  return s.afterSummer ? `${first}. ${t.afterSummer(s.afterSummer)}` : first;
};

/** "Chưa đủ điều kiện xếp loại: Toán: thiếu điểm CK." — the server's reasons, in its words. */
function Missing({ s }: { s: Row }) {
  if (!s.missing.length) return null;
  return <span className="rs-missing">{t.missing(groupReasons(s.missing).join('; '))}</span>;
}

function Learning({ s }: { s: Row }) {
  return (
    <>
      {s.learning ?? none}
      {s.learningNote ? <span className="rs-note">{s.learningNote}</span> : null}
    </>
  );
}

/**
 * The class × subjects results: "Tổng hợp" (learning, training, absences, promotion, award, what is
 * missing) and "Điểm các môn" (each subject's term or year result), so neither needs sideways
 * scrolling; on phones each student is a card.
 */
export function ResultsTable({ schoolId, data, loading }: { schoolId: string; data: ClassResults; loading: boolean }) {
  const [view, setView] = useState<View>('summary');
  const [signing, setSigning] = useState<{ studentId: string; fullName: string } | null>(null);
  const year = data.period === 'cn';
  // The principal (who closes the year) also signs the book.
  const hocBaActions = (s: Row) =>
    s.hocBaReady ? (
      <span className="rs-hoc-ba">
        <HocBaButton schoolId={schoolId} studentId={s.studentId} fullName={s.fullName} />
        {data.canClose ? <SignHocBaButton student={s} onOpen={setSigning} /> : null}
      </span>
    ) : null;
  // The offices read results, not the học bạ: no column of buttons they could not use; nor one of
  // buttons that could only say "not yet" (one note above the list says it instead).
  const anyHocBa = data.canPrintHocBa && data.students.some((s) => s.hocBaReady);
  const actions: TableColumnsType<Row> = anyHocBa
    ? [{ title: vi.common.actions, key: 'hoc-ba', width: data.canClose ? 210 : 140, render: (_: unknown, s) => hocBaActions(s) ?? none }]
    : [];
  const stt = { title: t.stt, key: 'stt', width: 48, render: (_: unknown, __: Row, i: number) => i + 1 };
  const name = { title: t.name, key: 'name', render: (_: unknown, s: Row) => <span className="rs-name">{s.fullName}</span> };

  // Primary (TT27): the year's outcome and completion instead of learning and training results.
  const primary = data.ruleSet === 'tt27_2020';
  const primarySummary: TableColumnsType<Row> = [
    stt,
    name,
    // A term has no outcome under TT27 (the year's, Điều 9): its subjects' levels instead.
    year
      ? { title: <abbr title={t.outcomeTitle}>{t.outcome}</abbr>, key: 'outcome', render: (_: unknown, s: Row) => s.outcome ?? none }
      : { title: <abbr title={t.subjectLevelsTitle}>{t.subjectLevels}</abbr>, key: 'levels', render: (_: unknown, s: Row) => levelsText(s) },
    ...(year ? [{ title: t.completion, key: 'completion', render: (_: unknown, s: Row) => s.completion ?? none }] : []),
    { title: <abbr title={t.absentTitle}>{t.absent}</abbr>, key: 'absent', render: (_: unknown, s) => absentText(s) },
    ...(year ? [{ title: t.award, key: 'award', render: (_: unknown, s: Row) => s.award ?? none }] : []),
    { title: t.note, key: 'note', render: (_: unknown, s) => <Missing s={s} /> },
    ...actions,
  ];
  const tt22Summary: TableColumnsType<Row> = [
    stt,
    name,
    { title: <abbr title={t.learningTitle}>{t.learning}</abbr>, key: 'learning', render: (_: unknown, s) => <Learning s={s} /> },
    { title: <abbr title={t.trainingTitle}>{t.training}</abbr>, key: 'training', render: (_: unknown, s) => s.training ?? none },
    { title: <abbr title={t.absentTitle}>{t.absent}</abbr>, key: 'absent', render: (_: unknown, s) => absentText(s) },
    ...(year
      ? [
          { title: t.promotion, key: 'promotion', render: (_: unknown, s: Row) => promotionText(s) },
          { title: t.award, key: 'award', render: (_: unknown, s: Row) => s.award ?? none },
        ]
      : []),
    { title: t.note, key: 'note', render: (_: unknown, s) => <Missing s={s} /> },
    ...actions,
  ];
  const summary = primary ? primarySummary : tt22Summary;
  const marks: TableColumnsType<Row> = [
    stt,
    name,
    ...data.subjects.map((sub) => ({
      title: <span className="rs-subject">{sub.name}</span>,
      key: `m-${sub.code}`,
      className: 'rs-mark',
      render: (_: unknown, s: Row) => s.marks[sub.code] || <span className="rs-mark-missing">{none}</span>,
    })),
    primary
      ? { title: t.outcome, key: 'outcome', className: 'rs-mark', render: (_: unknown, s) => s.outcome ?? none }
      : { title: t.learning, key: 'learning', className: 'rs-mark', render: (_: unknown, s) => s.learning ?? none },
  ];

  return (
    <>
      <Segmented
        className="rs-view"
        aria-label={t.viewSwitch}
        value={view}
        options={(['summary', 'marks'] as const).map((v) => ({ value: v, label: t.views[v] }))}
        onChange={(v) => setView(v)}
        data-testid="results-view"
      />
      {data.canPrintHocBa && !anyHocBa && data.students.length > 0 ? (
        <Typography.Paragraph type="secondary" className="rs-hoc-ba-note" data-testid="results-hoc-ba-not-yet">
          {t.hocBaNoneYet}
        </Typography.Paragraph>
      ) : null}
      <ResponsiveList<Row>
        size="small"
        bordered
        rowKey="studentId"
        loading={loading}
        columns={view === 'summary' ? summary : marks}
        dataSource={data.students}
        pagination={false}
        tableFrom="lg"
        className="rs-table"
        locale={{ emptyText: t.noStudents }}
        data-testid="results-table"
        itemTestId="results-card"
        onRow={() => ({ 'data-testid': 'results-row' }) as React.HTMLAttributes<HTMLElement>}
        card={(s, i) => (view === 'summary' ? <SummaryCard s={s} i={i} year={year} primary={primary} /> : <MarksCard s={s} i={i} data={data} />)}
        cardActions={view === 'summary' && anyHocBa ? hocBaActions : undefined}
      />
      {data.canClose ? <SignHocBaDialog target={signing && studentSignTarget(schoolId, signing)} onClose={() => setSigning(null)} /> : null}
    </>
  );
}

/** A primary term's subjects by level, in words ("7 môn Hoàn thành tốt, 3 môn Hoàn thành"). */
function levelsText(s: Row): string {
  const c = primaryLevelCounts(s.marks);
  return c ? t.levelCounts(c.T, c.H, c.C) : none;
}

function SummaryCard({ s, i, year, primary }: { s: Row; i: number; year: boolean; primary: boolean }) {
  return (
    <>
      <span className="card-title">
        {i + 1}. {s.fullName}
      </span>
      <dl className="rs-facts">
        {primary ? (
          <>
            <dt>{year ? t.outcome : t.subjectLevels}</dt>
            <dd>{year ? (s.outcome ?? none) : levelsText(s)}</dd>
            {year ? (
              <>
                <dt>{t.completion}</dt>
                <dd>{s.completion ?? none}</dd>
              </>
            ) : null}
          </>
        ) : (
          <>
            <dt>{t.learning}</dt>
            <dd>
              <Learning s={s} />
            </dd>
            <dt>{t.training}</dt>
            <dd>{s.training ?? none}</dd>
          </>
        )}
        <dt>{t.absent}</dt>
        <dd>{absentText(s)}</dd>
        {year ? (
          <>
            {primary ? null : (
              <>
                <dt>{t.promotion}</dt>
                <dd>{promotionText(s)}</dd>
              </>
            )}
            <dt>{t.award}</dt>
            <dd>{s.award ?? none}</dd>
          </>
        ) : null}
      </dl>
      <Missing s={s} />
    </>
  );
}

function MarksCard({ s, i, data }: { s: Row; i: number; data: ClassResults }) {
  return (
    <>
      <span className="card-title">
        {i + 1}. {s.fullName}
      </span>
      <dl className="rs-marks" aria-label={t.marksOf(s.fullName)}>
        {data.subjects.map((sub) => (
          <div key={sub.code} className="rs-mark-item">
            <dt>{sub.name}</dt>
            <dd>{s.marks[sub.code] || <Typography.Text type="secondary">{t.markMissing}</Typography.Text>}</dd>
          </div>
        ))}
        <div className="rs-mark-item rs-mark-learning">
          <dt>{data.ruleSet === 'tt27_2020' ? t.outcome : t.learning}</dt>
          <dd>{(data.ruleSet === 'tt27_2020' ? s.outcome : s.learning) ?? none}</dd>
        </div>
      </dl>
    </>
  );
}
