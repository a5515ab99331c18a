import type { ClassSession, DaySession } from '../attendance/lessons.js';
import { VIETNAM_UTC_OFFSET_MINUTES, addDays } from '../dates/vn-date.js';

// The contact book's rules shared by the server and the family's screens (issue 11, items 4–5):
// a teacher's quiet hours (giờ yên tĩnh) in Vietnam time, and the school days and sessions a leave
// request (đơn xin nghỉ học) covers.

/** Minutes after midnight, Vietnam time: 0 … 1439. */
export type DayMinute = number;
export type QuietHours = { from: DayMinute; to: DayMinute };

/** "21:00" → 1260; null when it is not a time of day (24-hour clock). */
export function parseDayMinute(text: string): DayMinute | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** 390 → "06:30". */
export const formatDayMinute = (m: DayMinute): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const minuteOfDay = (now: Date, offset: number) => {
  const local = new Date(now.getTime() + offset * 60_000);
  return local.getUTCHours() * 60 + local.getUTCMinutes();
};

/**
 * Whether `now` falls in the quiet hours [from, to) in Vietnam time. Quiet hours may run across
 * midnight (21:00–06:30: from > to); from = to means none.
 */
export function inQuietHours(q: QuietHours, now: Date, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): boolean {
  if (q.from === q.to) return false;
  const m = minuteOfDay(now, utcOffsetMinutes);
  return q.from < q.to ? m >= q.from && m < q.to : m >= q.from || m < q.to;
}

/**
 * When a message written at `now` reaches the teacher: at once (null) outside the quiet hours,
 * otherwise at their end — today's `to` when it is still ahead, else tomorrow's.
 */
export function quietHoursEnd(q: QuietHours, now: Date, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): Date | null {
  if (!inQuietHours(q, now, utcOffsetMinutes)) return null;
  const m = minuteOfDay(now, utcOffsetMinutes);
  const offsetMs = utcOffsetMinutes * 60_000;
  const localMidnight = Math.floor((now.getTime() + offsetMs) / 86_400_000) * 86_400_000 - offsetMs;
  const dayShift = m < q.to ? 0 : 1;
  return new Date(localMidnight + dayShift * 86_400_000 + q.to * 60_000);
}

/** What a parent asks for: a day's morning, its afternoon, or every session the class has. */
export type LeavePart = 'morning' | 'afternoon' | 'full_day';

export const LEAVE_PART_LABELS: Record<LeavePart, string> = { morning: 'Buổi sáng', afternoon: 'Buổi chiều', full_day: 'Cả ngày' };
export const SESSION_LABELS: Record<DaySession, string> = { morning: 'sáng', afternoon: 'chiều' };

/** The sessions a class meets in a day. */
export const classSessions = (pattern: ClassSession): DaySession[] => (pattern === 'full_day' ? ['morning', 'afternoon'] : [pattern]);

/** The parts a parent may choose for a class: a half-day class has only its one session (and "cả ngày" is that session). */
export function leaveParts(pattern: ClassSession): LeavePart[] {
  return pattern === 'full_day' ? ['full_day', 'morning', 'afternoon'] : ['full_day', pattern];
}

/**
 * The sessions a part covers in a class, or null when the class has no such session (an
 * afternoon asked of a morning class).
 */
export function partSessions(part: LeavePart, pattern: ClassSession): DaySession[] | null {
  const taught = classSessions(pattern);
  if (part === 'full_day') return taught;
  return taught.includes(part) ? [part] : null;
}

/** Sunday, the day no school meets (lessons run Monday to Saturday). */
export const isSunday = (iso: string): boolean => new Date(`${iso}T00:00:00Z`).getUTCDay() === 0;

/** The school days from `from` to `to` inclusive (Sundays left out). */
export function schoolDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to && days.length < 400; d = addDays(d, 1)) if (!isSunday(d)) days.push(d);
  return days;
}

/** How far a leave request may reach: written up to 7 days after a missed day, asked up to 60 days ahead, at most 31 days long. */
export const LEAVE_LIMITS = { daysBack: 7, daysAhead: 60, maxDays: 31 } as const;

/** Message text: 1–2,000 characters; at most 20 messages per sender per 10 minutes. */
export const MESSAGE_LIMITS = { maxLength: 2000, perWindow: 20, windowMinutes: 10 } as const;
