/**
 * Calendar dates as Vietnamese schools write them (dd/mm/yyyy) and as we
 * store them (ISO yyyy-mm-dd strings, no time, no time zone).
 *
 * Dates are plain strings on purpose: a date of birth is a calendar date, not
 * an instant. Converting through a local-time `Date` is the classic way to
 * shift a birthday by one day (UTC+7 midnight is 17:00 the day before in UTC).
 */

import { INVISIBLE_RE } from '../text/clean-text.js';

export type VnDateResult = { ok: true; value: string } | { ok: false; reason: string };

// Years outside this window are almost always typos ("0215", "20015") in
// school data; the lower bound is also where Excel's 1900 date system starts.
const MIN_YEAR = 1900;
const MAX_YEAR = 2100;

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad4 = (n: number): string => String(n).padStart(4, '0');

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

const toIso = (y: number, m: number, d: number): string => `${pad4(y)}-${pad2(m)}-${pad2(d)}`;

const fail = (reason: string): VnDateResult => ({ ok: false, reason });

/** Validate numeric parts and build the result; all messages are for end users, in Vietnamese. */
const fromParts = (y: number, m: number, d: number): VnDateResult => {
  if (y < MIN_YEAR || y > MAX_YEAR) {
    return fail(`Năm ${y} nằm ngoài khoảng hỗ trợ (${MIN_YEAR}–${MAX_YEAR})`);
  }
  if (m < 1 || m > 12) {
    // A month > 12 with a day ≤ 12 is almost certainly mm/dd (US/Excel-English) order.
    const hint = m > 12 && d >= 1 && d <= 12 ? '; có thể ngày và tháng bị đảo (kiểu tháng/ngày)' : '';
    return fail(`Tháng ${pad2(m)} không hợp lệ trong ngày ${pad2(d)}/${pad2(m)}/${y}${hint}`);
  }
  if (d < 1 || d > daysInMonth(y, m)) {
    return fail(`Ngày ${pad2(d)}/${pad2(m)}/${y} không có thật — kiểm tra lại ngày và tháng`);
  }
  return { ok: true, value: toIso(y, m, d) };
};


// Day-first only. "03/02/2015" is 3 February, never 2 March: Vietnamese
// practice is dd/mm/yyyy and guessing per value would silently corrupt data.
// The separator must be the same on both sides; "." is accepted as well
// because it is common in Vietnamese documents.
const VN_RE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TWO_DIGIT_YEAR_RE = /^\d{1,2}([/.-])\d{1,2}\1\d{2}$/;

// Excel's 1900 date system: serial 1 = 1900-01-01, and serial 60 is the
// non-existent 29/02/1900 kept for Lotus 1-2-3 compatibility. Every real
// date from serial 61 (01/03/1900) on is therefore one more than its true
// day count, so its epoch is 1899-12-30 instead of 1899-12-31.
const EXCEL_FAKE_LEAP_DAY = 60;
const MS_PER_DAY = 86_400_000;
const EXCEL_EPOCH_BEFORE_BUG = Date.UTC(1899, 11, 31);
const EXCEL_EPOCH_AFTER_BUG = Date.UTC(1899, 11, 30);

const fromExcelSerial = (serial: number): VnDateResult => {
  if (!Number.isFinite(serial)) return fail('Số ngày Excel không hợp lệ');
  // The fractional part is the time of day; a date only needs the day.
  const day = Math.floor(serial);
  if (day < 1) return fail(`Số ngày Excel ${serial} nằm trước ngày 01/01/1900`);
  if (day === EXCEL_FAKE_LEAP_DAY) {
    return fail('Ngày 29/02/1900 không có thật (lỗi năm nhuận 1900 của Excel) — kiểm tra lại ngày và tháng');
  }
  const epoch = day < EXCEL_FAKE_LEAP_DAY ? EXCEL_EPOCH_BEFORE_BUG : EXCEL_EPOCH_AFTER_BUG;
  const dt = new Date(epoch + day * MS_PER_DAY);
  return fromParts(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
};

/**
 * Parse a date as it arrives from forms, CSV and Excel imports.
 *
 * - string: "dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy", "dd.mm.yyyy" (day first,
 *   always) or ISO "yyyy-mm-dd". Strings with a time part are rejected: a
 *   timestamp like "2015-02-03T17:00:00Z" may be a shifted local midnight.
 * - number: an Excel serial in the 1900 date system (see above).
 * - Date: read with UTC getters. Callers must build such Dates at UTC
 *   midnight (spreadsheet libraries do so for date cells); local-time
 *   getters would depend on the machine's time zone.
 *
 * Impossible dates are rejected with a Vietnamese reason, e.g.
 * "Ngày 31/02/2015 không có thật — kiểm tra lại ngày và tháng".
 */
export const parseVnDate = (input: string | number | Date): VnDateResult => {
  if (typeof input === 'number') return fromExcelSerial(input);
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) return fail('Ngày không hợp lệ');
    return fromParts(input.getUTCFullYear(), input.getUTCMonth() + 1, input.getUTCDate());
  }
  const s = input.replace(INVISIBLE_RE, '').trim().replace(/\s*([/.-])\s*/g, '$1');
  if (s === '') return fail('Chưa nhập ngày');
  const vn = VN_RE.exec(s);
  if (vn) return fromParts(Number(vn[4]), Number(vn[3]), Number(vn[1]));
  const iso = ISO_RE.exec(s);
  if (iso) return fromParts(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  if (TWO_DIGIT_YEAR_RE.test(s)) return fail(`Ngày "${s}" cần năm đủ 4 chữ số (ví dụ 05/09/2025)`);
  return fail(`Không hiểu ngày "${s}"; hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/09/2025`);
};

const assertIso = (iso: string): [number, number, number] => {
  const m = ISO_RE.exec(iso);
  const parsed = m ? fromParts(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
  if (!m || !parsed?.ok) throw new RangeError(`Not an ISO calendar date (yyyy-mm-dd): ${JSON.stringify(iso)}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};

/** "2015-02-03" → "03/02/2015". Throws RangeError on anything that is not a valid ISO date: a bad stored value is a bug, not user input. */
export const formatVnDate = (iso: string): string => {
  const [y, m, d] = assertIso(iso);
  return `${pad2(d)}/${pad2(m)}/${pad4(y)}`;
};

/** The ISO date `days` calendar days after `iso` (before it when negative), across months and years. */
export const addDays = (iso: string, days: number): string => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** Vietnam has used UTC+7 without daylight saving since 1975. */
export const VIETNAM_UTC_OFFSET_MINUTES = 420;

/** The day last asked for and the instants it spans: a server asks several times per request. */
let lastDay = { utcOffsetMinutes: Number.NaN, from: 0, until: 0, iso: '' };

/**
 * Today's calendar date in Vietnam (or at another fixed UTC offset).
 *
 * A fixed offset instead of `Intl`/`toLocaleDateString` with a time-zone
 * name: it needs no time-zone database (small browsers, PGlite workers) and
 * gives the same answer on a server running in UTC, where `new Date()` local
 * getters would report "yesterday" until 07:00 Vietnam time.
 */
export const isoToday = (now: Date = new Date(), utcOffsetMinutes: number = VIETNAM_UTC_OFFSET_MINUTES): string => {
  const t = now.getTime();
  if (utcOffsetMinutes === lastDay.utcOffsetMinutes && t >= lastDay.from && t < lastDay.until) return lastDay.iso;
  const offsetMs = utcOffsetMinutes * 60_000;
  const from = Math.floor((t + offsetMs) / MS_PER_DAY) * MS_PER_DAY - offsetMs;
  const local = new Date(from + offsetMs);
  lastDay = { utcOffsetMinutes, from, until: from + MS_PER_DAY, iso: toIso(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate()) };
  return lastDay.iso;
};

/**
 * An instant as Vietnamese users write it, "dd/mm/yyyy HH:mm" (24-hour clock), in Vietnam time
 * (same fixed offset as `isoToday`, so a server in UTC and a browser anywhere print the same).
 * Accepts a Date or an ISO timestamp; throws RangeError on anything that is not an instant.
 */
export const formatVnDateTime = (instant: Date | string, utcOffsetMinutes: number = VIETNAM_UTC_OFFSET_MINUTES): string => {
  const ms = (typeof instant === 'string' ? new Date(instant) : instant).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Not a point in time: ${JSON.stringify(instant)}`);
  const t = new Date(ms + utcOffsetMinutes * 60_000);
  return `${pad2(t.getUTCDate())}/${pad2(t.getUTCMonth() + 1)}/${pad4(t.getUTCFullYear())} ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}`;
};

/**
 * Age in whole completed years on a given date ("tuổi tròn").
 * Someone born on 29/02 turns a year older on 01/03 in non-leap years.
 * Throws RangeError if `onIso` is before `dobIso`: that is a data error the
 * caller must surface, not an age.
 */
export const ageOn = (dobIso: string, onIso: string): number => {
  const [by, bm, bd] = assertIso(dobIso);
  const [oy, om, od] = assertIso(onIso);
  if (onIso < dobIso) throw new RangeError(`Date ${onIso} is before date of birth ${dobIso}`);
  const hadBirthday = om > bm || (om === bm && od >= bd);
  return oy - by - (hadBirthday ? 0 : 1);
};

/**
 * Age "tính theo năm" (calendar-year age): `year − birth year`.
 * Vietnamese school-entry rules count age this way (e.g. grade 1 at 6 tuổi
 * "tính theo năm" in the primary-school charter), which differs from
 * {@link ageOn} for children born late in the year.
 */
export const ageByCalendarYear = (dobIso: string, year: number): number => {
  const [by] = assertIso(dobIso);
  return year - by;
};
