/**
 * The gradebook's outbox: the cells a teacher typed that the server has not confirmed yet, each
 * with the version of the cell the teacher saw. Pure functions, no timers, no I/O: the sync engine
 * (grid-sync.ts) keeps one outbox per grid in memory and in IndexedDB and replays it with these
 * rules after a reload or when the connection comes back.
 *
 * The version rule is the server's: a cell is written only if it still has the version the writer
 * read; otherwise the server keeps the other writer's value and answers a conflict. Nothing here
 * ever drops a value the teacher typed without saying so: an edit leaves the outbox only when the
 * server saved it, already holds the same value, refused it (a notice with the reason), or kept
 * someone else's value (a notice with both values).
 */
import type { TSaveGradebookResult } from '../../../../contracts/gradebook';

/** One cell as the teacher means it to be: the value to write ("8,5", "Đ", a comment; null clears) and the version they saw. */
export type Edit = { studentId: string; column: string; value: string | null; version: number };
/** What the server last said a cell holds. */
export type ServerCell = { value: string | null; version: number };
/** Edits by cell key (`studentId/column`), at most one per cell. */
export type Outbox = ReadonlyMap<string, Edit>;

/** Something the teacher must read about a cell: it was not saved as typed. */
export type Notice =
  | { kind: 'conflict'; studentId: string; column: string; theirs: string | null; yours: string | null; by: string | null }
  | { kind: 'rejected'; studentId: string; column: string; value: string | null; message: string };

export const cellKey = (studentId: string, column: string): string => `${studentId}/${column}`;
export const editKey = (e: { studentId: string; column: string }): string => cellKey(e.studentId, e.column);

/**
 * The teacher settled a cell on `value` (already written the way the grid writes it). A cell edited
 * again before it was confirmed keeps the version of its first edit: that is the one the teacher
 * saw. A cell brought back to what the server holds needs nothing sent.
 */
export function queueEdit(outbox: Outbox, studentId: string, column: string, value: string | null, base: ServerCell): Outbox {
  const key = cellKey(studentId, column);
  const next = new Map(outbox);
  if (value === base.value) next.delete(key);
  else next.set(key, { studentId, column, value, version: outbox.get(key)?.version ?? base.version });
  return next;
}

/** The teacher's value for a cell is no longer one to send (they typed something invalid over it). */
export function dropEdit(outbox: Outbox, studentId: string, column: string): Outbox {
  const key = cellKey(studentId, column);
  if (!outbox.has(key)) return outbox;
  const next = new Map(outbox);
  next.delete(key);
  return next;
}

/**
 * An outbox kept from an earlier visit, against the grid as the server holds it now: an edit whose
 * value the cell already holds is done (its save went through but the answer was lost, or someone
 * typed the same); every other edit is still to send, with the version it was made on, so one the
 * server has changed since comes back as a conflict rather than overwriting it.
 */
export function reconcile(outbox: Outbox, serverCell: (studentId: string, column: string) => ServerCell): Outbox {
  const next = new Map<string, Edit>();
  for (const [key, e] of outbox) {
    if (serverCell(e.studentId, e.column).value !== e.value) next.set(key, e);
  }
  return next;
}

/** What to send: every edit, oldest cell first, at most `max` (the contract's limit per request). */
export const batchOf = (outbox: Outbox, max = 2000): Edit[] => [...outbox.values()].slice(0, max);

export type Applied = {
  outbox: Outbox;
  /** The cells' new server state. */
  bases: { studentId: string; column: string; cell: ServerCell }[];
  notices: Notice[];
  saved: number;
};

/**
 * The server's answer to a batch (`sent`), applied to the outbox as it is now (the teacher may have
 * typed more while the batch was on its way):
 * - saved: the cell has a new version; the edit leaves the outbox, or, when the teacher changed the
 *   cell again meanwhile, stays with the new version (it was built on their own save);
 * - a conflict holding the value that was sent: our own save whose answer was lost (a retry after a
 *   timeout), counted as saved;
 * - any other conflict: the other writer's value stays, the edit leaves the outbox and a notice
 *   carries both values (the latest the teacher typed) so they can re-enter theirs;
 * - rejected: the edit leaves the outbox (unless typed again meanwhile) and a notice says why.
 * An edit the answer does not mention stays to be sent again.
 */
export function applyResult(outbox: Outbox, sent: readonly Edit[], result: TSaveGradebookResult): Applied {
  const next = new Map(outbox);
  const sentOf = new Map(sent.map((e) => [editKey(e), e]));
  const bases: Applied['bases'] = [];
  const notices: Notice[] = [];
  let saved = 0;

  const settle = (studentId: string, column: string, cell: ServerCell) => {
    const key = cellKey(studentId, column);
    const now = next.get(key);
    const was = sentOf.get(key);
    bases.push({ studentId, column, cell });
    saved++;
    if (!now) return;
    if (now.value === cell.value) next.delete(key);
    else if (was && now.value !== was.value) next.set(key, { ...now, version: cell.version });
  };

  for (const s of result.saved) settle(s.studentId, s.column, { value: s.value, version: s.version });

  for (const c of result.conflicts) {
    const key = cellKey(c.studentId, c.column);
    const was = sentOf.get(key);
    if (was && was.value === c.value) {
      settle(c.studentId, c.column, { value: c.value, version: c.version });
      continue;
    }
    bases.push({ studentId: c.studentId, column: c.column, cell: { value: c.value, version: c.version } });
    const yours = next.get(key)?.value ?? was?.value ?? null;
    next.delete(key);
    if (yours !== c.value) notices.push({ kind: 'conflict', studentId: c.studentId, column: c.column, theirs: c.value, yours, by: c.updatedBy });
  }

  for (const r of result.rejected) {
    const key = cellKey(r.studentId, r.column);
    const was = sentOf.get(key);
    const now = next.get(key);
    if (now && was && now.value === was.value) next.delete(key);
    notices.push({ kind: 'rejected', studentId: r.studentId, column: r.column, value: was?.value ?? null, message: r.message });
  }

  return { outbox: next, bases, notices, saved };
}

/** Notices with a newer one for the same cell replacing the older. */
export function mergeNotices(older: readonly Notice[], newer: readonly Notice[]): Notice[] {
  const fresh = new Set(newer.map(editKey));
  return [...older.filter((n) => !fresh.has(editKey(n))), ...newer];
}

const RETRY_SECONDS = [3, 5, 10, 20, 40, 60];

/** How long to wait before the n-th retry (0-based) after a failed send: quickly at first, then once a minute. */
export const retryDelayMs = (attempt: number): number => RETRY_SECONDS[Math.min(Math.max(0, attempt), RETRY_SECONDS.length - 1)] * 1000;
