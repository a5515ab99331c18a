import { App } from 'antd';
import { createElement, useCallback, useEffect, useRef } from 'react';
import { type LeaveGuard, setLeaveGuard } from '../../router';
import { vi } from '../../i18n/vi';
import type { GridSync, SyncSnapshot } from './grid-sync';
import { leaveCheck, leaveWarning, mayLeave } from './leave-check';

/** How long leaving waits for the cells being sent before it asks. */
const SEND_WAIT_MS = 3000;

/** Resolves once the outbox is empty, a send has failed, or after `ms`. */
function settled(sync: GridSync, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let unsubscribe = () => {};
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const check = () => {
      const s = sync.getSnapshot();
      if (s.outbox.size === 0 || (!s.sending && s.failure)) done();
    };
    unsubscribe = sync.subscribe(check);
    void sync.flushNow();
    check();
  });
}

/**
 * Asks before the teacher leaves the grid while cells are invalid or unsent: in the app (a link,
 * the menu, back and forward: the router's leave guard) and when the page is closed or reloaded
 * (beforeunload). Cells still being sent get a moment first, so a good connection leaves at once.
 * Returns the guard, for the page's own ways out (the term switch).
 */
export function useLeaveWarning(sync: GridSync | null, snap: SyncSnapshot, invalidCount: number): LeaveGuard {
  const { modal } = App.useApp();
  const latest = useRef({ sync, invalidCount });
  useEffect(() => {
    latest.current = { sync, invalidCount };
  });
  const asking = useRef(false);

  const guard = useCallback<LeaveGuard>(
    (proceed) => {
      const now = () => leaveCheck(latest.current.sync?.getSnapshot() ?? snapOf(), latest.current.invalidCount);
      const ask = () => {
        const c = now();
        if (mayLeave(c)) return proceed();
        if (asking.current) return;
        asking.current = true;
        const w = leaveWarning(c);
        modal.confirm({
          title: w.title,
          content: createElement(
            'div',
            { 'data-testid': 'gradebook-leave-warning' },
            w.lines.map((line) => createElement('p', { key: line }, line)),
          ),
          okText: w.leave,
          okButtonProps: { danger: true },
          cancelText: vi.gradebook.leave.stay,
          autoFocusButton: 'cancel',
          onOk: proceed,
          afterClose: () => {
            asking.current = false;
          },
        });
      };
      const c = now();
      if (mayLeave(c)) return false;
      const s = latest.current.sync;
      if (c.invalid === 0 && s) void settled(s, SEND_WAIT_MS).then(ask);
      else ask();
      return true;
    },
    [modal],
  );

  useEffect(() => setLeaveGuard(guard), [guard]);

  const risky = !mayLeave(leaveCheck(snap, invalidCount));
  useEffect(() => {
    if (!risky) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [risky]);

  return guard;
}

const snapOf = (): Pick<SyncSnapshot, 'outbox' | 'kept'> => ({ outbox: new Map(), kept: true });
