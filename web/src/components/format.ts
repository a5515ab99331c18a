import { formatVnDate, formatVnDateTime, isoToday, schoolYearLabel, schoolYearOf } from '../../../domain/index';
import { vi } from '../i18n/vi';

const nf = new Intl.NumberFormat('vi-VN');
const pf = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

/** "2015-02-03" (or an ISO timestamp) → "03/02/2015"; empty → "—". */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return vi.common.none;
  try {
    return formatVnDate(iso.slice(0, 10));
  } catch {
    return iso;
  }
}

/**
 * ISO timestamp → "03/02/2025 14:05", Vietnam time: the one way the app writes a moment (the
 * server's printouts and Excel files use the same domain rule, so screen and paper agree).
 */
export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return vi.common.none;
  try {
    return formatVnDateTime(iso);
  } catch {
    return iso;
  }
}

/** 1234 → "1.234" (Vietnamese grouping). */
export const fmtNum = (n: number | null | undefined): string => (n === null || n === undefined ? vi.common.none : nf.format(n));

/** 0.4567 share → "45,7" (decimal comma). */
export const fmtPct = (part: number, whole: number): string => (whole > 0 ? pf.format((part / whole) * 100) : '0');

export function yearLabel(y: number | null | undefined): string {
  if (y === null || y === undefined) return vi.common.none;
  try {
    return schoolYearLabel(y);
  } catch {
    return String(y);
  }
}

/**
 * The school year (start year) of today. Today is the Vietnamese calendar day (`isoToday`, UTC+7),
 * the day the server checks against, wherever the browser's clock is set.
 */
export const currentSchoolYear = (): number => schoolYearOf(isoToday());
