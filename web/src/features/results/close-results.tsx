import { CalculatorOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Modal } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../api/client';
import type { CloseResults, CloseSummary } from '../../api/types';
import { yearLabel } from '../../components/format';
import { vi } from '../../i18n/vi';
import { countLines, firstReasons, type Period } from './results-logic';

const t = vi.results;

/** The principal's "Tổng hợp kết quả" of a period for the whole school, then what it found. */
export function CloseResultsButton({ schoolId, year, period }: { schoolId: string; year: number; period: Period }) {
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [summary, setSummary] = useState<CloseSummary | null>(null);
  const label = t.periodOf[period];
  const close = useMutation({
    mutationFn: (body: CloseResults) => api.post<CloseSummary, CloseResults>(`/schools/${schoolId}/results/close`, body),
    onSuccess: (s) => {
      setSummary(s);
      message.success(t.closeDone(label));
      void qc.invalidateQueries({ queryKey: ['class-results', schoolId] });
    },
    onError: (e) => message.error(errorText(e), 8),
  });
  // The same computation without storing it first: the principal sees what is not ready (grids not
  // locked, students who would be "chưa đủ điều kiện") before the close replaces the last one.
  const preview = useMutation({
    mutationFn: () => api.post<CloseSummary, CloseResults>(`/schools/${schoolId}/results/close`, { year, period, preview: true }),
    onSuccess: (p) => {
      const incomplete = p.students - p.complete;
      const ready = p.unlockedGrids === 0 && incomplete === 0;
      modal.confirm({
        title: ready ? `${t.close(label)}?` : `${t.close(label)}: ${t.closeNotReady}`,
        content: (
          <div data-testid="results-close-confirm">
            {p.unlockedGrids > 0 ? <p className="rs-warn">{t.closeUnlocked(p.unlockedGrids)}</p> : null}
            {incomplete > 0 ? <p className="rs-warn">{t.closeWouldBeIncomplete(incomplete, p.students)}</p> : null}
            <p>{t.closeConfirm(label, yearLabel(year))}</p>
          </div>
        ),
        okText: ready ? t.close(label) : t.closeAnyway(label),
        okButtonProps: ready ? undefined : { danger: true },
        cancelText: vi.common.cancel,
        onOk: () => close.mutate({ year, period }),
      });
    },
    onError: (e) => message.error(errorText(e), 8),
  });
  return (
    <>
      <Button
        type="primary"
        icon={<CalculatorOutlined aria-hidden />}
        loading={close.isPending || preview.isPending}
        data-testid="results-close"
        onClick={() => preview.mutate()}
      >
        {close.isPending ? t.closing : preview.isPending ? t.closePreviewing : t.close(label)}
      </Button>
      <Modal
        open={!!summary}
        title={summary ? t.summaryTitle(t.periodOf[summary.period], yearLabel(summary.year)) : ''}
        onCancel={() => setSummary(null)}
        footer={
          <Button onClick={() => setSummary(null)} data-testid="results-summary-close">
            {vi.common.close}
          </Button>
        }
        data-testid="results-summary"
      >
        {summary ? <Summary s={summary} /> : null}
      </Modal>
    </>
  );
}

function Counts({ title, counts, labels }: { title: string; counts: Record<string, number>; labels: Record<string, string> }) {
  const lines = countLines(counts, labels);
  if (!lines.length) return null;
  return (
    <section className="rs-sum-block">
      <h4>{title}</h4>
      <ul className="rs-counts">
        {lines.map((l) => (
          <li key={l.label}>
            {l.label}: <strong>{l.n}</strong>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Summary({ s }: { s: CloseSummary }) {
  const incompleteTotal = s.students - s.complete;
  return (
    <div className="rs-summary" data-testid="results-summary-body">
      <p>{t.summaryCounts(s.classes, s.students, s.complete)}</p>
      <Counts title={t.summaryLearningOf(Object.values(s.learning).reduce((a, b) => a + b, 0))} counts={s.learning} labels={t.levels} />
      <Counts title={t.summaryPromotion} counts={s.promotion} labels={t.promotions} />
      <Counts title={t.summaryAwards} counts={s.awards} labels={t.awards} />
      <section className="rs-sum-block">
        <h4>{t.summaryIncomplete(incompleteTotal)}</h4>
        {s.incomplete.length ? (
          // Scrolls on its own: reachable by keyboard too.
          <ul className="rs-incomplete" tabIndex={0} aria-label={t.summaryIncomplete(incompleteTotal)} data-testid="results-summary-incomplete">
            {s.incomplete.map((x, i) => (
              <li key={i}>
                <strong>
                  {vi.common.class} {x.className} — {x.fullName}
                </strong>
                : {firstReasons(x.reasons, t.moreReasons)}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t.summaryNoIncomplete}</p>
        )}
        {incompleteTotal > s.incomplete.length ? <p className="rs-note">{t.summaryIncompleteMore}</p> : null}
      </section>
      {s.skippedClasses.length ? <p className="rs-note">{t.summarySkipped(s.skippedClasses.join(', '))}</p> : null}
      <p className="rs-note">{t.summaryTime(new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(s.millis / 1000))}</p>
    </div>
  );
}
