import { describe, expect, it } from 'vitest';
import type { TSaveGradebookResult } from '../../../../contracts/gradebook';
import { applyResult, batchOf, cellKey, dropEdit, type Edit, mergeNotices, type Outbox, queueEdit, reconcile, retryDelayMs, type ServerCell } from './outbox';

// The outbox of the gradebook grid: what a teacher typed is kept until the server confirms it,
// replayed after a reload or a lost connection with the version the teacher saw, and never
// dropped without a notice (a conflict with both values, or the server's reason).

const A = 'stu-a';
const B = 'stu-b';
const empty: ServerCell = { value: null, version: 0 };
const result = (r: Partial<TSaveGradebookResult>): TSaveGradebookResult => ({ saved: [], conflicts: [], rejected: [], summaries: [], ...r });
const only = (o: Outbox) => [...o.values()];

describe('queueEdit', () => {
  it('keeps one edit per cell, with the version the teacher saw', () => {
    let o: Outbox = new Map();
    o = queueEdit(o, A, 'tx1', '8', { value: '7', version: 3 });
    o = queueEdit(o, A, 'tx1', '8,5', { value: '7', version: 3 });
    expect(only(o)).toEqual([{ studentId: A, column: 'tx1', value: '8,5', version: 3 }]);
  });

  it('an edit made on a stored one keeps the stored version, not the one the server answers now', () => {
    // Reloaded with "9" unsent on version 1; the server has moved on to version 2 meanwhile.
    let o: Outbox = new Map([[cellKey(A, 'gk'), { studentId: A, column: 'gk', value: '9', version: 1 }]]);
    o = queueEdit(o, A, 'gk', '9,5', { value: '6', version: 2 });
    expect(o.get(cellKey(A, 'gk'))?.version).toBe(1);
  });

  it('a cell typed back to what the server holds has nothing to send', () => {
    let o: Outbox = queueEdit(new Map(), A, 'tx1', '8', { value: '7', version: 3 });
    o = queueEdit(o, A, 'tx1', '7', { value: '7', version: 3 });
    expect(o.size).toBe(0);
  });

  it('clearing a cell is an edit with value null', () => {
    const o = queueEdit(new Map(), A, 'ck', null, { value: '5', version: 1 });
    expect(only(o)).toEqual([{ studentId: A, column: 'ck', value: null, version: 1 }]);
  });

  it('dropEdit takes a cell out (an invalid value typed over it) and leaves an outbox without it as it was', () => {
    const o = queueEdit(new Map(), A, 'tx1', '8', empty);
    expect(dropEdit(o, A, 'tx1').size).toBe(0);
    expect(dropEdit(o, B, 'tx1')).toBe(o);
  });
});

describe('reconcile (replay after a reload)', () => {
  const stored: Outbox = new Map<string, Edit>([
    [cellKey(A, 'tx1'), { studentId: A, column: 'tx1', value: '8', version: 0 }],
    [cellKey(A, 'tx2'), { studentId: A, column: 'tx2', value: '7', version: 2 }],
    [cellKey(B, 'tx1'), { studentId: B, column: 'tx1', value: '6', version: 1 }],
  ]);
  const server: Record<string, ServerCell> = {
    // The save went through but its answer was lost: the cell holds the value already.
    [cellKey(A, 'tx1')]: { value: '8', version: 1 },
    // Untouched since: still to send.
    [cellKey(A, 'tx2')]: { value: '5', version: 2 },
    // Someone else changed it meanwhile: still sent, with the old version, so the server answers a conflict.
    [cellKey(B, 'tx1')]: { value: '9', version: 2 },
  };
  const at = (s: string, c: string) => server[cellKey(s, c)] ?? empty;

  it('drops what the server already holds and keeps the rest with the version it was made on', () => {
    expect(only(reconcile(stored, at))).toEqual([
      { studentId: A, column: 'tx2', value: '7', version: 2 },
      { studentId: B, column: 'tx1', value: '6', version: 1 },
    ]);
  });

  it('batchOf sends every edit, at most the contract allows per request', () => {
    expect(batchOf(stored)).toHaveLength(3);
    expect(batchOf(stored, 2)).toHaveLength(2);
  });
});

describe('applyResult', () => {
  const sentA: Edit = { studentId: A, column: 'tx1', value: '8', version: 0 };
  const sentB: Edit = { studentId: B, column: 'tx1', value: '7', version: 4 };
  const box = (...edits: Edit[]): Outbox => new Map(edits.map((e) => [cellKey(e.studentId, e.column), e]));

  it('a saved cell leaves the outbox with its new version as the base', () => {
    const r = applyResult(box(sentA), [sentA], result({ saved: [{ studentId: A, column: 'tx1', value: '8', version: 1 }] }));
    expect(r.outbox.size).toBe(0);
    expect(r.bases).toEqual([{ studentId: A, column: 'tx1', cell: { value: '8', version: 1 } }]);
    expect(r.saved).toBe(1);
    expect(r.notices).toEqual([]);
  });

  it('a cell typed again while its batch was on the way stays, rebuilt on the new version', () => {
    const r = applyResult(box({ ...sentA, value: '9' }), [sentA], result({ saved: [{ studentId: A, column: 'tx1', value: '8', version: 1 }] }));
    expect(only(r.outbox)).toEqual([{ studentId: A, column: 'tx1', value: '9', version: 1 }]);
  });

  it("a conflict keeps the other writer's value and tells the teacher both values", () => {
    const r = applyResult(
      box(sentA, sentB),
      [sentA, sentB],
      result({
        saved: [{ studentId: A, column: 'tx1', value: '8', version: 1 }],
        conflicts: [{ studentId: B, column: 'tx1', value: '9', version: 5, updatedBy: 'Trần Thị Mai' }],
      }),
    );
    expect(r.outbox.size).toBe(0);
    expect(r.bases).toContainEqual({ studentId: B, column: 'tx1', cell: { value: '9', version: 5 } });
    expect(r.notices).toEqual([{ kind: 'conflict', studentId: B, column: 'tx1', theirs: '9', yours: '7', by: 'Trần Thị Mai' }]);
  });

  it('the notice of a conflict carries what the teacher typed last, even after the batch left', () => {
    const r = applyResult(box({ ...sentB, value: '7,5' }), [sentB], result({ conflicts: [{ studentId: B, column: 'tx1', value: '9', version: 5, updatedBy: null }] }));
    expect(r.notices).toEqual([{ kind: 'conflict', studentId: B, column: 'tx1', theirs: '9', yours: '7,5', by: null }]);
    expect(r.outbox.size).toBe(0);
  });

  it('a conflict holding the value that was sent is our own earlier save (a retry after a timeout): saved, no notice', () => {
    const r = applyResult(box(sentB), [sentB], result({ conflicts: [{ studentId: B, column: 'tx1', value: '7', version: 5, updatedBy: 'Cao Văn Sang' }] }));
    expect(r.outbox.size).toBe(0);
    expect(r.notices).toEqual([]);
    expect(r.saved).toBe(1);
    expect(r.bases).toEqual([{ studentId: B, column: 'tx1', cell: { value: '7', version: 5 } }]);
  });

  it('a conflict with someone who typed the same value needs no notice', () => {
    const r = applyResult(box(sentB), [sentB], result({ conflicts: [{ studentId: B, column: 'tx1', value: '7', version: 5, updatedBy: 'Trần Thị Mai' }] }));
    expect(r.notices).toEqual([]);
  });

  it('a rejected cell leaves the outbox with the reason as a notice', () => {
    const r = applyResult(box(sentA), [sentA], result({ rejected: [{ studentId: A, column: 'tx1', message: 'Học sinh này không học lớp 6A1 trong học kì I.' }] }));
    expect(r.outbox.size).toBe(0);
    expect(r.notices).toEqual([{ kind: 'rejected', studentId: A, column: 'tx1', value: '8', message: 'Học sinh này không học lớp 6A1 trong học kì I.' }]);
  });

  it('a rejected cell typed again meanwhile keeps the new value to send', () => {
    const r = applyResult(box({ ...sentA, value: '8,5' }), [sentA], result({ rejected: [{ studentId: A, column: 'tx1', message: 'x' }] }));
    expect(only(r.outbox)).toEqual([{ ...sentA, value: '8,5' }]);
  });

  it('an edit the answer does not mention stays to be sent again; edits made during the send are untouched', () => {
    const later: Edit = { studentId: A, column: 'gk', value: '6', version: 0 };
    const r = applyResult(box(sentA, later), [sentA], result({}));
    expect(only(r.outbox)).toEqual([sentA, later]);
  });

  it('nothing typed is lost: every sent value ends saved, in the outbox, or in a notice', () => {
    const sent = [sentA, sentB, { studentId: A, column: 'gk', value: '11', version: 0 }];
    const r = applyResult(
      box(...sent),
      sent,
      result({
        saved: [{ studentId: A, column: 'tx1', value: '8', version: 1 }],
        conflicts: [{ studentId: B, column: 'tx1', value: '6', version: 5, updatedBy: null }],
        rejected: [{ studentId: A, column: 'gk', message: 'Điểm tối đa là 10 ("11").' }],
      }),
    );
    for (const e of sent) {
      const k = cellKey(e.studentId, e.column);
      const accounted = r.bases.some((b) => cellKey(b.studentId, b.column) === k && b.cell.value === e.value) || r.outbox.has(k) || r.notices.some((n) => cellKey(n.studentId, n.column) === k);
      expect(accounted, k).toBe(true);
    }
  });
});

describe('notices and retries', () => {
  it('a newer notice about a cell replaces the older one', () => {
    const old = { kind: 'rejected' as const, studentId: A, column: 'tx1', value: '11', message: 'x' };
    const other = { kind: 'rejected' as const, studentId: B, column: 'tx1', value: '12', message: 'y' };
    const fresh = { kind: 'conflict' as const, studentId: A, column: 'tx1', theirs: '9', yours: '8', by: null };
    expect(mergeNotices([old, other], [fresh])).toEqual([other, fresh]);
  });

  it('retries quickly at first, then once a minute', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map(retryDelayMs)).toEqual([3000, 5000, 10000, 20000, 40000, 60000, 60000, 60000]);
  });
});
