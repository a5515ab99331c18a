// The page's side of the service worker (sw.ts): registers it in the built app, clears every
// account's kept data at sign-out, and tells the family portal when what it shows came from
// the phone's cache (offline) and from when.
import { useSyncExternalStore } from 'react';
import { DATA_CACHE_PREFIX } from './sw-rules';

/** Registers /sw.js once the page has loaded (not in `vite dev`: no build, no worker). */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', onWorkerMessage);
  const go = () => void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  if (document.readyState === 'complete') go();
  else window.addEventListener('load', go, { once: true });
}

/**
 * Signed out (by the button, or the session ended): every account's kept answers are deleted
 * here and by the worker, so the next person on this phone reads nothing of this one's.
 */
export function clearKeptData(): void {
  offline.stamps.clear();
  emit();
  if (typeof caches !== 'undefined') {
    void caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(DATA_CACHE_PREFIX)).map((n) => caches.delete(n))))
      .catch(() => undefined);
  }
  navigator.serviceWorker?.controller?.postMessage({ type: 'signed-out' });
}

/** The times the answers shown came from the server, when the worker answered from its cache. */
const offline = { stamps: new Map<string, string>(), online: typeof navigator === 'undefined' ? true : navigator.onLine, version: 0 };
const listeners = new Set<() => void>();
const emit = () => {
  offline.version++;
  for (const l of listeners) l();
};

function onWorkerMessage(e: MessageEvent) {
  const m = e.data as { type?: string; url?: string; fetchedAt?: string | null; link?: string } | null;
  if (m?.type === 'from-cache' && m.url && m.fetchedAt) {
    // The session answer says nothing the page shows: the data's own times are what count.
    if (new URL(m.url).pathname.startsWith('/api/v1/auth/')) return;
    offline.stamps.set(m.url, m.fetchedAt);
    emit();
  }
  if (m?.type === 'navigate' && m.link?.startsWith('/') && !m.link.startsWith('//')) window.location.assign(m.link);
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    offline.online = true;
    offline.stamps.clear();
    emit();
  });
  window.addEventListener('offline', () => {
    offline.online = false;
    emit();
  });
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/**
 * Offline and showing kept answers: the oldest time among them (what the page shows is at least
 * that old); null when online with fresh answers.
 */
export function useOfflineStamp(): { offline: boolean; fetchedAt: string | null } {
  useSyncExternalStore(subscribe, () => offline.version);
  const times = [...offline.stamps.values()].sort();
  return { offline: !offline.online || times.length > 0, fetchedAt: times[0] ?? null };
}
