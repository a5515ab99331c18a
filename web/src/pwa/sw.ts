// The service worker of Trường Số, hand-written and small (no Workbox). Built by web/vite.config.ts
// (pwaServiceWorker) into dist/sw.js, with the build's version and the parent area's files
// filled in. What it keeps and for whom is decided by the pure rules of sw-rules.ts (tested there):
// - the app shell and the parent area's JS/CSS, so "Con của tôi" opens without a network;
// - a family account's last answers of its own children's records (results, attendance, profile,
//   announcements), in a cache of that account only, stamped with when they came; a page served
//   from it is told so (message 'from-cache'), and shows "Dữ liệu lúc … — đang ngoại tuyến";
// - nothing of a staff account's API; every account's data is deleted at sign-out and when
//   someone else signs in.
// Web Push: a 'push' shows {title, body} and a click opens {link} (sw-rules.ts parsePush); the
// subscription itself is made by web/src/features/notifications/push.ts.
import {
  type SwState,
  FETCHED_AT_HEADER,
  SHELL_CACHE_PREFIX,
  STATE_CACHE,
  STATE_KEY,
  cachesToDrop,
  classify,
  dataCacheName,
  mayKeep,
  oldShellCaches,
  parsePush,
  safeLink,
  stateFromMe,
} from './sw-rules';

// The DOM library has no worker events: the few this worker uses, by hand.
type ExtendableEvent = Event & { waitUntil(p: Promise<unknown>): void };
type FetchEvent = ExtendableEvent & { request: Request; clientId: string; resultingClientId: string; respondWith(r: Response | Promise<Response>): void };
type PushEvent = ExtendableEvent & { data: { text(): string } | null };
type NotificationEvent = ExtendableEvent & { notification: Notification & { data: unknown } };
type MessageEvent_ = ExtendableEvent & { data: unknown };
type WindowClient = { url: string; focus(): Promise<WindowClient>; navigate(url: string): Promise<WindowClient | null>; postMessage(m: unknown): void };
type Scope = {
  location: Location;
  registration: ServiceWorkerRegistration;
  clients: { claim(): Promise<void>; get(id: string): Promise<WindowClient | undefined>; matchAll(o: object): Promise<WindowClient[]>; openWindow(url: string): Promise<WindowClient | null> };
  skipWaiting(): Promise<void>;
  addEventListener(type: string, fn: (e: never) => void): void;
};
declare const self: Scope;
/** Filled in by the build: its version, and the shell and parent area's files (paths). */
declare const __TS_SW_VERSION__: string;
declare const __TS_SW_SHELL__: string[];
declare const __TS_SW_FAMILY__: string[];

const SHELL_CACHE = `${SHELL_CACHE_PREFIX}${__TS_SW_VERSION__}`;
const origin = self.location.origin;

self.addEventListener('install', (e: ExtendableEvent) => {
  e.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // One by one: a file that fails (a proxy, a race with a new build) does not stop the others.
      await Promise.all(__TS_SW_SHELL__.map((p) => cache.add(p).catch(() => undefined)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (e: ExtendableEvent) => {
  e.waitUntil(
    (async () => {
      for (const n of oldShellCaches(await caches.keys(), SHELL_CACHE)) await caches.delete(n);
      await self.clients.claim();
    })(),
  );
});

async function readState(): Promise<SwState | null> {
  const hit = await (await caches.open(STATE_CACHE)).match(STATE_KEY);
  return hit ? ((await hit.json()) as SwState | null) : null;
}

/** Notes who is signed in now and deletes every other account's data; a family's files are fetched once. */
async function writeState(state: SwState | null): Promise<void> {
  const before = await readState();
  for (const n of cachesToDrop(await caches.keys(), state)) await caches.delete(n);
  await (await caches.open(STATE_CACHE)).put(STATE_KEY, new Response(JSON.stringify(state), { headers: { 'content-type': 'application/json' } }));
  if (state?.family && before?.userId !== state.userId) void keepFamilyFiles();
}

/** The parent area's JS and CSS (usually in the browser's HTTP cache already: no new download). */
async function keepFamilyFiles(): Promise<void> {
  const cache = await caches.open(SHELL_CACHE);
  for (const p of __TS_SW_FAMILY__) if (!(await cache.match(p))) await cache.add(p).catch(() => undefined);
}

async function stamped(res: Response): Promise<Response> {
  const headers = new Headers(res.headers);
  headers.set(FETCHED_AT_HEADER, new Date().toISOString());
  return new Response(await res.blob(), { status: res.status, statusText: res.statusText, headers });
}

async function tellPage(clientId: string, url: string, res: Response): Promise<void> {
  const client = clientId ? await self.clients.get(clientId) : undefined;
  client?.postMessage({ type: 'from-cache', url, fetchedAt: res.headers.get(FETCHED_AT_HEADER) });
}

/** The network; when it fails, what the signed-in family account kept of this read (stamped). */
async function familyRead(e: FetchEvent, kind: 'session' | 'family-data'): Promise<Response> {
  const req = e.request;
  const state = await readState();
  try {
    const res = await fetch(req);
    if (kind === 'session' && res.ok) {
      const next = stateFromMe(await res.clone().json().catch(() => null));
      await writeState(next);
      if (next?.family) await (await caches.open(dataCacheName(next.userId))).put(req, await stamped(res.clone()));
    } else if (res.ok && state && mayKeep(req.url, origin, state)) {
      await (await caches.open(dataCacheName(state.userId))).put(req, await stamped(res.clone()));
    }
    return res;
  } catch (err) {
    if (state?.family) {
      const hit = await (await caches.open(dataCacheName(state.userId))).match(req);
      if (hit) {
        await tellPage(e.clientId, req.url, hit);
        return hit;
      }
    }
    throw err;
  }
}

async function shellRead(req: Request, navigate: boolean): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const res = await fetch(req);
    if (res.ok && !navigate) await cache.put(req, res.clone());
    if (res.ok && navigate) await cache.put('/', res.clone());
    return res;
  } catch (err) {
    const hit = navigate ? await cache.match('/') : await cache.match(req);
    if (hit) return hit;
    throw err;
  }
}

async function assetRead(req: Request): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(req);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok) await cache.put(req, res.clone());
  return res;
}

self.addEventListener('fetch', (e: FetchEvent) => {
  const kind = classify({ method: e.request.method, url: e.request.url, mode: e.request.mode }, origin);
  switch (kind) {
    case 'navigate':
      return e.respondWith(shellRead(e.request, true));
    case 'shell':
      return e.respondWith(shellRead(e.request, false));
    case 'asset':
      return e.respondWith(assetRead(e.request));
    case 'session':
    case 'family-data':
      return e.respondWith(familyRead(e, kind));
    case 'logout':
      // Deleted before the request leaves: no one's data stays for the next person on this phone.
      return e.respondWith(writeState(null).then(() => fetch(e.request)));
    case 'login':
      return e.respondWith(
        fetch(e.request).then(async (res) => {
          if (res.ok) await writeState(stateFromMe(await res.clone().json().catch(() => null)));
          return res;
        }),
      );
    default:
      return; // the browser's own handling: never kept
  }
});

// The page says who signed out (or that the session ended): the same as a sign-out request.
self.addEventListener('message', (e: MessageEvent_) => {
  const m = e.data as { type?: string } | null;
  if (m?.type === 'signed-out') e.waitUntil(writeState(null));
});

// Web Push (issue 11, notifications): the payload is JSON {title, body, link, tag}.
self.addEventListener('push', (e: PushEvent) => {
  const p = parsePush(e.data?.text());
  e.waitUntil(self.registration.showNotification(p.title, { body: p.body, tag: p.tag, data: { link: p.link }, icon: '/icons/icon-192.png', badge: '/icons/badge-96.png', lang: 'vi' }));
});

self.addEventListener('notificationclick', (e: NotificationEvent) => {
  e.notification.close();
  const link = safeLink((e.notification.data as { link?: unknown } | null)?.link);
  e.waitUntil(
    (async () => {
      const open = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const same = open.find((c) => new URL(c.url).origin === origin);
      if (same) {
        await same.focus();
        await same.navigate(link).catch(() => same.postMessage({ type: 'navigate', link }));
        return;
      }
      await self.clients.openWindow(link);
    })(),
  );
});
