import { ArrowLeftOutlined, CloudSyncOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Segmented, Skeleton } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type CellValue, gradebookRowSummary, parseCell } from '../../../../domain/index';
import type { PageProps } from '../../app';
import { api, ApiError, downloadFile, errorText } from '../../api/client';
import type { Gradebook } from '../../api/types';
import { currentSchoolYear, fmtDateTime, yearLabel } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { QueryError } from '../../components/query-error';
import { vi } from '../../i18n/vi';
import { Link, setQuery, useRoute } from '../../router';
import { useSession } from '../auth/session';
import { RequireSchool } from '../layout/require-school';
import { currentTerm } from './gradebook-page';
import { GridEditor, type InvalidMap } from './grid-editor';
import { GridImport } from './grid-import';
import { PublishColumns } from './publish-columns';
import { StateBar } from './state-bar';
import type { GridSync, SyncSnapshot } from './grid-sync';
import { cellKey } from './outbox';
import { useGridSync, useSyncSnapshot } from './use-grid-sync';
import { useLeaveWarning } from './use-leave-warning';
import './gradebook.css';

const t = vi.gradebook;

/** One grid: a class × subject × term (`?hk=1|2`, the current term when absent). */
export function GradebookGridPage({ params }: PageProps) {
  const { query } = useRoute();
  const hk = query.get('hk');
  const term = hk === '1' || hk === '2' ? Number(hk) : currentTerm(currentSchoolYear());
  return (
    <RequireSchool>
      {(schoolId) => (
        <GridScreen key={`${schoolId}/${params.classId}/${params.subjectCode}/${term}`} schoolId={schoolId} classId={params.classId} subjectCode={params.subjectCode} term={term} />
      )}
    </RequireSchool>
  );
}

function GridScreen({ schoolId, classId, subjectCode, term }: { schoolId: string; classId: string; subjectCode: string; term: number }) {
  const session = useSession();
  const path = `/schools/${schoolId}/classes/${classId}/gradebook/${subjectCode}`;
  const q = useQuery({
    queryKey: ['gradebook', path, term],
    queryFn: ({ signal }) => api.get<Gradebook>(path, { term }, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const grid = q.data;
  const termName = t.termNames[term];
  const label = grid ? t.gridLabel(grid.subjectName, grid.className, termName) : '';
  const ref = grid ? { userId: session.me.userId, schoolId, classId, subjectCode, term, label } : null;
  const refetch = q.refetch;
  const onBlocked = useCallback(() => void refetch(), [refetch]);
  const sync = useGridSync(ref, grid, onBlocked);
  const snap = useSyncSnapshot(sync);
  const [invalid, setInvalid] = useState<InvalidMap>(new Map());
  const editable = !!grid?.actions.edit && !!sync;

  // Invalid or unsent cells: ask before leaving the grid (a link, the menu, back, the term switch, closing the tab).
  const leaveGuard = useLeaveWarning(sync, snap, invalid.size);

  const invalidRef = useRef(invalid);
  useEffect(() => {
    invalidRef.current = invalid;
  }, [invalid]);

  const back = `/so-diem?${grid ? `nam=${grid.year}&` : ''}lop=${classId}`;
  if (q.isError) {
    if (q.error instanceof ApiError && q.error.status === 422) {
      return (
        <>
          <PageHeader title={t.gridTitle} extra={<BackLink to={back} />} />
          <Alert type="info" showIcon title={t.unsupportedGrid} description={errorText(q.error)} data-testid="gradebook-unsupported" />
        </>
      );
    }
    return <QueryError error={q.error} onRetry={() => q.refetch()} backTo={back} />;
  }
  if (!grid) return <Skeleton active />;

  return (
    <>
      <PageHeader
        title={t.headerTitle(grid.subjectName, grid.className)}
        subtitle={t.headerSubtitle(vi.common.terms[term], yearLabel(grid.year), grid.teacherName)}
        extra={<BackLink to={back} />}
      />
      <div className="gb-toolbar">
        <Segmented
          aria-label={t.termSwitch}
          value={term}
          options={[1, 2].map((x) => ({ value: x, label: vi.common.terms[x] }))}
          onChange={(v) => {
            const go = () => setQuery({ hk: v });
            if (!leaveGuard(go)) go();
          }}
          data-testid="gradebook-term"
        />
        <StateBar
          grid={grid}
          path={path}
          label={label}
          unsaved={() => (sync?.getSnapshot().outbox.size ?? 0) + invalidRef.current.size}
          incompleteRows={() => countIncomplete(grid, sync?.getSnapshot())}
          beforeAction={async () => {
            await sync?.flushNow();
          }}
        />
        <GridFiles
          grid={grid}
          path={path}
          term={term}
          valueOf={(studentId, column) => shownValue(grid, snap, studentId, column)}
          flushFirst={async () => {
            await sync?.flushNow();
          }}
        />
      </div>
      {grid.unlockReason && grid.state !== 'locked' ? <Alert className="gb-alert" type="info" showIcon title={t.unlockedNote(grid.unlockReason.replace(/[.\s]+$/, ''))} /> : null}
      {!grid.actions.edit && grid.readOnlyReason ? <Alert className="gb-alert" type="info" showIcon title={grid.readOnlyReason} data-testid="gradebook-readonly" /> : null}
      <GridEditor
        grid={grid}
        sync={sync}
        snap={snap}
        editable={editable}
        invalid={invalid}
        setInvalid={setInvalid}
        userId={session.me.userId}
        userName={session.me.displayName}
        label={label}
        status={grid.actions.edit || snap.outbox.size || snap.notices.length ? <StatusLine sync={sync} snap={snap} invalidCount={invalid.size} /> : null}
      />
    </>
  );
}

function BackLink({ to }: { to: string }) {
  return (
    <Link to={to} className="gb-back">
      <ArrowLeftOutlined aria-hidden /> {t.backToClass}
    </Link>
  );
}

/** A cell as the teacher sees it: unsent, else saved as the sync engine knows it, else as the grid was read. */
function shownValue(grid: Gradebook, snap: SyncSnapshot | undefined, studentId: string, column: string): string | null {
  const k = cellKey(studentId, column);
  const pending = snap?.outbox.get(k);
  if (pending) return pending.value;
  const base = snap?.bases.get(k);
  if (base) return base.value;
  return grid.rows.find((r) => r.studentId === studentId)?.cells[column]?.value ?? null;
}

/** Students whose summary cannot be computed yet (a mark missing), with the values as the teacher sees them. */
function countIncomplete(grid: Gradebook, snap: SyncSnapshot | undefined): number {
  return grid.rows.filter((row) => {
    const values: Record<string, CellValue | null> = {};
    for (const col of grid.columns) {
      const k = cellKey(row.studentId, col.key);
      const pending = snap?.outbox.get(k);
      const text = pending ? pending.value : (snap?.bases.get(k)?.value ?? row.cells[col.key]?.value ?? null);
      const p = parseCell(col.kind, text ?? '');
      values[col.key] = p.ok ? p.value : null;
    }
    return gradebookRowSummary(grid, values).outcome.status === 'incomplete';
  }).length;
}

/** Seconds until `at`, redrawn every second while there is something to count down. */
function useSecondsUntil(at: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [at]);
  return at === null ? 0 : Math.max(0, Math.ceil((at - now) / 1000));
}

/** "Đã lưu lúc 10:42" / "3 ô chưa gửi được — sẽ tự gửi khi có mạng": what became of what the teacher typed. */
function StatusLine({ sync, snap, invalidCount }: { sync: GridSync | null; snap: SyncSnapshot; invalidCount: number }) {
  const { modal } = App.useApp();
  const s = t.status;
  const n = snap.outbox.size;
  const f = snap.failure;
  const retryAt = f && (f.kind === 'network' || f.kind === 'server') ? f.retryAt : null;
  const seconds = useSecondsUntil(n ? retryAt : null);
  const time = (ms: number) => fmtDateTime(new Date(ms).toISOString()).slice(-5);

  let text: string;
  let tone: 'ok' | 'busy' | 'warn' | 'error' = 'ok';
  if (n && f?.kind === 'blocked') [text, tone] = [s.blocked(n, f.message), 'error'];
  else if (n && f?.kind === 'signed_out') [text, tone] = [s.signedOut(n), 'error'];
  else if (n && (!snap.online || (f?.kind === 'network' && f.retryAt === null))) [text, tone] = [s.offline(n), 'warn'];
  else if (n && f?.kind === 'network' && !snap.sending) [text, tone] = [s.retry(n, seconds), 'warn'];
  else if (n && f?.kind === 'server' && !snap.sending) [text, tone] = [s.server(n, f.message, seconds), 'warn'];
  else if (snap.sending) [text, tone] = [s.sending(n), 'busy'];
  else if (n) [text, tone] = [s.waiting(n), 'busy'];
  else if (snap.lastSavedAt) text = s.savedAt(time(snap.lastSavedAt));
  else text = s.autosave;
  const canRetry = n > 0 && !snap.sending && (f?.kind === 'network' || f?.kind === 'server');

  return (
    <div className={`gb-status gb-status-${tone}`} data-testid="gradebook-status">
      <span role="status" aria-live="polite" className="gb-status-text">
        <CloudSyncOutlined aria-hidden /> {text}
        {invalidCount ? <span className="gb-status-invalid">{` · ${s.invalid(invalidCount)}`}</span> : null}
      </span>
      {!snap.kept && n ? <span className="gb-status-unkept">{s.notKept}</span> : null}
      {canRetry ? (
        <Button size="small" onClick={() => void sync?.flushNow()}>
          {s.sendNow}
        </Button>
      ) : null}
      {n && f?.kind === 'blocked' ? (
        <Button
          size="small"
          danger
          onClick={() => {
            modal.confirm({
              title: s.discard,
              content: s.discardConfirm(n),
              okText: s.discard,
              okButtonProps: { danger: true },
              cancelText: vi.common.cancel,
              onOk: () => sync?.discardAll(),
            });
          }}
        >
          {s.discard}
        </Button>
      ) : null}
    </div>
  );
}

/**
 * The grid as an .xlsx (out, and back in while the teacher may enter: grid-import.tsx), and what families see: the columns published to parents and the student
 * (the contact book reads only those), with the confirmed publish and withdrawal (publish-columns.tsx). Both send the unsent cells first (`flushFirst`).
 */
function GridFiles({ grid, path, term, valueOf, flushFirst }: { grid: Gradebook; path: string; term: number; valueOf: (studentId: string, column: string) => string | null; flushFirst: () => Promise<void> }) {
  const { message } = App.useApp();
  const shown = grid.columns.filter((c) => grid.published.includes(c.key)).map((c) => c.label);
  return (
    <div className="gb-files">
      <Button size="small" onClick={() => void downloadFile(`${path}/export.xlsx`, { term }, 'so-diem.xlsx').catch((e: unknown) => message.error(errorText(e)))}>
        {t.downloadXlsx}
      </Button>
      {grid.actions.edit ? <GridImport path={path} term={term} beforeImport={flushFirst} /> : null}
      <PublishColumns grid={grid} path={path} term={term} valueOf={valueOf} beforePublish={flushFirst} />
      <span className="gb-published">{shown.length > 0 ? t.publishedColumns(shown.join(', ')) : t.nothingPublished}</span>
    </div>
  );
}
