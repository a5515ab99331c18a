/**
 * What the service worker does with the contact book's pushes — imported by the worker
 * (`installPushHandlers(self)`); see push.ts for the contract. Written against the few worker
 * APIs it uses, so it compiles with the page's DOM types too.
 */
type NoticeData = { title: string; body: string; link: string; tag: string };

type WorkerScope = {
  registration: { showNotification: (title: string, options: { body?: string; tag?: string; data?: unknown; icon?: string; badge?: string }) => Promise<void> };
  clients: {
    matchAll: (o: { type: 'window'; includeUncontrolled: boolean }) => Promise<{ url: string; focus: () => Promise<unknown>; navigate?: (url: string) => Promise<unknown> }[]>;
    openWindow: (url: string) => Promise<unknown>;
  };
  location: { origin: string };
  addEventListener: (type: 'push' | 'notificationclick', listener: (event: never) => void) => void;
};

type PushEventLike = { data: { json: () => unknown } | null; waitUntil: (p: Promise<unknown>) => void };
type ClickEventLike = { notification: { data: unknown; close: () => void }; waitUntil: (p: Promise<unknown>) => void };

/** The notice a push carries, or null when it is not one of ours (only a path inside the app is followed). */
export function readPush(data: unknown): NoticeData | null {
  const d = data as Partial<NoticeData> | null;
  if (!d || typeof d.title !== 'string') return null;
  return { title: d.title, body: typeof d.body === 'string' ? d.body : '', link: typeof d.link === 'string' && d.link.startsWith('/') && !d.link.startsWith('//') ? d.link : '/hop-thu', tag: typeof d.tag === 'string' ? d.tag : '' };
}

export function installPushHandlers(scope: WorkerScope): void {
  scope.addEventListener('push', (event: PushEventLike) => {
    let notice: NoticeData | null;
    try {
      notice = readPush(event.data?.json());
    } catch {
      notice = null;
    }
    if (!notice) return;
    event.waitUntil(scope.registration.showNotification(notice.title, { body: notice.body, tag: notice.tag || undefined, data: { link: notice.link }, icon: '/favicon.svg', badge: '/favicon.svg' }));
  });
  scope.addEventListener('notificationclick', (event: ClickEventLike) => {
    event.notification.close();
    const link = readPush({ title: '', ...(event.notification.data as object) })?.link ?? '/hop-thu';
    const url = new URL(link, scope.location.origin).href;
    event.waitUntil(
      (async () => {
        const windows = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
        const open = windows.find((w) => w.url.startsWith(scope.location.origin));
        if (open) {
          await open.focus();
          if (open.navigate) await open.navigate(url);
          return;
        }
        await scope.clients.openWindow(url);
      })(),
    );
  });
}
