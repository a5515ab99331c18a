import { execFileSync, spawnSync } from 'node:child_process';
import pg from 'pg';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type PgCluster = { url: string; version: string; stop: () => void };

/**
 * A PostgreSQL for benchmarks: DATABASE_URL when set, otherwise a throwaway cluster of the
 * Debian server started as the postgres user (PostgreSQL refuses to run as root).
 */
export function startPgCluster(port = 55499): PgCluster {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, version: 'external', stop: () => undefined };
  }
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) throw new Error('PostgreSQL is not installed: apt-get install -y postgresql, or set DATABASE_URL');
  const version = readdirSync(base).sort().at(-1);
  if (!version) throw new Error(`${base} holds no PostgreSQL version: apt-get install -y postgresql, or set DATABASE_URL`);
  const bin = path.join(base, version, 'bin');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ts-bench-pg-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  chownSync(dir, uid, gid);
  const asPostgres = (cmd: string) => {
    const r = spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', cmd], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd}\n${r.stdout}\n${r.stderr}`);
  };
  asPostgres(`${bin}/initdb -D ${dir}/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null`);
  asPostgres(
    `${bin}/pg_ctl -D ${dir}/data -o '-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB' -l ${dir}/log -w start >/dev/null`,
  );
  const full = execFileSync(path.join(bin, 'postgres'), ['--version']).toString().trim();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    version: full,
    stop: () => {
      spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', `${bin}/pg_ctl -D ${dir}/data -m fast stop`]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `use` on a new, empty database of the cluster (its URL), dropped afterwards. */
export async function withBenchDatabase<T>(clusterUrl: string, name: string, use: (url: string) => Promise<T>): Promise<T> {
  const dbName = `ts_bench_${name}_${process.pid}`;
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName}`);
  await admin.query(`create database ${dbName}`);
  const u = new URL(clusterUrl);
  u.pathname = `/${dbName}`;
  try {
    return await use(u.toString());
  } finally {
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}
