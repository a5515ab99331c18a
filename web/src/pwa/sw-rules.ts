// What the service worker (sw.ts) keeps and for whom: pure functions, unit tested in
// sw-rules.test.ts. The worker only wires them to the browser's events and caches.
//
// The rules, in short:
// - the app shell (index.html, hashed /assets/*, manifest, icons) is kept for everyone: it holds
//   no one's data;
// - API answers are kept only for a family account (a parent or a student, holding no staff role)
//   and only the family's own reads: a child's record and what hangs under it, as the account's
//   /auth/me lists the child; never a staff answer, never an export (personal-data files);
// - they are kept in a cache named after the account (`ts-data-<userId>`): a sign-out, a sign-in
//   of someone else or a "signed out" answer deletes every other account's cache.
import { FAMILY_ROLES, SCHOOL_READ_ROLES } from '../../../contracts/roles';

/** Every per-account cache (and the worker's own note of who is signed in) starts with this. */
export const DATA_CACHE_PREFIX = 'ts-data-';
/** Where the worker notes who is signed in (it may be stopped and started between two requests). */
export const STATE_CACHE = `${DATA_CACHE_PREFIX}state`;
export const STATE_KEY = '/__sw/state';
/** The header a kept API answer carries: when it came from the server (ISO 8601). */
export const FETCHED_AT_HEADER = 'x-ts-fetched-at';
export const SHELL_CACHE_PREFIX = 'ts-shell-';

export const dataCacheName = (userId: string) => `${DATA_CACHE_PREFIX}u-${userId}`;

/** Who the worker keeps data for: the signed-in family account and the records it may read. */
export type SwState = { userId: string; family: boolean; records: string[] };

/** The part of /auth/me the worker reads (contracts/auth.ts ZMe). */
type MeLike = { userId?: unknown; grants?: unknown; children?: unknown };

const recordKey = (schoolId: string, studentId: string) => `${schoolId}/${studentId}`;

/**
 * The worker's state from an answer of /auth/session ({signedIn, me}), /auth/me or /auth/login
 * (me): null when signed out. `family` is the web app's own rule (session.tsx isFamily): a family
 * role and no role that reads a school's records.
 */
export function stateFromMe(body: unknown): SwState | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as { signedIn?: unknown; me?: unknown };
  const me = ('signedIn' in b ? b.me : b) as MeLike | null | undefined;
  if (!me || typeof me !== 'object' || typeof me.userId !== 'string') return null;
  const roles = Array.isArray(me.grants) ? me.grants.map((g) => (g as { role?: unknown }).role) : [];
  const family = roles.some((r) => (FAMILY_ROLES as unknown[]).includes(r)) && !roles.some((r) => (SCHOOL_READ_ROLES as unknown[]).includes(r));
  const children = (Array.isArray(me.children) ? me.children : []) as { schoolId?: unknown; studentId?: unknown }[];
  const records = family ? children.map((c) => recordKey(String(c.schoolId), String(c.studentId))) : [];
  return { userId: me.userId, family, records };
}

export type RequestKind =
  /** A page of the app: the network, else the kept index.html. */
  | 'navigate'
  /** A hashed file of the build: the kept one, else the network (and kept). */
  | 'asset'
  /** index.html, the manifest, icons: the network, else the kept one. */
  | 'shell'
  /** Who is signed in (/auth/session, /auth/me): the network (the answer updates the state), else the kept one for a family. */
  | 'session'
  /** A sign-in: the network; its answer updates the state. */
  | 'login'
  /** A sign-out: every account's data is deleted, then the network. */
  | 'logout'
  /** A family read: the network (kept for a family account's own records), else the kept one. */
  | 'family-data'
  /** Anything else (staff reads, writes, exports, other origins): the network only, never kept. */
  | 'pass';

const API = '/api/v1';
/**
 * Reads under a child's record the family portal makes — the record, its results, attendance,
 * announcements (and one announcement), messages, leave requests — kept so the portal opens
 * offline; a file export (personal-data) and attachments are never kept.
 */
const RECORD_READ = /^\/api\/v1\/schools\/([^/]+)\/students\/([^/]+)(?:\/([a-z-]+)(?:\/[^/]+)?)?$/;
const NEVER_KEPT_UNDER_RECORD = new Set(['personal-data', 'personal-data.pdf', 'access-log']);
/** Reference lists the pages read (code lists): no one's data. */
const REFERENCE_READ = /^\/api\/v1\/reference\/code-lists\/[A-Za-z0-9_]+$/;

export function classify(req: { method: string; url: string; mode?: string }, origin: string): RequestKind {
  const url = new URL(req.url, origin);
  if (url.origin !== origin) return 'pass';
  const path = url.pathname;
  if (req.method === 'POST' && path === `${API}/auth/logout`) return 'logout';
  if (req.method === 'POST' && path === `${API}/auth/login`) return 'login';
  if (req.method !== 'GET') return 'pass';
  if (req.mode === 'navigate') return 'navigate';
  if (path.startsWith('/assets/')) return 'asset';
  if (path === '/' || path === '/index.html' || path === '/manifest.webmanifest' || path === '/favicon.svg' || path.startsWith('/icons/')) return 'shell';
  if (path === `${API}/auth/session` || path === `${API}/auth/me`) return 'session';
  if (REFERENCE_READ.test(path)) return 'family-data';
  const m = RECORD_READ.exec(path);
  if (m) return m[3] && NEVER_KEPT_UNDER_RECORD.has(m[3]) ? 'pass' : 'family-data';
  return 'pass';
}

/**
 * May this family read be kept for the signed-in account? Only for a family account, and only
 * a record it lists (or a reference list): a staff answer or another child's is never kept.
 */
export function mayKeep(url: string, origin: string, state: SwState | null): boolean {
  if (!state?.family) return false;
  const u = new URL(url, origin);
  if (u.origin !== origin) return false;
  if (REFERENCE_READ.test(u.pathname)) return true;
  const m = RECORD_READ.exec(u.pathname);
  if (m) return !(m[3] && NEVER_KEPT_UNDER_RECORD.has(m[3])) && state.records.includes(recordKey(decodeURIComponent(m[1]), decodeURIComponent(m[2])));
  return false;
}

/** The caches to delete when `state` is who is signed in now: every other account's data (all of it when no one is). */
export function cachesToDrop(names: string[], state: SwState | null): string[] {
  const keep = state?.family ? dataCacheName(state.userId) : null;
  return names.filter((n) => n.startsWith(DATA_CACHE_PREFIX) && n !== STATE_CACHE && n !== keep);
}

/** The shell caches of older versions of the app (their hashed files are no longer named by index.html). */
export const oldShellCaches = (names: string[], current: string) => names.filter((n) => n.startsWith(SHELL_CACHE_PREFIX) && n !== current);

/**
 * A notification from a push message: {title, body, link, tag}; the link opens only within the app.
 * `tag` is the notice's id (notifications/channels/push.ts): a push repeated after a server crash
 * replaces the first on the screen instead of showing twice.
 */
export type PushNotice = { title: string; body: string; link: string; tag?: string };

export function parsePush(text: string | null | undefined): PushNotice {
  let p: { title?: unknown; body?: unknown; link?: unknown; tag?: unknown } = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object') p = parsed;
  } catch {
    // Not JSON: the text itself is the message.
    p = { body: text };
  }
  return {
    title: typeof p.title === 'string' && p.title.trim() ? p.title.slice(0, 200) : 'Trường Số',
    body: typeof p.body === 'string' ? p.body.slice(0, 1000) : '',
    link: safeLink(p.link),
    ...(typeof p.tag === 'string' && p.tag ? { tag: p.tag.slice(0, 100) } : {}),
  };
}

/** A path of this app ("/con-cua-toi/…"); anything else (another site, "//evil", "javascript:") becomes the home page. */
export function safeLink(link: unknown): string {
  if (typeof link !== 'string' || !link.startsWith('/') || link.startsWith('//') || link.includes('\\')) return '/';
  return link;
}

/** "Dữ liệu lúc 14:05 07/12/2026": the date and time a kept answer came from the server, as the phone's clock reads it. */
export function stampText(iso: string, at: (d: Date) => { h: number; m: number; d: number; mo: number; y: number } = local): string | null {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const p = at(d);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(p.h)}:${two(p.m)} ${two(p.d)}/${two(p.mo)}/${p.y}`;
}
const local = (d: Date) => ({ h: d.getHours(), m: d.getMinutes(), d: d.getDate(), mo: d.getMonth() + 1, y: d.getFullYear() });
