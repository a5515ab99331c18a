// A tiny History-API router: no hash, no dependency. The server answers every client path with index.html.
import { createElement, type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
/** The location the app last showed: where back/forward returns to when a leave guard holds it. */
let shown = typeof window !== 'undefined' ? window.location.pathname + window.location.search : '';
const notify = () => {
  shown = window.location.pathname + window.location.search;
  for (const l of listeners) l();
};

/**
 * A page that holds something not yet kept (the gradebook grid's invalid or unsent cells) asks
 * before the app leaves it: the guard gets the way on (`proceed`) and answers true when it holds
 * the navigation (it asks the user, and calls `proceed` if they choose to leave).
 */
export type LeaveGuard = (proceed: () => void) => boolean;
let leaveGuard: LeaveGuard | null = null;

/** Sets the page's leave guard; the returned function removes it (when it is still this one). */
export function setLeaveGuard(guard: LeaveGuard): () => void {
  leaveGuard = guard;
  return () => {
    if (leaveGuard === guard) leaveGuard = null;
  };
}

/** Runs `go` now, or once the leave guard lets the user leave. */
function guarded(go: () => void): void {
  if (leaveGuard?.(go)) return;
  go();
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    const to = window.location.pathname + window.location.search;
    const from = shown;
    if (leaveGuard && to !== from) {
      const held = leaveGuard(() => {
        window.history.pushState(null, '', to);
        notify();
      });
      // Back or forward has already moved the address: the page's own is put back while the guard asks.
      if (held) {
        window.history.pushState(null, '', from);
        return;
      }
    }
    notify();
  });
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  guarded(() => {
    if (opts.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    notify();
    window.scrollTo(0, 0);
  });
}

export type Route = { path: string; query: URLSearchParams };

/** The current location; re-renders on navigate() and on back/forward. */
export function useRoute(): Route {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  return { path: url.pathname.replace(/\/+$/, '') || '/', query: url.searchParams };
}

/** matchPath('/hoc-sinh/:id', '/hoc-sinh/42') → { id: '42' }; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

/** Replace some query parameters of the current URL (undefined/'' removes one) without a new history entry. */
export function setQuery(patch: Record<string, string | number | boolean | undefined | null>): void {
  const url = new URL(window.location.href);
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || v === null || v === '' || v === false) url.searchParams.delete(k);
    else url.searchParams.set(k, String(v));
  }
  window.history.replaceState(null, '', url.pathname + url.search);
  notify();
}

/** An <a> that navigates in-app on a plain left click and behaves normally otherwise (new tab, copy link). */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const { to, onClick, ...rest } = props;
  return createElement('a', {
    ...rest,
    href: to,
    onClick: (e: MouseEvent<HTMLAnchorElement>) => {
      onClick?.(e);
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(to);
    },
  });
}
