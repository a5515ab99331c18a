import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Compilable, type CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import type { Database } from './schema.js';

export type DbEngine = 'pglite' | 'postgres';

export type DbHandle = {
  engine: DbEngine;
  db: Kysely<Database>;
  pool: pg.Pool;
  /** Set only for the embedded engine: tests dump and clone it. */
  pglite?: import('@electric-sql/pglite').PGlite;
  /** Follows NOTIFYs on a channel; the returned function stops following. */
  listen: (channel: string, handlers: ListenHandlers) => Promise<() => Promise<void>>;
  close: () => Promise<void>;
};

export type ListenHandlers = {
  /**
   * A NOTIFY on the channel from any connection, after its commit; or, before the statement that
   * raised it returns, a NOTICE '<channel>:<payload>' on one of this handle's own connections.
   */
  message: (payload: string) => void;
  /** Whether notices are being received: while false, some may have been missed. */
  state: (listening: boolean) => void;
};

const CHANNEL = /^[a-z_]+$/;

/**
 * LISTEN on a dedicated connection of its own (a pooled one would be handed to queries). When the
 * connection drops (a database restart), the handlers hear `state(false)` and it reconnects every
 * second until it is back.
 */
function listenOnPostgres(connectionString: string, inBand: InBandNotices): DbHandle['listen'] {
  return async (channel, handlers) => {
    if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
    const stopHearingInBand = inBand.hear(channel, handlers.message);
    let stopped = false;
    let client: pg.Client | null = null;
    let retry: NodeJS.Timeout | undefined;
    const reconnectLater = () => {
      handlers.state(false);
      if (!stopped && !retry) retry = setTimeout(() => void connect(), 1000).unref();
    };
    const connect = async () => {
      retry = undefined;
      const c = new pg.Client({ connectionString });
      client = c;
      c.on('notification', (n) => {
        if (n.channel === channel) handlers.message(n.payload ?? '');
      });
      c.on('error', () => undefined); // 'end' follows and reconnects
      c.on('end', () => {
        if (client === c) reconnectLater();
      });
      try {
        await c.connect();
        await c.query(`listen ${channel}`);
        if (stopped) await c.end();
        else handlers.state(true);
      } catch {
        client = null;
        await c.end().catch(() => undefined);
        reconnectLater();
      }
    };
    await connect();
    return async () => {
      stopped = true;
      stopHearingInBand();
      clearTimeout(retry);
      const c = client;
      client = null;
      handlers.state(false);
      await c?.end().catch(() => undefined);
    };
  };
}

type InBandNotices = { hear: (channel: string, message: (payload: string) => void) => () => void };

/** What pg's connection tells when a statement is done: `status` 'I' once no transaction is open. */
type ConnectionEvents = { connection?: { on: (event: 'readyForQuery', listener: (msg: { status?: string }) => void) => void } };

/**
 * NOTICEs '<channel>:<payload>' raised on the pool's own connections (migration 0013): handed at
 * once to whoever in this process hears the channel, and, once the connection's transaction has
 * ended (committed or not), passed on to the other processes as NOTIFYs. Those are sent together
 * a moment later, in a statement that commits without waiting for the disk: a NOTIFY inside the
 * writing transaction would make every writer's commit wait for the one before it to reach the
 * disk. A notice passed on after a rollback only makes the others read a version again.
 * Attached to every connection as it opens, so connections made before anyone listens count too.
 */
function inBandNotices(pool: pg.Pool): InBandNotices {
  const hearers = new Set<{ channel: string; message: (payload: string) => void }>();
  const toPassOn = new Map<string, Set<string>>(); // channel → payloads
  let passing: NodeJS.Immediate | undefined;
  const passOn = () => {
    passing = undefined;
    for (const [channel, payloads] of toPassOn) {
      toPassOn.delete(channel);
      pool
        .query(
          `select pg_notify($1, payload) from unnest($2::text[]) as payload, (select set_config('synchronous_commit', 'off', true)) as no_flush_wait`,
          [channel, [...payloads]],
        )
        .catch((err: Error) => {
          if (process.env.LOG === '1') console.error(`Không chuyển được thông báo thay đổi (${err.message})`);
        });
    }
  };
  pool.on('connect', (client) => {
    const heard: [string, string][] = [];
    client.on('notice', (notice) => {
      const text = notice.message ?? '';
      const colon = text.indexOf(':');
      if (colon < 1 || !CHANNEL.test(text.slice(0, colon))) return;
      const channel = text.slice(0, colon);
      const payload = text.slice(colon + 1);
      heard.push([channel, payload]);
      for (const h of hearers) if (h.channel === channel) h.message(payload);
    });
    (client as unknown as ConnectionEvents).connection?.on('readyForQuery', (msg) => {
      if (msg.status !== 'I' || heard.length === 0) return;
      for (const [channel, payload] of heard.splice(0)) {
        let payloads = toPassOn.get(channel);
        if (!payloads) toPassOn.set(channel, (payloads = new Set()));
        payloads.add(payload);
      }
      passing ??= setImmediate(passOn);
    });
  });
  return {
    hear: (channel, message) => {
      const hearer = { channel, message };
      hearers.add(hearer);
      return () => hearers.delete(hearer);
    },
  };
}

// Dates stay ISO strings ('yyyy-mm-dd'): a JS Date would shift them by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// bigint counts fit comfortably in a JS number for our sizes.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);

/** The comment that marks a statement to prepare once per connection (see prepareMarkedStatements). */
export const preparedAs = (name: string) => `/* prepared: ${name} */\n`;
const PREPARED = /^\/\* prepared: ([a-z_]+) \*\//;
/** Statement names by text: the name carries a hash of the text, so two texts never share one. */
const statementNames = new Map<string, string>();

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined) {
    const mark = PREPARED.exec(text)?.[1];
    if (!mark) return undefined;
    name = `${mark}_${createHash('sha1').update(text).digest('hex').slice(0, 12)}`;
    // Marked statements are few and fixed; the bound only guards against a marked dynamic one.
    if (statementNames.size < 200) statementNames.set(text, name);
  }
  return name;
}

/**
 * A statement whose text starts with `preparedAs(name)` is prepared once per connection and run
 * by name afterwards: PostgreSQL parses and plans it once per connection, not on every request.
 * Only fixed-text statements on the hottest paths carry the mark (the session lookup runs on every
 * request; the profile read on every open of a record), so a connection holds a handful of them.
 */
function prepareMarkedStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, ...rest: unknown[]) => {
      const name = typeof config === 'string' && config.startsWith('/*') ? statementName(config) : undefined;
      if (!name) return query(config, ...rest);
      const [values, callback] = rest;
      return callback === undefined ? query({ name, text: config, values }) : query({ name, text: config, values }, callback);
    };
  });
}

/**
 * A fixed-shape query that kysely builds and compiles once per process; each call only binds its
 * arguments and runs the statement prepared (see prepareMarkedStatements). Building and compiling a
 * large query (joins, JSON aggregates) costs the server more CPU than PostgreSQL spends running it.
 * `build` runs once, with placeholder arguments: every compiled parameter equal to a placeholder
 * takes the call's argument, so arguments must be used as plain values, not spliced into text.
 */
export function compiledOnce<R>(name: string, arity: number, build: (db: Kysely<Database>, ...args: string[]) => Compilable<R>) {
  const placeholders = Array.from({ length: arity }, (_, i) => `\u0000${name} argument ${i}\u0000`);
  let compiled: CompiledQuery<R> | undefined;
  return async (db: Kysely<Database>, ...args: string[]): Promise<R[]> => {
    if (args.length !== arity) throw new Error(`${name}: ${arity} arguments expected, ${args.length} given`);
    if (!compiled) {
      const built = build(db, ...placeholders).compile();
      const unused = placeholders.findIndex((p) => !built.parameters.includes(p));
      if (unused >= 0) throw new Error(`${name}: argument ${unused} is not a parameter of the query`);
      compiled = built;
    }
    const parameters = compiled.parameters.map((p) => {
      const i = typeof p === 'string' ? placeholders.indexOf(p) : -1;
      return i >= 0 ? args[i] : p;
    });
    return (await db.executeQuery<R>({ ...compiled, sql: preparedAs(name) + compiled.sql, parameters })).rows;
  };
}

export type OpenDbOptions = {
  databaseUrl?: string;
  dataDir?: string;
  /** Open PGlite from a tarball made by dumpDataDir (tests clone a migrated template this way). */
  loadDataDir?: Blob;
  poolSize?: number;
  /** More PGlite extensions than the app's own (the crash test loads amcheck). */
  extensions?: import('@electric-sql/pglite').Extensions;
};

export async function openDb(options: OpenDbOptions = {}): Promise<DbHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 20 });
    // An idle connection can be cut by the server (restart, failover, a dropped test database).
    // pg reports that as a pool 'error' event, which would crash the process if nobody listened;
    // the pool replaces the connection on the next query.
    prepareMarkedStatements(pool);
    const inBand = inBandNotices(pool);
    pool.on('error', (err) => {
      if (process.env.LOG === '1') console.error(`PostgreSQL: kết nối nhàn rỗi bị đóng (${err.message})`);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      engine: 'postgres',
      db,
      pool,
      listen: listenOnPostgres(options.databaseUrl, inBand),
      close: async () => {
        await db.destroy();
      },
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  let dataDir = options.dataDir ?? 'memory://';
  let unlock = () => {};
  if (!dataDir.startsWith('memory://')) {
    dataDir = path.resolve(dataDir);
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  let pglite: import('@electric-sql/pglite').PGlite;
  try {
    pglite = new PGlite(dataDir, {
      extensions: { unaccent, pg_trgm, ...options.extensions },
      loadDataDir: options.loadDataDir,
    });
    await pglite.waitReady;
  } catch (err) {
    unlock();
    throw err;
  }
  // PGlite is a single connection: the pool must never hand out a second one.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
  prepareMarkedStatements(pool);
  const inBand = inBandNotices(pool);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'pglite',
    db,
    pool,
    pglite,
    // One process, one connection: PGlite hands a NOTIFY to its listeners before the statement
    // that committed it returns, and in-band notices arrive as on PostgreSQL, so nothing can be
    // missed while the database is open. LISTEN goes
    // through the pool, whose one connection may be inside a transaction: run beside it, the
    // LISTEN would join that transaction and vanish if it rolled back.
    listen: async (channel, handlers) => {
      if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
      const stopHearingInBand = inBand.hear(channel, handlers.message);
      const stopHearing = pglite.onNotification((ch, payload) => {
        if (ch === channel) handlers.message(payload);
      });
      await pool.query(`listen ${channel}`);
      handlers.state(true);
      return async () => {
        handlers.state(false);
        stopHearing();
        stopHearingInBand();
        await pool.query(`unlisten ${channel}`);
      };
    },
    close: async () => {
      await db.destroy();
      await pglite.close();
      unlock();
    },
  };
}
