import { api } from '../../api/client';
import type { Ok, PushKey, PushSubscribeBody } from '../../api/types';

/**
 * Web Push in the page (the browser side of server/src/modules/notifications/channels/push.ts).
 *
 * The app's service worker (web/src/pwa/sw.ts, served at /sw.js) handles the two events:
 *
 * - 'push': the data is JSON { title, body, link, tag } and nothing else (no names beyond what the
 *   title says, no marks). Show `showNotification(title, { body, tag, data: { link } })`; `tag`
 *   is the notice's id, so a repeat after a server crash replaces the first on the screen.
 * - 'notificationclick': close it and focus an open window of the app navigated to `link` (a
 *   path inside the app, checked again there), or open one.
 *
 * Subscribing needs that worker registered (navigator.serviceWorker.ready); without one,
 * `subscribeToPush` registers `/sw.js` if the page has none (the portal's build puts it there).
 */

export type PushState = 'unsupported' | 'denied' | 'off' | 'on';

export const pushSupported = (): boolean =>
  typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

async function registration(): Promise<ServiceWorkerRegistration> {
  const existing = await navigator.serviceWorker.getRegistration();
  if (existing) return existing;
  await navigator.serviceWorker.register('/sw.js');
  return navigator.serviceWorker.ready;
}

/** Whether this browser receives this person's pushes now. */
export async function pushState(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  const reg = await navigator.serviceWorker.getRegistration();
  const sub = await reg?.pushManager.getSubscription();
  return sub && Notification.permission === 'granted' ? 'on' : 'off';
}

const fromBase64Url = (s: string): Uint8Array<ArrayBuffer> => {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(s.length / 4) * 4, '='));
  const out = new Uint8Array(new ArrayBuffer(b.length));
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
};

/** A short name for the settings page's device list ("Chrome trên Android"). */
function deviceName(): string {
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Trình duyệt';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? `${browser} trên ${os}` : browser;
}

/**
 * Asks the person's permission, subscribes this browser with the server's VAPID key and tells the
 * server (POST /me/push/subscriptions). Returns the state it ends in.
 */
export async function subscribeToPush(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return permission === 'denied' ? 'denied' : 'off';
  const reg = await registration();
  const { publicKey } = await api.get<PushKey>('/me/push/key');
  const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(publicKey) }));
  const json = sub.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
  await api.post<Ok, PushSubscribeBody>('/me/push/subscriptions', { endpoint: json.endpoint, keys: json.keys, device: deviceName() });
  return 'on';
}

/** This browser stops receiving pushes (for this person and for the browser). */
export async function unsubscribeFromPush(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  const reg = await navigator.serviceWorker.getRegistration();
  const sub = await reg?.pushManager.getSubscription();
  if (sub) {
    await api.post<Ok, { endpoint: string }>('/me/push/unsubscribe', { endpoint: sub.endpoint });
    await sub.unsubscribe();
  }
  return 'off';
}
