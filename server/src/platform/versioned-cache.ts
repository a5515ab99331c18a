/**
 * A small in-memory cache whose entries are valid only for the data version they were computed
 * at. Reads check the version first (one primary-key lookup), so a change made by any process
 * is seen at the next request; old entries are evicted first-in-first-out.
 */
export class VersionedCache<T> {
  private readonly entries = new Map<string, { version: number; value: T }>();
  constructor(private readonly maxEntries = 1000) {}

  get(key: string, version: number): T | undefined {
    const hit = this.entries.get(key);
    return hit && hit.version === version ? hit.value : undefined;
  }

  set(key: string, version: number, value: T): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { version, value });
  }
}

/** One cache per database handle, so two databases in one process (tests) never share entries. */
export function cachePerDb<T>(maxEntries: number): (db: object) => VersionedCache<T> {
  const caches = new WeakMap<object, VersionedCache<T>>();
  return (db) => {
    let c = caches.get(db);
    if (!c) {
      c = new VersionedCache<T>(maxEntries);
      caches.set(db, c);
    }
    return c;
  };
}
