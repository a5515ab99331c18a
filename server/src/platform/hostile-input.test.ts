import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { F, USERNAMES } from '../../test/fixture-ids.js';
import { type Session, setupTestApp } from '../../test/harness.js';
import { TARGET, type Who, expectedByDeclaration, fillPath } from '../../test/route-targets.js';
import { freshClass } from '../../test/matrix-places.js';
import { type JsonSchema, inputJsonSchema, sampleFor, stringLeaves, withLeaf } from '../../test/sample-input.js';
import { SQL_INJECTION, UNICODE, XSS, sameShapeControl } from '../../test/hostile-corpora.js';
import { type ResultKeys, resultKeys, widening } from '../../test/result-keys.js';
import type { DeclaredRoute } from './security-plugin.js';

/**
 * The hostile-input suite, generated from the route table like the access matrix: every route
 * that takes a JSON body or a query string gets, in every string field, each string of the
 * corpora below, sent by a caller who is allowed to use the route (so the input reaches
 * validation, the services and the database, not just the permission check). A route added
 * later is covered without touching this file.
 *
 * Every answer must be: not 5xx; if refused, problem+json with a Vietnamese `detail`; free of
 * database error text and stack traces; quick (a time-based injection would show). Afterwards
 * the database still has every table and its rows.
 *
 * A leak answers 200, so on GET routes each query parameter's hostile answer is also compared
 * with the answer to a benign control of the same shape (`sameShapeControl`: same length and
 * words, metacharacters replaced by letters; a valid value for ids, dates, numbers and enums):
 * the ids (or export rows) it returns must be a subset of the control's. `' OR '1'='1` spliced
 * into SQL answers 200 with the whole school where its control `x OR x1xx1` finds nobody.
 */

const CORPUS = [...SQL_INJECTION, ...XSS, ...UNICODE];

/** Answers that betray the database or the code behind it. */
const LEAK_RE = /syntax error|relation "|column "|SQLSTATE|pg_catalog|at character \d|\bat [\w.<>]+ \(|\.ts:\d+|node_modules|password_hash|\$argon2/i;

const ctx = await setupTestApp({ jobs: false });

// Qualities and competencies are rated in primary classes only (TT27); school A1's target class is
// grade 6, so those routes are aimed at a grade-3 class of the same school, where the hostile
// strings reach the service instead of stopping at "not a primary class" (422).
const PRIMARY_CLASS = await freshClass(ctx.handle.db, F.schoolA1, 3);
const PRIMARY_ONLY = /\/(qualities|year-comments|awards)(\/|$)/;
// The same for the preschool routes of a class: aimed at a grade-0 class of school A1.
const PRESCHOOL_CLASS = await freshClass(ctx.handle.db, F.schoolA1, 0);
const PRESCHOOL_ONLY = /\/classes\/:classId\/(development|measurements)$/;

// The học bạ prints from a year close: the target student (6A1, THCS) gets one, so the book's
// ?level= (secondary, QUERY_VALUES) has a control answered 2xx.
await ctx.handle.db
  .insertInto('student_result')
  .values({ school_id: F.schoolA1, student_id: F.studentBinh, year: F.year, period: 'cn', class_id: F.class6A1, learning: 'kha', learning_adjusted_from: null, learning_adjusted_because: null, training: 'tot', promotion: 'promoted', promotion_detail: null, award: null, missing: '[]', computed_by: null })
  .execute();

// Routes that would end the sessions this file runs on; login gets its own cases.
const SKIPPED = new Set(['/api/v1/auth/logout', '/api/v1/auth/change-password']);
const CALLER_PREFERENCE: Who[] = ['principalA1', 'admin', 'soA', 'communeA', 'homeroomA1', 'staffA1', 'mathA1', 'parentA', 'studentAn'];

const sessions = new Map<Who, Session>();
async function session(who: Who): Promise<Session> {
  let s = sessions.get(who);
  if (!s) sessions.set(who, (s = await ctx.as(who)));
  return s;
}

/** The first account that may call the route on school A1 (null: public route). */
function callerFor(route: DeclaredRoute): Who | null {
  if (route.permission.access === 'public') return null;
  const who = CALLER_PREFERENCE.find((w) => expectedByDeclaration(route.permission, w, 'A') === 'allow');
  if (!who) throw new Error(`no fixture account may call ${route.method} ${route.url}`);
  return who;
}

async function send(route: DeclaredRoute, opts: { body?: unknown; query?: Record<string, unknown>; rawBody?: string }) {
  const who = callerFor(route);
  const s = who ? await session(who) : null;
  const headers: Record<string, string> = s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {};
  let url = fillPath(route.url, 'A');
  if (PRIMARY_ONLY.test(route.url)) url = url.replace(F.class6A1, PRIMARY_CLASS);
  if (PRESCHOOL_ONLY.test(route.url)) url = url.replace(F.class6A1, PRESCHOOL_CLASS);
  if (opts.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v !== undefined && v !== null) q.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    url += `?${q}`;
  }
  const payload = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const t0 = performance.now();
  let res = await ctx.app.inject({ method: route.method as 'POST', url, headers, payload });
  if (res.statusCode === 401 && who && s) {
    // A password reset among the hostile requests (TARGET's userId is homeroomA1, whom only the
    // contact book's teacher routes call) ended that account's sessions: sign it in again and resend.
    const again = await signInAgain(who);
    res = await ctx.app.inject({ method: route.method as 'POST', url, headers: { ...headers, cookie: again.cookie, 'x-csrf-token': again.csrf }, payload });
  }
  return { res, ms: performance.now() - t0 };
}

/** Puts the fixture password back on an account (every fixture account has the same) and signs it in afresh. */
async function signInAgain(who: Who): Promise<Session> {
  const { password_hash } = await ctx.handle.db.selectFrom('app_user').select('password_hash').where('id', '=', F.users.principalA1).executeTakeFirstOrThrow();
  await ctx.handle.db.updateTable('app_user').set({ password_hash, must_change_password: false, is_active: true }).where('id', '=', F.users[who]).execute();
  const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: USERNAMES[who], password: F.password } });
  if (login.statusCode !== 200) throw new Error(`signing ${who} in again: ${login.statusCode} ${login.body}`);
  const raw = login.headers['set-cookie'];
  const cookie = String(Array.isArray(raw) ? raw[0] : raw).split(';')[0] ?? '';
  const fresh = { ...(await session(who)), cookie, csrf: login.json<{ csrfToken: string }>().csrfToken };
  sessions.set(who, fresh);
  return fresh;
}

const failures: string[] = [];
beforeEach(() => {
  failures.length = 0;
});
/**
 * The answer without the corpus's own strings: a free-text field (an exemption's reason) stored and
 * shown back, in the answer or in a later export, repeats "… password_hash …" because it was sent,
 * not because anything leaked. Internals still show around them (a database error's own words).
 */
const ECHOES = [...new Set(CORPUS.flatMap((p) => [p, p.trim(), JSON.stringify(p).slice(1, -1), JSON.stringify(p.trim()).slice(1, -1)]))].filter((p) => p.length >= 8).sort((a, b) => b.length - a.length);
const withoutEchoes = (body: string) => ECHOES.reduce((b, p) => b.split(p).join(''), body);

function check(where: string, res: { statusCode: number; body: string; headers: Record<string, unknown> }, ms: number) {
  if (res.statusCode >= 500) failures.push(`${where}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  if (res.statusCode >= 400) {
    if (!String(res.headers['content-type']).includes('application/problem+json')) failures.push(`${where}: ${res.statusCode} not problem+json`);
    else {
      const detail = (JSON.parse(res.body) as { detail?: unknown }).detail;
      if (typeof detail !== 'string' || !/[àáảãạăâđèéêìíòóôơùúưỳý]/i.test(detail)) failures.push(`${where}: detail not Vietnamese: ${String(detail)}`);
    }
  }
  const body = withoutEchoes(res.body);
  if (LEAK_RE.test(body)) failures.push(`${where}: leaks internals: ${body.match(LEAK_RE)?.[0]}`);
  if (ms > 2500) failures.push(`${where}: took ${Math.round(ms)} ms`);
}

const bodyRoutes = () => ctx.app.declaredRoutes.filter((r) => !SKIPPED.has(r.url) && inputJsonSchema(r.body));
const queryRoutes = () => ctx.app.declaredRoutes.filter((r) => !SKIPPED.has(r.url) && inputJsonSchema(r.querystring));
const KNOWN = { ...TARGET.A, toClassId: F.class6A2, toSchoolId: F.schoolA2, targetId: F.schoolA2, newParentId: F.communeA1 };

let requests = 0;
const fieldsSeen = new Set<string>();

// ------------------------------------------------------------ widened results (hostile vs control)

/** Required query parameters with real values, so the attacked parameter reaches the query (e.g. `unitId` of the audit log). */
function requiredQuery(schema: JsonSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of schema.required ?? []) out[name] = validQueryValue(schema.properties?.[name] ?? {}, name);
  return out;
}

/** Numbers that mean something in school A1 (its year, a grade it teaches); other values as `sampleFor` makes them. */
// The contact book's inbox pages by a time (`before`) and the sender's failures by what was sent (`sourceId`, any id: a list, empty or not).
const QUERY_VALUES: Record<string, string | number> = { year: F.year, grade: 6, term: 1, level: 'secondary', before: '2030-01-01T00:00:00.000Z', sourceId: F.class6A1 };
function validQueryValue(prop: JsonSchema, name: string): unknown {
  return QUERY_VALUES[name] ?? sampleFor(prop, name, KNOWN);
}

/** Integers a query string can carry that no column holds: refused, never sent to the database as an out-of-range int. */
const NUMBER_EXTREMES = ['-9007199254740991', '9007199254740991', '2147483648', '-2147483649', '1e308'];
function isNumeric(s: JsonSchema): boolean {
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return alt.some(isNumeric);
  return s.type === 'integer' || s.type === 'number';
}

/** A free-text parameter (search, code filter): a string with no enum, format or pattern. */
function isFreeText(s: JsonSchema): boolean {
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return alt.length === 1 && isFreeText(alt[0]!);
  return s.type === 'string' && !s.enum && s.const === undefined && !s.format && !s.pattern;
}

/**
 * The benign value a hostile one is compared with: for free text the same-shape control (same
 * length and words, metacharacters replaced by letters); for typed parameters (ids, dates,
 * numbers, enums) a valid value of the type, which no hostile string can out-select honestly.
 */
function controlFor(prop: JsonSchema, name: string, hostile: string): string {
  return isFreeText(prop) ? sameShapeControl(hostile) : String(validQueryValue(prop, name));
}

const controlCache = new Map<string, ResultKeys>();
async function controlAnswer(route: DeclaredRoute, base: Record<string, unknown>, name: string, control: string): Promise<ResultKeys> {
  const key = `${route.method} ${route.url} ${name} ${control}`;
  let keys = controlCache.get(key);
  if (!keys) {
    const { res, ms } = await send(route, { query: { ...base, [name]: control } });
    requests++;
    check(`${route.method} ${route.url} ?${name}=${JSON.stringify(control).slice(0, 40)} (control)`, res, ms);
    keys = await resultKeys(res);
    controlCache.set(key, keys);
  }
  return keys;
}

let comparisons = 0;
let hostileAnswered = 0;
let widened = 0;
const controlled = new Set<string>();

async function tableCounts(): Promise<Map<string, number>> {
  const tables = await ctx.handle.db
    .selectFrom('information_schema.tables' as never)
    .select('table_name' as never)
    .where('table_schema' as never, '=', 'public' as never)
    .execute();
  const out = new Map<string, number>();
  for (const t of tables as { table_name: string }[]) {
    const row = await ctx.handle.pool.query<{ n: string }>(`select count(*) as n from "${t.table_name}"`);
    out.set(t.table_name, Number(row.rows[0]!.n));
  }
  return out;
}
const before = await tableCounts();

afterAll(() => {
  console.log(
    `hostile input: ${requests} requests — ${CORPUS.length} strings (${SQL_INJECTION.length} SQL injection, ${XSS.length} XSS/formula, ${UNICODE.length} Unicode) ` +
      `in ${fieldsSeen.size} string fields of ${bodyRoutes().length} body and ${queryRoutes().length} query-string routes, plus type, size and depth attacks on every body route; ` +
      `${comparisons} widened-result comparisons (hostile vs same-shape control on ${controlled.size} GET query parameters, ${hostileAnswered} hostile values answered with a list), ${widened} widened`,
  );
});

describe('hostile strings in every string field of every route', () => {
  it('query strings: every parameter, every hostile string; on GET routes no hostile value returns more than its same-shape control', async () => {
    for (const route of queryRoutes()) {
      const schema = inputJsonSchema(route.querystring)!;
      const base = requiredQuery(schema);
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        const field = `${route.method} ${route.url} ?${name}`;
        fieldsSeen.add(field);
        for (const payload of isNumeric(prop) ? [...CORPUS, ...NUMBER_EXTREMES] : CORPUS) {
          const { res, ms } = await send(route, { query: { ...base, [name]: payload } });
          requests++;
          const where = `${field}=${JSON.stringify(payload).slice(0, 40)}`;
          check(where, res, ms);
          if (route.method !== 'GET') continue;
          const control = controlFor(prop, name, payload);
          const [hostileKeys, controlKeys] = await Promise.all([resultKeys(res), controlAnswer(route, base, name, control)]);
          comparisons++;
          if (hostileKeys.kind !== 'refused') hostileAnswered++;
          if (controlKeys.kind !== 'refused') controlled.add(field);
          const extra = widening(hostileKeys, controlKeys);
          if (extra.length > 0) {
            widened++;
            failures.push(
              `${where}: WIDER than its control ${JSON.stringify(control).slice(0, 40)} — ${hostileKeys.keys.size} ${hostileKeys.kind} keys vs ${controlKeys.keys.size}; not in the control: ${extra.slice(0, 3).join(', ')}${extra.length > 3 ? ` (+${extra.length - 3})` : ''}`,
            );
          }
        }
        // A comparison is only worth something if the control itself was answered with a list.
        if (route.method === 'GET' && !controlled.has(field)) failures.push(`${field}: no control value was answered 2xx, the comparison proves nothing`);
      }
    }
    expect(failures).toEqual([]);
    expect(comparisons).toBeGreaterThan(1000);
  }, 240_000);

  it('JSON bodies: never 5xx, refusals are Vietnamese problem+json, nothing leaks, nothing is slow', async () => {
    for (const route of bodyRoutes()) {
      const schema = inputJsonSchema(route.body)!;
      const base = sampleFor(schema, '', KNOWN);
      for (const leaf of stringLeaves(base)) {
        fieldsSeen.add(`${route.method} ${route.url} ${leaf.join('.')}`);
        for (const payload of CORPUS) {
          const { res, ms } = await send(route, { body: withLeaf(base, leaf, payload) });
          requests++;
          check(`${route.method} ${route.url} ${leaf.join('.')}=${JSON.stringify(payload).slice(0, 40)}`, res, ms);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(fieldsSeen.size).toBeGreaterThan(40);
    // As long as the query strings' pass: it grows with every body route (the preschool indicator
    // set alone has eight string fields), and a shared CI machine took over 60 s; each request's
    // own 2.5 s limit above is what catches a slow answer.
  }, 240_000);

  it('path parameters: hostile ids are a plain 404 or 400', async () => {
    for (const route of ctx.app.declaredRoutes.filter((r) => r.url.includes(':') && !SKIPPED.has(r.url))) {
      for (const payload of [...SQL_INJECTION.slice(0, 4), '../../../etc/passwd', '%00', '<script>']) {
        const url = fillPath(route.url, 'A').replace(TARGET.A[route.url.match(/:(\w+)$/)?.[1] ?? 'x'] ?? '\u0000', encodeURIComponent(payload));
        const r = { ...route, url };
        const { res, ms } = await send(r, route.method === 'GET' || route.method === 'DELETE' ? {} : { body: {} });
        requests++;
        check(`${route.method} ${url}`, res, ms);
        expect(res.body).not.toContain('root:x:0:0');
      }
    }
    expect(failures).toEqual([]);
  });

  it('afterwards every table is still there, and no table lost rows', async () => {
    const after = await tableCounts();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const shrunk = [...before].filter(([t, n]) => (after.get(t) ?? 0) < n && !['session'].includes(t));
    expect(shrunk).toEqual([]);
    const admin = await ctx.handle.db.selectFrom('app_user').select('password_hash').where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect(admin.password_hash).toMatch(/^\$argon2id\$/);
  });
});

describe('wrong shapes, sizes and depths on every JSON body route', () => {
  it('a body of the wrong JSON type, or fields of the wrong type, get 400 with a Vietnamese message', async () => {
    for (const route of bodyRoutes()) {
      const base = sampleFor(inputJsonSchema(route.body)!, '', KNOWN);
      const shapes: unknown[] = [[], 'chuỗi', 42, null, true];
      for (const leaf of stringLeaves(base)) shapes.push(withLeaf(base, leaf, 12345), withLeaf(base, leaf, { $gt: '' }), withLeaf(base, leaf, ['a']));
      for (const body of shapes) {
        const { res, ms } = await send(route, { rawBody: JSON.stringify(body) });
        requests++;
        const where = `${route.method} ${route.url} body=${JSON.stringify(body).slice(0, 60)}`;
        check(where, res, ms);
        // Some routes take all-optional bodies, so a stray field type may be ignored — never a crash.
        // A route whose target unit is named in the body answers 404 when the body names none
        // (access is decided before validation, see security-plugin.ts).
        const refused = route.permission.access === 'resolve' ? [400, 404] : [400];
        if ((Array.isArray(body) || typeof body !== 'object' || body === null) && !refused.includes(res.statusCode)) {
          failures.push(`${where}: ${res.statusCode}, expected ${refused.join(' or ')}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('a body over 1 MB is refused with 413 before it is parsed', async () => {
    for (const route of bodyRoutes()) {
      const { res, ms } = await send(route, { rawBody: JSON.stringify({ fullName: 'x'.repeat(1024 * 1024 + 10) }) });
      requests++;
      check(`${route.method} ${route.url} 1 MB`, res, ms);
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(413);
    }
    expect(failures).toEqual([]);
  });

  it('JSON nested 100,000 deep, or just past the 32-level limit, gets 400 (no stack overflow)', async () => {
    const route = bodyRoutes().find((r) => r.url.endsWith('/students') && r.method === 'POST')!;
    for (const depth of [33, 100_000]) {
      const { res, ms } = await send(route, { rawBody: `${'['.repeat(depth)}${']'.repeat(depth)}` });
      requests++;
      check(`deep ${depth}`, res, ms);
      expect(res.statusCode).toBe(400);
    }
    const nested = await send(route, { rawBody: JSON.stringify({ guardians: [{ fullName: { a: { b: { c: {} } } } }] }) });
    expect(nested.res.statusCode).toBe(400);
    expect(failures).toEqual([]);
  });

  it('malformed JSON and a wrong content type are refused in Vietnamese', async () => {
    const route = bodyRoutes().find((r) => r.url.endsWith('/students') && r.method === 'POST')!;
    for (const raw of ['{"fullName": ', '{fullName: 1}', '\u0000', '{"a":1}{"b":2}']) {
      const { res, ms } = await send(route, { rawBody: raw });
      requests++;
      check(`malformed ${JSON.stringify(raw)}`, res, ms);
      expect(res.statusCode).toBe(400);
    }
    const s = await session('principalA1');
    const xml = await ctx.app.inject({
      method: 'POST',
      url: fillPath(route.url, 'A'),
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/xml' },
      payload: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    });
    check('xml body', xml, 0);
    expect(xml.statusCode).toBe(415);
    expect(failures).toEqual([]);
  });
});
