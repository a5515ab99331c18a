import http from 'node:http';
import pg from 'pg';
import { DEMO_PASSWORD, startDemoServer } from './demo-server.js';
import { type LoadResult, load } from './http-load.js';
import { percentile } from './machine.js';
import { withBenchDatabase } from './pg-cluster.js';
import type { BenchResult } from './types.js';

const ms = (x: number) => `${x.toFixed(1)} ms`;
const figures = (r: LoadResult) => `p50 ${ms(r.p50)} / p95 ${ms(r.p95)} / p99 ${ms(r.p99)}, ${r.rps.toFixed(0)} req/s`;

/**
 * The database floor: `clients` concurrent callers running one statement each through a `pg`
 * pool of the size the app uses, for `seconds`. What our API adds on top is the ratio.
 */
async function rawPg(url: string, seconds: number, clients: number, statement: (i: number) => [string, unknown[]]): Promise<LoadResult> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const times: number[] = [];
  let i = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const [text, values] = statement(i++);
        const t0 = performance.now();
        await pool.query(text, values);
        times.push(performance.now() - t0);
      }
    }),
  );
  await pool.end();
  times.sort((a, b) => a - b);
  return { requests: times.length, rps: times.length / seconds, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), non2xx: 0, errors: 0 };
}

function login(port: number, localAddress: string, username: string, password: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ username, password });
    const req = http.request(
      { host: '127.0.0.1', port, localAddress, method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `count` people signing in, one every `gapMs`, each from its own loopback address; login times. */
async function legitLogins(port: number, count: number, gapMs: number, round: number): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i * gapMs));
      const t0 = performance.now();
      const status = await login(port, `127.0.${20 + round}.${(i % 250) + 1}`, 'gvcn.demo', DEMO_PASSWORD);
      if (status !== 200) throw new Error(`legit login answered ${status}`);
      times.push(performance.now() - t0);
    }),
  );
  return times.sort((a, b) => a - b);
}

/**
 * On PostgreSQL, against the raw `pg` floor measured in the same run: creating student records
 * and reading profiles through the API (50 clients × 10 s) vs one INSERT / one SELECT by primary
 * key; and sign-in latency while one address sends 1,000 wrong passwords per second.
 */
export function benchRecords(pgUrl: string): Promise<BenchResult> {
  return withBenchDatabase(pgUrl, 'records', (dbUrl) => measureRecords(new URL(dbUrl)));
}

async function measureRecords(u: URL): Promise<BenchResult> {
  const { server, base, port, api, schoolId } = await startDemoServer(u.toString());
  try {
    const classes = await api.call<{ id: string }[]>('GET', `/api/v1/schools/${schoolId}/classes`);
    const page = await api.call<{ items: { id: string }[] }>('GET', `/api/v1/schools/${schoolId}/students?pageSize=200`);
    const headers = { cookie: api.cookie, 'x-csrf-token': api.csrf };

    // Raw floor: a table shaped like a small student row, single-row INSERTs, then PK SELECTs.
    const raw = new pg.Client({ connectionString: u.toString() });
    await raw.connect();
    await raw.query('create table bench_raw (id uuid primary key, school_id uuid not null, full_name text not null, dob date not null, data jsonb)');
    await raw.end();
    const ids: string[] = [];
    const rawInsert = await rawPg(u.toString(), 10, 50, (i) => {
      const id = crypto.randomUUID();
      if (ids.length < 5000) ids.push(id);
      return ['insert into bench_raw values ($1, $2, $3, $4, $5)', [id, schoolId, `Nguyễn Văn ${i}`, '2014-01-02', { address: 'Thôn 3' }]];
    });
    const rawSelect = await rawPg(u.toString(), 10, 50, (i) => ['select * from bench_raw where id = $1', [ids[i % ids.length]]]);

    const create = JSON.stringify({ fullName: 'Lò Văn Páo', dateOfBirth: '2014-01-02', sex: 'male', classId: classes[0].id, address: 'Thôn 3' });
    const created = await load(base, [`/api/v1/schools/${schoolId}/students`], { connections: 50, seconds: 10, headers, method: 'POST', body: create });
    const profiles = page.items.map((s) => `/api/v1/schools/${schoolId}/students/${s.id}`);
    await load(base, profiles, { connections: 10, seconds: 2, headers });
    const read = await load(base, profiles, { connections: 50, seconds: 10, headers });

    // Sign-in under attack: the attacker is autocannon at 1,000 requests/s from 127.0.0.1.
    await legitLogins(port, 5, 200, 0); // warm-up
    const quiet = await legitLogins(port, 25, 200, 1);
    const attack = load(base, ['/api/v1/auth/login'], {
      connections: 20,
      seconds: 6,
      method: 'POST',
      body: JSON.stringify({ username: 'hieutruong.demo', password: 'doan-mat-khau-1' }),
      rate: 1000,
    });
    await new Promise((r) => setTimeout(r, 500));
    const underAttack = await legitLogins(port, 25, 200, 2);
    const attacked = await attack;

    return {
      name: 'Records and sign-in on PostgreSQL (server, database and load generator share the 2 cores)',
      rows: [
        ['create a student record (POST, audited), 50 clients × 10 s', `${figures(created)} = ${(created.rps / rawInsert.rps).toFixed(3)}× raw INSERT throughput (${created.non2xx} non-2xx)`, 'report'],
        ['baseline: raw `pg` single-row INSERT, 50 callers, pool of 10', figures(rawInsert), '—'],
        ['read a student profile (GET), 50 clients × 10 s', `${figures(read)} = ${(read.rps / rawSelect.rps).toFixed(3)}× raw SELECT throughput (${read.non2xx} non-2xx)`, 'report'],
        ['baseline: raw `pg` SELECT by primary key, 50 callers, pool of 10', figures(rawSelect), '—'],
        [
          'sign-in p50 / p95, 25 people one every 200 ms, quiet',
          `${ms(percentile(quiet, 50))} / ${ms(percentile(quiet, 95))}`,
          '—',
        ],
        [
          'sign-in p50 / p95, same, while one address sends wrong passwords at 1,000/s',
          `${ms(percentile(underAttack, 50))} / ${ms(percentile(underAttack, 95))} = ${(percentile(underAttack, 95) / percentile(quiet, 95)).toFixed(2)}× quiet p95; attacker got ${attacked.requests} answers, ${attacked.non2xx} refused`,
          'p95 ≤ 300 ms',
        ],
      ],
    };
  } finally {
    await server.stop();
  }
}
