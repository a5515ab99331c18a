// Pure rules of leaving the grid (no React): what would be left behind, and what the warning says.
// Tested in leave-check.test.ts.
import { vi } from '../../i18n/vi';
import type { SyncSnapshot } from './grid-sync';

const t = vi.gradebook.leave;

export type LeaveCheck = {
  /** Cells holding a value the column does not take: shown red, never sent, gone with the page. */
  invalid: number;
  /** Cells typed but not on the server yet. */
  unsent: number;
  /** Whether the browser keeps the unsent cells for the next visit (IndexedDB). */
  kept: boolean;
};

export function leaveCheck(snap: Pick<SyncSnapshot, 'outbox' | 'kept'>, invalid: number): LeaveCheck {
  return { invalid, unsent: snap.outbox.size, kept: snap.kept };
}

/** Nothing typed would be lost or left unsent. */
export const mayLeave = (c: LeaveCheck) => c.invalid === 0 && c.unsent === 0;

/** The warning before leaving: a title, one line per kind of cell left behind, and the way out. */
export function leaveWarning(c: LeaveCheck): { title: string; lines: string[]; leave: string } {
  const lines: string[] = [];
  if (c.invalid > 0) lines.push(t.invalid(c.invalid));
  if (c.unsent > 0) lines.push(c.kept ? t.unsentKept(c.unsent) : t.unsentLost(c.unsent));
  return { title: t.title(c.invalid + c.unsent), lines, leave: c.invalid > 0 || !c.kept ? t.leaveLosing : t.leave };
}
