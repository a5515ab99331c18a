/**
 * Where a grid's unsent cells wait when the connection is weak: IndexedDB, one record per
 * teacher × grid, so a reload, a crashed browser tab or a phone that killed the page does not lose
 * what was typed. The raw IndexedDB API in a few promises (no library). Where IndexedDB cannot be
 * opened (some private windows), localStorage keeps the same records.
 */
import type { Edit, Notice } from './outbox';

/** The grid a record belongs to, and how the gradebook's front page names it. */
export type GridRef = { userId: string; schoolId: string; classId: string; subjectCode: string; term: number; label: string };
export type OutboxRecord = GridRef & { key: string; edits: Edit[]; notices: Notice[]; updatedAt: number };

export const recordKey = (g: Omit<GridRef, 'label'>): string => [g.userId, g.schoolId, g.classId, g.subjectCode, g.term].join('|');

const DB_NAME = 'truongso-gradebook';
const STORE = 'outbox';
const LS_PREFIX = 'truongso.gradebook.outbox.';

export interface OutboxStore {
  get(key: string): Promise<OutboxRecord | null>;
  put(record: OutboxRecord): Promise<void>;
  remove(key: string): Promise<void>;
  /** Every record of one teacher in one school (the front page's "not sent yet" list). */
  list(userId: string, schoolId: string): Promise<OutboxRecord[]>;
}

const done = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'key' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB cannot be opened'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked'));
  });
}

class IdbStore implements OutboxStore {
  constructor(private readonly db: IDBDatabase) {}
  private tx(mode: IDBTransactionMode) {
    return this.db.transaction(STORE, mode).objectStore(STORE);
  }
  async get(key: string) {
    return ((await done(this.tx('readonly').get(key))) as OutboxRecord | undefined) ?? null;
  }
  async put(record: OutboxRecord) {
    await done(this.tx('readwrite').put(record));
  }
  async remove(key: string) {
    await done(this.tx('readwrite').delete(key));
  }
  async list(userId: string, schoolId: string) {
    const all = (await done(this.tx('readonly').getAll())) as OutboxRecord[];
    return all.filter((r) => r.userId === userId && r.schoolId === schoolId);
  }
}

class LocalStorageStore implements OutboxStore {
  async get(key: string) {
    try {
      return JSON.parse(localStorage.getItem(LS_PREFIX + key) ?? 'null') as OutboxRecord | null;
    } catch {
      return null;
    }
  }
  async put(record: OutboxRecord) {
    localStorage.setItem(LS_PREFIX + record.key, JSON.stringify(record));
  }
  async remove(key: string) {
    localStorage.removeItem(LS_PREFIX + key);
  }
  async list(userId: string, schoolId: string) {
    const out: OutboxRecord[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (!k?.startsWith(LS_PREFIX)) continue;
      const r = await this.get(k.slice(LS_PREFIX.length));
      if (r && r.userId === userId && r.schoolId === schoolId) out.push(r);
    }
    return out;
  }
}

let opened: Promise<OutboxStore> | null = null;

/** The browser's store, opened once per page. */
export function outboxStore(): Promise<OutboxStore> {
  opened ??= (typeof indexedDB === 'undefined' ? Promise.reject(new Error('no IndexedDB')) : openDb()).then(
    (db) => new IdbStore(db) as OutboxStore,
    () => new LocalStorageStore(),
  );
  return opened;
}
