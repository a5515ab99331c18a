import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TGradebook, TSaveGradebookResult } from '../../../../contracts/gradebook';
import { ApiError } from '../../api/client';
import { GridSync } from './grid-sync';
import type { Edit } from './outbox';
import type { OutboxRecord, OutboxStore } from './outbox-store';

// The autosave engine of one grid with its clock, network and store stubbed: debounced sends,
// offline until the browser says the network is back, retries after a failure, a refusal of the
// grid as a whole, and the browser's copy of the outbox after every change.

class MemoryStore implements OutboxStore {
  records = new Map<string, OutboxRecord>();
  async get(key: string) {
    return this.records.get(key) ?? null;
  }
  async put(r: OutboxRecord) {
    this.records.set(r.key, structuredClone(r));
  }
  async remove(key: string) {
    this.records.delete(key);
  }
  async list() {
    return [...this.records.values()];
  }
}

const ref = { userId: 'u1', schoolId: 's1', classId: 'c1', subjectCode: 'toan', term: 1, label: 'Toán — Lớp 6A1, học kì I' };
const grid: Pick<TGradebook, 'rows' | 'unlockReason' | 'actions'> = {
  unlockReason: null,
  actions: { edit: true, submit: true, reopen: false, review: false, return: false, lock: false, unlock: false, publish: false },
  rows: [
    { studentId: 'a', fullName: 'A', membership: 'whole_term', cells: { tx1: { value: '7', version: 2, correctedFrom: null } }, summary: '', summaryMissing: [], exempt: null },
    { studentId: 'b', fullName: 'B', membership: 'whole_term', cells: {}, summary: '', summaryMissing: [], exempt: null },
  ],
};
const savedAll = (edits: Edit[]): TSaveGradebookResult => ({
  saved: edits.map((e) => ({ studentId: e.studentId, column: e.column, value: e.value, version: e.version + 1 })),
  conflicts: [],
  rejected: [],
  summaries: [],
});

let online = true;
const win = new EventTarget();
const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });

beforeEach(() => {
  vi.useFakeTimers();
  online = true;
  vi.stubGlobal('window', win);
  vi.stubGlobal('document', doc);
  vi.stubGlobal('navigator', {
    get onLine() {
      return online;
    },
  });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function make(send: (edits: Edit[]) => Promise<TSaveGradebookResult>, store = new MemoryStore(), onBlocked = vi.fn()) {
  const sync = new GridSync({ ref, store, send: (e) => send(e), onBlocked, debounceMs: 800 }, grid, { outbox: new Map(), notices: [] });
  sync.start();
  return { sync, store, onBlocked };
}

describe('GridSync', () => {
  it('batches edits made within 800 ms into one request with the versions the teacher saw', async () => {
    const send = vi.fn(async (e: Edit[]) => savedAll(e));
    const { sync, store } = make(send);
    sync.edit('a', 'tx1', '8');
    await vi.advanceTimersByTimeAsync(500);
    sync.edit('b', 'tx1', '9');
    expect(send).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(800);
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]![0]).toEqual([
      { studentId: 'a', column: 'tx1', value: '8', version: 2 },
      { studentId: 'b', column: 'tx1', value: '9', version: 0 },
    ]);
    const s = sync.getSnapshot();
    expect(s.outbox.size).toBe(0);
    expect(s.bases.get('a/tx1')).toEqual({ value: '8', version: 3, correctedFrom: null });
    expect(s.lastSavedAt).not.toBeNull();
    expect(store.records.size).toBe(0);
  });

  it('a teacher typing without a pause still has the cells sent every 5 s', async () => {
    const send = vi.fn(async (e: Edit[]) => savedAll(e));
    const { sync } = make(send);
    for (let i = 0; i < 8; i++) {
      sync.edit('b', `tx${(i % 4) + 1}`, String(i + 1));
      await vi.advanceTimersByTimeAsync(700);
    }
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]![0].length).toBeGreaterThan(0);
  });

  it('keeps the outbox in the store while offline and sends it when the browser is back online', async () => {
    const send = vi.fn(async (e: Edit[]) => savedAll(e));
    const { sync, store } = make(send);
    online = false;
    win.dispatchEvent(new Event('offline'));
    sync.edit('b', 'gk', '6,5');
    await vi.advanceTimersByTimeAsync(2000);
    expect(send).not.toHaveBeenCalled();
    expect(sync.getSnapshot().failure).toEqual({ kind: 'network', retryAt: null });
    expect(store.records.get('u1|s1|c1|toan|1')?.edits).toEqual([{ studentId: 'b', column: 'gk', value: '6,5', version: 0 }]);
    // The browser's "offline" is not always right: a try every 30 s all the same (it fails here).
    send.mockImplementationOnce(async () => {
      throw new ApiError(0, 'network', 'Không kết nối được máy chủ.');
    });
    await vi.advanceTimersByTimeAsync(29_000);
    expect(send).toHaveBeenCalledTimes(1);
    expect(sync.getSnapshot().failure).toEqual({ kind: 'network', retryAt: null });
    expect(sync.getSnapshot().outbox.size).toBe(1);
    online = true;
    win.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledTimes(2);
    expect(sync.getSnapshot().outbox.size).toBe(0);
    expect(store.records.size).toBe(0);
  });

  it('retries after a network failure, later each time, and sends what was typed meanwhile too', async () => {
    let fail = true;
    const send = vi.fn(async (e: Edit[]) => {
      if (fail) throw new ApiError(0, 'network', 'Không kết nối được máy chủ.');
      return savedAll(e);
    });
    const { sync } = make(send);
    sync.edit('a', 'tx1', '8');
    await vi.advanceTimersByTimeAsync(800);
    expect(send).toHaveBeenCalledTimes(1);
    expect(sync.getSnapshot().failure?.kind).toBe('network');
    await vi.advanceTimersByTimeAsync(3000);
    expect(send).toHaveBeenCalledTimes(2);
    fail = false;
    await vi.advanceTimersByTimeAsync(4900);
    expect(send).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(send).toHaveBeenCalledTimes(3);
    expect(sync.getSnapshot().failure).toBeNull();
    expect(sync.getSnapshot().outbox.size).toBe(0);
  });

  it('a grid refused as a whole (submitted meanwhile) keeps its edits, stops retrying, and asks for the grid again', async () => {
    const send = vi.fn(async (_: Edit[]): Promise<TSaveGradebookResult> => {
      throw new ApiError(409, 'gradebook_not_open', 'Sổ điểm đã nộp nên không sửa được.');
    });
    const { sync, onBlocked, store } = make(send);
    sync.edit('a', 'tx1', '8');
    await vi.advanceTimersByTimeAsync(800);
    expect(sync.getSnapshot().failure).toEqual({ kind: 'blocked', message: 'Sổ điểm đã nộp nên không sửa được.' });
    expect(onBlocked).toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(send).toHaveBeenCalledTimes(1);
    expect(store.records.get('u1|s1|c1|toan|1')?.edits).toHaveLength(1);
    // Reopened ("Rút lại"): the edits go.
    send.mockImplementation(async (e: Edit[]) => savedAll(e));
    sync.setGrid(grid);
    await vi.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledTimes(2);
    expect(sync.getSnapshot().outbox.size).toBe(0);
  });

  it('a conflict becomes a notice kept in the store until the teacher has read it or typed the cell again', async () => {
    const send = vi.fn(
      async (_: Edit[]): Promise<TSaveGradebookResult> => ({
        saved: [],
        conflicts: [{ studentId: 'a', column: 'tx1', value: '9', version: 3, updatedBy: 'Trần Thị Mai' }],
        rejected: [],
        summaries: [],
      }),
    );
    const { sync, store } = make(send);
    sync.edit('a', 'tx1', '8');
    await vi.advanceTimersByTimeAsync(800);
    expect(sync.getSnapshot().notices).toEqual([{ kind: 'conflict', studentId: 'a', column: 'tx1', theirs: '9', yours: '8', by: 'Trần Thị Mai' }]);
    expect(sync.getSnapshot().bases.get('a/tx1')?.value).toBe('9');
    expect(store.records.get('u1|s1|c1|toan|1')?.notices).toHaveLength(1);
    send.mockImplementation(async () => savedAll([{ studentId: 'a', column: 'tx1', value: '8', version: 3 }]));
    sync.edit('a', 'tx1', '8');
    expect(sync.getSnapshot().notices).toEqual([]);
    await vi.advanceTimersByTimeAsync(800);
    expect(send.mock.calls[1]![0]).toEqual([{ studentId: 'a', column: 'tx1', value: '8', version: 3 }]);
    expect(store.records.size).toBe(0);
  });

  it('after an unlock, a saved cell keeps the value the locked grid showed (struck through in the grid)', async () => {
    const send = vi.fn(async (e: Edit[]) => savedAll(e));
    const sync = new GridSync({ ref, store: null, send: (e) => send(e) }, { ...grid, unlockReason: 'Nhập nhầm' }, { outbox: new Map(), notices: [] });
    sync.start();
    sync.edit('a', 'tx1', '9,5');
    await vi.advanceTimersByTimeAsync(800);
    expect(sync.getSnapshot().bases.get('a/tx1')).toEqual({ value: '9,5', version: 3, correctedFrom: '7' });
  });

  it('leaving the grid sends what is waiting at once', async () => {
    const send = vi.fn(async (e: Edit[]) => savedAll(e));
    const { sync, store } = make(send);
    sync.edit('a', 'tx1', '8');
    sync.stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledTimes(1);
    expect(store.records.size).toBe(0);
  });
});
