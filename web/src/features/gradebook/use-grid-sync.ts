import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { api } from '../../api/client';
import type { Gradebook, SaveGradebookCells, SaveGradebookResult } from '../../api/types';
import { basesOf, GridSync, settledLeaving, type SyncSnapshot } from './grid-sync';
import { cellKey, type Edit, editKey, reconcile } from './outbox';
import { type GridRef, outboxStore, recordKey } from './outbox-store';

/**
 * The grid's sync engine, started once the grid is read and the browser's kept outbox is loaded
 * (an outbox from an earlier visit is reconciled with the grid and replayed at once), stopped when
 * the teacher leaves the grid (a last send; what it answers waits in the browser for the next visit).
 */
export function useGridSync(ref: GridRef | null, grid: Gradebook | undefined, onBlocked: () => void): GridSync | null {
  const key = ref ? recordKey(ref) : null;
  const [sync, setSync] = useState<GridSync | null>(null);
  const latest = useRef({ ref, grid, onBlocked });
  useEffect(() => {
    latest.current = { ref, grid, onBlocked };
  });
  const ready = !!grid;

  useEffect(() => {
    if (!key || !ready) return;
    let cancelled = false;
    let started: GridSync | null = null;
    void (async () => {
      await settledLeaving(key);
      const store = await outboxStore().catch(() => null);
      const kept = store ? await store.get(key).catch(() => null) : null;
      const { ref: r, grid: g } = latest.current;
      if (cancelled || !r || !g) return;
      const bases = basesOf(g);
      const outbox = reconcile(new Map((kept?.edits ?? []).map((e) => [editKey(e), e])), (s, c) => bases.get(cellKey(s, c)) ?? { value: null, version: 0 });
      const path = `/schools/${r.schoolId}/classes/${r.classId}/gradebook/${r.subjectCode}/cells`;
      started = new GridSync(
        {
          ref: r,
          store,
          send: (edits: Edit[], signal: AbortSignal) => api.put<SaveGradebookResult, SaveGradebookCells>(path, { term: r.term, cells: edits }, signal),
          onBlocked: () => latest.current.onBlocked(),
        },
        g,
        { outbox, notices: kept?.notices ?? [] },
      );
      started.start();
      setSync(started);
    })();
    return () => {
      cancelled = true;
      started?.stop();
      setSync(null);
    };
  }, [key, ready]);

  useEffect(() => {
    if (grid && sync) sync.setGrid(grid);
  }, [grid, sync]);

  return sync;
}

const IDLE: SyncSnapshot = {
  bases: new Map(),
  outbox: new Map(),
  notices: [],
  sending: false,
  online: true,
  lastSavedAt: null,
  failure: null,
  kept: true,
};
const noop = () => () => undefined;

/** The engine's state, re-rendering on every change; an idle state while it starts. */
export function useSyncSnapshot(sync: GridSync | null): SyncSnapshot {
  return useSyncExternalStore(sync?.subscribe ?? noop, sync?.getSnapshot ?? (() => IDLE));
}
