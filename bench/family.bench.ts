import http from 'node:http';
import zlib from 'node:zlib';
import os from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import pg from 'pg';
import { launchBrowser } from '../e2e/browser.js';
import { DEMO_PASSWORD, startDemoServer } from './demo-server.js';
import { percentile } from './machine.js';
import { PAGE_BUDGET_BYTES, describeWeight, kb, pageWeights } from './page-weight.js';
import { withBenchDatabase } from './pg-cluster.js';
import type { BenchResult } from './types.js';
import { ARGON2_OPTIONS } from '../server/src/platform/passwords.js';

/**
 * The family figures of issue 11, on PostgreSQL, against the server `npm start` runs:
 *
 * - "Con của tôi" API at 200 concurrent parents, each a real parent session doing what the page
 *   does (web/src/features/parent/: /auth/session, then the child's profile and results at once,
 *   and a preschool child's development card), against /api/health at the same concurrency;
 * - report-card evening: parents arriving at a fixed rate, each signing in and opening their
 *   child's results, at the rate of 20,000 in 10 minutes (≈33/s) and at 5× it (≈167/s), from 20
 *   carrier addresses (127.0.0.1–127.0.0.20 as source addresses), while a 21st address sprays
 *   wrong passwords over the parents' names; the ceiling is this machine's argon2 verify rate;
 * - the parent area's JS + CSS as sent, in Chromium with an empty cache.
 *
 * FAMILY_FULL=1 runs the evening uncompressed (20,000 parents in 10 minutes, then 20,000 at 5×).
 */
export function benchFamily(pgUrl: string): Promise<BenchResult> {
  return withBenchDatabase(pgUrl, 'family', (dbUrl) => measureFamily(dbUrl));
}

const ADDRESSES = 20;
const SOCKETS_PER_ADDRESS = 900;
/** The web app's tries after a 503 (web/src/api/client.ts; login-page.tsx for the sign-in). */
const READ_BUSY_TRIES = 4;
const SIGN_IN_BUSY_TRIES = 20;
const GUESSER = '127.0.0.66';
const CONCURRENT_PARENTS = 200;
const API_SECONDS = 20;
/** A parent's mean pause between two openings of the page (reading it), as the gradebook bench pauses its teachers. */
const THINK_MS = 2000;
/** How long an evening phase waits for its visits after the last parent arrived. */
const DRAIN_S = 180;
const EVENING_RATE = 20_000 / 600;
const FULL = process.env.FAMILY_FULL === '1';
/** [parents, seconds] of the two evening phases: compressed unless FAMILY_FULL=1. */
const PHASES: { label: string; parents: number; rate: number }[] = FULL
  ? [
      { label: '1× (20,000 in 10 min)', parents: 20_000, rate: EVENING_RATE },
      { label: '5× (20,000 in 2 min)', parents: 20_000, rate: 5 * EVENING_RATE },
    ]
  : [
      { label: '1× for 2 min (4,000 parents)', parents: 4_000, rate: EVENING_RATE },
      { label: '5× for 1 min (10,000 parents)', parents: 10_000, rate: 5 * EVENING_RATE },
    ];

const ms = (x: number) => `${x.toFixed(1)} ms`;
const argon2Setting = `${ARGON2_OPTIONS.memoryCost / 1024} MiB, t=${ARGON2_OPTIONS.timeCost}`;
const sourceOf = (i: number) => `127.0.0.${1 + (i % ADDRESSES)}`;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

type Reply = { status: number; body: string; cookie: string | null; ms: number; retryAfter?: number };

/** One HTTP request over the given agent (its source address is the agent's). */
function request(agent: http.Agent, port: number, method: string, path: string, opts: { cookie?: string; csrf?: string; body?: unknown; decode?: boolean } = {}): Promise<Reply> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br' };
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
    if (body) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    // Bodies are read only when asked (`decode`: the profile, whose grade decides the next request)
    // and from the sign-in (small, sent plain); the rest are counted by status.
    if (path === '/api/v1/auth/login') delete headers['accept-encoding'];
    const req = http.request({ host: '127.0.0.1', port, agent, method, path, headers, timeout: 120_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const setCookie = res.headers['set-cookie']?.find((c) => c.startsWith('ts_sid='));
        const retryAfter = Number(res.headers['retry-after']) || undefined;
        let raw = Buffer.concat(chunks);
        const coding = res.headers['content-encoding'];
        if (opts.decode && coding === 'br') raw = zlib.brotliDecompressSync(raw);
        else if (opts.decode && coding === 'gzip') raw = zlib.gunzipSync(raw);
        resolve({ status: res.statusCode ?? 0, body: raw.toString('utf8'), cookie: setCookie ? setCookie.split(';')[0] : null, ms: performance.now() - t0, retryAfter });
      });
      res.on('error', () => resolve({ status: 0, body: 'response error', cookie: null, ms: performance.now() - t0 }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, body: String(e), cookie: null, ms: performance.now() - t0 }));
    req.end(body);
  });
}

type Parent = { username: string; index: number };
type Session = { cookie: string; csrf: string; schoolId: string; studentId: string };

async function signIn(agent: http.Agent, port: number, p: Parent): Promise<{ reply: Reply; session: Session | null }> {
  const reply = await request(agent, port, 'POST', '/api/v1/auth/login', { body: { username: p.username, password: DEMO_PASSWORD } });
  if (reply.status !== 200 || !reply.cookie) return { reply, session: null };
  const me = JSON.parse(reply.body) as { csrfToken: string; children: { schoolId: string; studentId: string }[] };
  const child = me.children[0];
  if (!child) throw new Error(`${p.username} has no child: the bench's guardian accounts are wrong`);
  return { reply, session: { cookie: reply.cookie, csrf: me.csrfToken, schoolId: child.schoolId, studentId: child.studentId } };
}

/**
 * One account per current student of the demo province, the guardian of that student (the first
 * guardian row the import made), in four set-based statements; every account gets the demo's
 * password hash (computed once by the server's seed, read from phuhuynh.demo).
 */
async function makeParents(db: pg.Client): Promise<Parent[]> {
  const t0 = performance.now();
  await db.query('begin');
  await db.query(`
    create temp table bench_parent on commit drop as
    select row_number() over (order by g.school_id, g.student_id) as n, gen_random_uuid() as user_id, g.school_id, g.id as guardian_id
    from (
      select distinct on (g.school_id, g.student_id) g.school_id, g.student_id, g.id
      from guardian g
      join student s on s.school_id = g.school_id and s.id = g.student_id and s.is_current
      where g.user_id is null
      order by g.school_id, g.student_id, g.id
    ) g`);
  await db.query(`
    insert into app_user (id, username, password_hash, display_name)
    select b.user_id, 'bench.ph' || b.n, (select password_hash from app_user where username = 'phuhuynh.demo'), 'Phụ huynh ' || b.n
    from bench_parent b`);
  await db.query(`insert into role_grant (id, user_id, role, org_unit_id) select gen_random_uuid(), b.user_id, 'parent', b.school_id from bench_parent b`);
  await db.query(`update guardian g set user_id = b.user_id from bench_parent b where g.school_id = b.school_id and g.id = b.guardian_id`);
  const n = Number((await db.query<{ n: string }>('select count(*) as n from bench_parent')).rows[0].n);
  await db.query('commit');
  await db.query('analyze app_user; analyze role_grant; analyze guardian');
  console.log(`bench: ${n} guardian accounts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return Array.from({ length: n }, (_, i) => ({ username: `bench.ph${i + 1}`, index: i }));
}

/**
 * Sessions for parents who signed in earlier that day (a session lives 8 hours idle): made in
 * SQL, one statement, as sign-in would store them (the SHA-256 of the cookie's value).
 */
async function sessionsFor(db: pg.Client, parents: Parent[]): Promise<Map<string, Session>> {
  const res = await db.query<{ username: string; token: string; csrf: string; school_id: string; student_id: string }>(
    `with p as (
       select u.id as user_id, u.username, md5(random()::text || u.id::text) || md5(random()::text) as token, md5(random()::text) as csrf, g.school_id, g.student_id
       from app_user u join guardian g on g.user_id = u.id where u.username = any($1::text[])
     ), s as (
       insert into user_session (token_hash, user_id, csrf_token, expires_at)
       select encode(sha256(convert_to(p.token, 'UTF8')), 'hex'), p.user_id, p.csrf, now() + interval '8 hours' from p
     )
     select username, token, csrf, school_id, student_id from p`,
    [parents.map((p) => p.username)],
  );
  return new Map(res.rows.map((r) => [r.username, { cookie: `ts_sid=${r.token}`, csrf: r.csrf, schoolId: r.school_id, studentId: r.student_id }]));
}

/** The machine's ceiling for sign-ins: argon2id verifications per second with the server's parameters, all cores busy. */
async function argon2Rate(seconds = 5): Promise<number> {
  const stored = await hash(DEMO_PASSWORD, ARGON2_OPTIONS);
  const t0 = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (performance.now() - t0 < seconds * 1000) {
        await verify(stored, DEMO_PASSWORD);
        done++;
      }
    }),
  );
  return done / ((performance.now() - t0) / 1000);
}

/** `clients` closed loops for `seconds`, each calling `visit` again as soon as it returns. */
async function closedLoop(clients: number, seconds: number, visit: (client: number) => Promise<void>): Promise<void> {
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (performance.now() < end) await visit(c);
    }),
  );
}

type ApiFigures = { perRequest: number[]; perPage: number[]; failures: number; pages: number; byKind: Map<string, number[]> };

/**
 * 200 signed-in parents opening "Con của tôi" and their child's profile over and over, as the page
 * does, each pausing `thinkMs` on average (uniformly 0 – 2 × thinkMs) between two openings.
 */
async function familyApi(port: number, sessions: Session[], agents: http.Agent[], seconds: number, thinkMs: number): Promise<ApiFigures> {
  const f: ApiFigures = { perRequest: [], perPage: [], failures: 0, pages: 0, byKind: new Map() };
  await closedLoop(sessions.length, seconds, async (c) => {
    if (thinkMs > 0) await new Promise((r) => setTimeout(r, Math.random() * 2 * thinkMs));
    const s = sessions[c];
    const agent = agents[c % agents.length];
    const base = `/api/v1/schools/${s.schoolId}/students/${s.studentId}`;
    const t0 = performance.now();
    const first = await request(agent, port, 'GET', '/api/v1/auth/session', { cookie: s.cookie });
    const [profile, results] = await Promise.all([request(agent, port, 'GET', base, { cookie: s.cookie, decode: true }), request(agent, port, 'GET', `${base}/results`, { cookie: s.cookie })]);
    const replies: [string, Reply][] = [['session', first], ['profile', profile], ['results', results]];
    // The development card is asked for only when the profile says preschool (grade 0), as the page does (portal.tsx usePreschool).
    if (profile.status === 200 && (JSON.parse(profile.body) as { grade?: number | null }).grade === 0) replies.push(['development', await request(agent, port, 'GET', `${base}/development`, { cookie: s.cookie })]);
    f.perPage.push(performance.now() - t0);
    f.pages++;
    for (const [kind, r] of replies) {
      f.perRequest.push(r.ms);
      const times = f.byKind.get(kind) ?? [];
      if (times.length === 0) f.byKind.set(kind, times);
      times.push(r.ms);
      if (r.status !== 200) f.failures++;
    }
  });
  return f;
}

/** The baseline: the same clients, pauses and shape of page (one request, then two at once), each request GET /api/health. */
async function healthLoop(port: number, agents: http.Agent[], clients: number, seconds: number, thinkMs: number): Promise<number[]> {
  const times: number[] = [];
  await closedLoop(clients, seconds, async (c) => {
    if (thinkMs > 0) await new Promise((r) => setTimeout(r, Math.random() * 2 * thinkMs));
    const agent = agents[c % agents.length];
    times.push((await request(agent, port, 'GET', '/api/health')).ms);
    for (const r of await Promise.all([0, 1].map(() => request(agent, port, 'GET', '/api/health')))) times.push(r.ms);
  });
  return times;
}

/** p95 of each request of the page on its own, to show which one the tail is made of. */
function describeKinds(f: ApiFigures): string {
  return [...f.byKind].map(([kind, xs]) => `${kind} p50 ${ms(percentile(sorted(xs), 50))} / p95 ${ms(percentile(sorted(xs), 95))} (${xs.length})`).join('; ');
}

type Evening = {
  label: string;
  offered: number;
  seconds: number;
  visits: number[];
  logins: number[];
  results: number[];
  statuses: Map<string, number>;
  refusedByAddressLimit: number;
  errors: number;
  samples: Set<string>;
  unfinished: number;
  /** 503 "busy, come back in N s" answers (platform/admission.ts), each followed by a retry as the app makes it. */
  busy: number;
};

/**
 * What the web app does with a 503 "busy" (web/src/api/client.ts, shouldRetry and retryDelayMs):
 * `tries` more tries — 4 for a read, 20 for the login page (SIGN_IN_BUSY_TRIES) — each after the
 * Retry-After spread over 1–2 times it. Any other answer, or the last 503, is the visit's answer.
 */
async function likeTheApp(e: Evening, tries: number, send: () => Promise<Reply>): Promise<Reply> {
  for (let failures = 0; ; failures++) {
    const r = await send();
    if (r.status !== 503 || failures >= tries) return r;
    e.busy++;
    await new Promise((resolve) => setTimeout(resolve, (r.retryAfter ?? 5) * 1000 * (1 + Math.random())));
  }
}

/** Parents arriving at `rate` a second, open loop: each signs in (from their carrier's address) and opens their child's results. */
async function evening(port: number, parents: Parent[], rate: number, agents: http.Agent[], label: string, signedIn?: Map<string, Session>): Promise<Evening> {
  const e: Evening = { label, offered: rate, seconds: 0, visits: [], logins: [], results: [], statuses: new Map(), refusedByAddressLimit: 0, errors: 0, samples: new Set(), unfinished: 0, busy: 0 };
  const note = (what: string, r: Reply) => {
    e.statuses.set(`${what} ${r.status}`, (e.statuses.get(`${what} ${r.status}`) ?? 0) + 1);
    if (e.samples.size < 3) e.samples.add(`${what} ${r.status}: ${r.body.slice(0, 120)}`);
  };
  const t0 = performance.now();
  const visits: Promise<void>[] = [];
  const visit = async (p: Parent) => {
    const agent = agents[p.index % agents.length];
    const v0 = performance.now();
    let session = signedIn?.get(p.username) ?? null;
    if (!session) {
      let signed: Awaited<ReturnType<typeof signIn>> | undefined;
      await likeTheApp(e, SIGN_IN_BUSY_TRIES, async () => (signed = await signIn(agent, port, p)).reply);
      if (!signed) throw new Error('unreachable: likeTheApp sends at least once');
      e.logins.push(signed.reply.ms);
      session = signed.session;
      if (!session) {
        note('sign-in', signed.reply);
        e.errors++;
        if (signed.reply.status === 429 && signed.reply.body.includes('đăng nhập sai')) e.refusedByAddressLimit++;
        return;
      }
    }
    const s = session;
    const r = await likeTheApp(e, READ_BUSY_TRIES, () => request(agent, port, 'GET', `/api/v1/schools/${s.schoolId}/students/${s.studentId}/results`, { cookie: s.cookie }));
    e.results.push(r.ms);
    if (r.status !== 200) {
      note('results', r);
      e.errors++;
      return;
    }
    e.visits.push(performance.now() - v0);
  };
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(parents.length, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
      while (next < due) visits.push(visit(parents[next++]));
      if (next < parents.length) setTimeout(tick, 5);
      else resolve();
    };
    tick();
  });
  // An overloaded server can hold thousands of visits for minutes: the phase waits DRAIN_S after
  // its last arrival, then counts what is still under way as unfinished and moves on.
  let settled = 0;
  for (const v of visits) void v.then(() => settled++);
  const drainEnd = performance.now() + DRAIN_S * 1000;
  while (settled < visits.length && performance.now() < drainEnd) await new Promise((r) => setTimeout(r, 200));
  e.unfinished = visits.length - settled;
  e.seconds = (performance.now() - t0) / 1000;
  return e;
}

type Guesses = { sent: number; statuses: Map<number, number>; firstRefusalS: number | null; addressMessage: boolean };

/** A 21st address spraying wrong passwords over the parents' names, `perSecond`, until told to stop. */
function guesser(port: number, parents: Parent[], perSecond: number): { stop: () => Promise<Guesses> } {
  const agent = new http.Agent({ keepAlive: true, localAddress: GUESSER, maxSockets: 8 });
  const g: Guesses = { sent: 0, statuses: new Map(), firstRefusalS: null, addressMessage: false };
  const t0 = performance.now();
  const pending: Promise<void>[] = [];
  const timer = setInterval(() => {
    const p = parents[(g.sent * 7919) % parents.length];
    g.sent++;
    pending.push(
      request(agent, port, 'POST', '/api/v1/auth/login', { body: { username: p.username, password: `doan-${g.sent}` } }).then((r) => {
        g.statuses.set(r.status, (g.statuses.get(r.status) ?? 0) + 1);
        if ((r.status === 429 || r.status === 0) && g.firstRefusalS === null) g.firstRefusalS = (performance.now() - t0) / 1000;
        if (r.status === 429 && r.body.includes('đăng nhập sai')) g.addressMessage = true;
      }),
    );
  }, 1000 / perSecond);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(pending);
      agent.destroy();
      return g;
    },
  };
}

function describeEvening(e: Evening): [string, string, string][] {
  const v = sorted(e.visits);
  const l = sorted(e.logins);
  const r = sorted(e.results);
  const others = [...e.statuses].map(([k, n]) => `${k}: ${n}`).join(', ') || 'none';
  return [
    [
      `report-card evening ${e.label}: parents arriving at ${e.offered.toFixed(1)}/s, each ${e.logins.length ? "signs in and opens the child's results" : "opens the child's results (already signed in)"}`,
      `${v.length} of ${v.length + e.errors + e.unfinished} done in ${e.seconds.toFixed(0)} s = ${(v.length / e.seconds).toFixed(1)} parents/s; whole visit p50 ${ms(percentile(v, 50))} / p95 ${ms(percentile(v, 95))} / p99 ${ms(percentile(v, 99))}`,
      'throughput = offered, errors 0',
    ],
    [`… sign-in / results request alone, ${e.label}`, `sign-in p95 ${l.length ? ms(percentile(l, 95)) : '—'} / p99 ${l.length ? ms(percentile(l, 99)) : '—'}; results p95 ${ms(percentile(r, 95))} / p99 ${ms(percentile(r, 99))}`, 'report'],
    [
      `… errors, ${e.label}`,
      `${e.errors + e.unfinished} (${others}${e.unfinished ? `, unfinished ${DRAIN_S} s after the last arrival: ${e.unfinished}` : ''}); told "busy, come back in 5 s" and retried as the app does: ${e.busy}; refused by the per-address sign-in limit: ${e.refusedByAddressLimit}${e.samples.size ? `; e.g. ${[...e.samples].map((x) => `«${x}»`).join(' ')}` : ''}`,
      '0; none refused',
    ],
  ];
}

async function measureFamily(dbUrl: string): Promise<BenchResult> {
  const { server, port, base } = await startDemoServer(dbUrl);
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  // A carrier's NAT maps thousands of ports to its address, one per phone's connection: the
  // parents behind an address never wait for each other's sockets here (with 64 a parent's
  // results request queued behind the sign-ins of others in the load generator, not the server).
  const agents = Array.from({ length: ADDRESSES }, (_, i) => new http.Agent({ keepAlive: true, localAddress: sourceOf(i), maxSockets: SOCKETS_PER_ADDRESS }));
  const loadBefore = os.loadavg()[0];
  try {
    const parents = await makeParents(db);
    // The page weight first, while the server is quiet (the 5× evening leaves it busy for a while).
    const browser = await launchBrowser();
    let weight;
    try {
      weight = (await pageWeights(browser, base, { username: 'phuhuynh.demo', password: DEMO_PASSWORD })).parentArea;
    } finally {
      await browser.close();
    }

    console.log(`bench: parent area ${describeWeight(weight)}`);
    const ceiling = await argon2Rate();
    console.log(`bench: argon2 ${ceiling.toFixed(1)}/s`);

    // "Con của tôi" at 200 concurrent parents, each signed in from their carrier's address.
    const sessions: Session[] = [];
    for (let i = 0; i < CONCURRENT_PARENTS; i += 10) {
      for (const { session, reply } of await Promise.all(parents.slice(i, i + 10).map((p) => signIn(agents[p.index % ADDRESSES], port, p)))) {
        if (!session) throw new Error(`a parent could not sign in: ${reply.status} ${reply.body}`);
        sessions.push(session);
      }
    }
    await familyApi(port, sessions, agents, 3, 0); // warm-up
    const api = await familyApi(port, sessions, agents, API_SECONDS, THINK_MS);
    const flat = await familyApi(port, sessions, agents, API_SECONDS, 0);
    const flatRequests = sorted(flat.perRequest);
    console.log(`bench: family API p95 ${ms(percentile(sorted(api.perRequest), 95))} paced, ${ms(percentile(flatRequests, 95))} back to back; ${describeKinds(api)}`);
    if (process.env.FAMILY_API_ONLY) throw new Error('FAMILY_API_ONLY: stopped after the API figures');
    await healthLoop(port, agents, CONCURRENT_PARENTS, 3, 0);
    const health = sorted(await healthLoop(port, agents, CONCURRENT_PARENTS, API_SECONDS, THINK_MS));
    const flatHealth = sorted(await healthLoop(port, agents, CONCURRENT_PARENTS, API_SECONDS, 0));
    const perRequest = sorted(api.perRequest);
    const perPage = sorted(api.perPage);

    // The evening: parents not used above, each phase its own; a guesser throughout.
    const evenings: Evening[] = [];
    let from = CONCURRENT_PARENTS;
    // Parents who signed in earlier that day: only the results, at the same two rates, 1 minute each.
    for (const rate of [EVENING_RATE, 5 * EVENING_RATE]) {
      const crowd = parents.slice(from, from + Math.round(rate * 60));
      from += crowd.length;
      const e = await evening(port, crowd, rate, agents, `${rate === EVENING_RATE ? '1×' : '5×'} for 1 min, already signed in (${crowd.length.toLocaleString('en')} parents)`, await sessionsFor(db, crowd));
      evenings.push(e);
      for (const row of describeEvening(e)) console.log(`bench: ${row[0]}: ${row[1]}`);
    }
    const spray = guesser(port, parents, 3);
    for (const phase of PHASES) {
      const crowd = Array.from({ length: phase.parents }, (_, i) => parents[(from + i) % parents.length]);
      from += phase.parents;
      const e = await evening(port, crowd, phase.rate, agents, phase.label);
      evenings.push(e);
      for (const row of describeEvening(e)) console.log(`bench: ${row[0]}: ${row[1]}`);
    }
    const guesses = await spray.stop();

    const p95 = percentile(perRequest, 95);
    const guessCodes = [...guesses.statuses].map(([s, n]) => `${s === 0 ? 'connection closed' : s}: ${n}`).join(', ');
    return {
      name: `Family portal on PostgreSQL (${parents.length.toLocaleString('en')} parent accounts; server, database and load generator share the cores)`,
      rows: [
        [
          `"Con của tôi" API, ${CONCURRENT_PARENTS} parents with the page open × ${API_SECONDS} s, each opening it again after ${THINK_MS / 1000} s on average; each request of the page (session, then the child's profile and results; a preschool child's development card after the profile): p50 / p95 / p99`,
          `${ms(percentile(perRequest, 50))} / ${ms(p95)} / ${ms(percentile(perRequest, 99))} = ${(p95 / percentile(health, 95)).toFixed(2)}× /api/health's p95; ${(perRequest.length / API_SECONDS).toFixed(0)} req/s, ${api.failures} failures`,
          'p95 ≤ 100 ms',
        ],
        [`… the whole page (session, then profile and results at once): p50 / p95`, `${ms(percentile(perPage, 50))} / ${ms(percentile(perPage, 95))}, ${(api.pages / API_SECONDS).toFixed(0)} pages/s`, 'report'],
        [
          `capacity: the same ${CONCURRENT_PARENTS} parents opening the page back to back, no pause`,
          `${(flat.pages / API_SECONDS).toFixed(0)} pages/s (${(flatRequests.length / API_SECONDS).toFixed(0)} req/s = ${(flatRequests.length / flatHealth.length).toFixed(2)}× /api/health's rate); request p50 ${ms(percentile(flatRequests, 50))} / p95 ${ms(percentile(flatRequests, 95))}, ${flat.failures} failures`,
          'report',
        ],
        [`baseline: GET /api/health (no session), the same ${CONCURRENT_PARENTS} clients, pauses and shape of page: p50 / p95 / p99`, `${ms(percentile(health, 50))} / ${ms(percentile(health, 95))} / ${ms(percentile(health, 99))}, ${(health.length / API_SECONDS).toFixed(0)} req/s`, '—'],
        [`baseline: the same, back to back`, `${(flatHealth.length / API_SECONDS).toFixed(0)} req/s, p95 ${ms(percentile(flatHealth, 95))}`, '—'],
        ...evenings.flatMap(describeEvening),
        [
          `a password-guessing address (${GUESSER}) spraying the parents' names at 3 wrong passwords/s during the evening`,
          `${guesses.sent} sent: ${guessCodes}; first refused after ${guesses.firstRefusalS?.toFixed(1) ?? '—'} s${guesses.addressMessage ? ' with "Có quá nhiều lần đăng nhập sai từ mạng bạn đang dùng…"' : ''}`,
          'refused',
        ],
        [`baseline: argon2id verifications/s on this machine (${argon2Setting}, the server's), 8 at once`, `${ceiling.toFixed(1)}/s: the ceiling of sign-ins/s`, '—'],
        ['parent area ("Con của tôi", then the child\'s profile): JS + CSS as sent', `${describeWeight(weight)}: ${weight.bytes <= PAGE_BUDGET_BYTES ? 'within' : 'OVER'} budget`, `≤ ${kb(PAGE_BUDGET_BYTES)}`],
      ],
      notes: [
        FULL
          ? 'Evening uncompressed (FAMILY_FULL=1): 20,000 parents at ≈33.3/s, then 20,000 at ≈166.7/s.'
          : 'Evening compressed to keep `npm run bench` short: the rate of 20,000 parents in 10 minutes (≈33.3/s) for 2 minutes (4,000 parents), then 5× that rate for 1 minute (10,000 parents); `FAMILY_FULL=1 npm run bench -- family` runs the full 10 minutes and 20,000 at 5×.',
        `Carrier addresses: every parent's requests leave from one of ${ADDRESSES} source addresses 127.0.0.1–127.0.0.${ADDRESSES} (parent i from 127.0.0.${'{'}1 + i mod ${ADDRESSES}${'}'}), ${Math.round(20_000 / ADDRESSES)} parents per address over the evening, up to ${SOCKETS_PER_ADDRESS} connections at once per address, as a server reached directly sees a carrier's NAT; no TRUST_PROXY, so the per-address limits and the door that closes flooding addresses see exactly these addresses.`,
        'Each parent signs in with no device cookie (a new phone), so nothing exempts them from the per-address limits.',
        'Admission (platform/admission.ts, decision 0020): 64 API requests are worked on at once and 8 password checks in a line of their own (TRUONGSO_MAX_IN_FLIGHT, TRUONGSO_PASSWORD_CHECKS_IN_FLIGHT), the next wait up to 5 s in order of arrival, then are answered 503 "Hệ thống đang có nhiều người dùng cùng lúc…" with Retry-After 5; a parent told so comes back as the web app does (each time after 5–10 s: up to 4 more tries for a read, 20 on the login page), and only a visit that still fails counts as an error.',
        `Every sign-in is one argon2id check (${argon2Setting}: one of OWASP's five equal settings, platform/passwords.ts, decision 0021). This machine verified ${ceiling.toFixed(1)} a second with all its ${os.cpus().length} cores busy, so sign-ins offered faster than that wait in line (2 checks at a time per address with up to 200 waiting up to 5 s, then 8 at a time of all addresses: decision 0020; a full line or a longer wait is answered 503 "come back in 5 s"): ${(EVENING_RATE / (ceiling / os.cpus().length)).toFixed(0)} such cores for 1×, ${((5 * EVENING_RATE) / (ceiling / os.cpus().length)).toFixed(0)} for 5×, or parents whose session (8 hours idle, 7 days at most) is still open — the "already signed in" rows.`,
        `Machine load (1-minute load average) when the run started: ${loadBefore.toFixed(1)}, when it ended: ${os.loadavg()[0].toFixed(1)} (other work shares the cores: figures are lower bounds of what the server does alone).`,
      ],
    };
  } finally {
    for (const a of agents) a.destroy();
    await db.end();
    await server.stop();
  }
}
