/**
 * Marks on the 10-point scale, held as whole tenths (8,5 → 85) so every sum is an exact integer
 * and every average is an exact fraction rounded once, half up. Binary floats are never used for
 * a mark: 0,1 + 0,2 ≠ 0,3 in binary, and such an error flips results at the 5,0 / 6,5 / 8,0
 * thresholds the circulars use (domain-vn §1, "Averages").
 *
 * TT22/2021 Điều 5 khoản 2 (secondary): a mark is an integer or has one decimal.
 * TT27/2020 Điều 7 khoản 2 (primary periodic tests): integers 1–10, no 0, no decimals.
 */

/** A mark in tenths of a point, 0–100. */
export type Tenths = number;

export const MAX_TENTHS = 100;

/**
 * Rounds the non-negative fraction numerator/denominator to the nearest integer, halves up.
 * Integers only, so the answer is exact: floor((2n + d) / 2d).
 */
export function roundHalfUpRatio(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0 || numerator < 0) {
    throw new RangeError(`roundHalfUpRatio needs whole numbers, numerator ≥ 0 and denominator > 0 (got ${numerator}/${denominator})`);
  }
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

/** Σ weightᵢ·markᵢ / Σ weightᵢ, in tenths, rounded half up to one decimal. */
export function weightedAverage(parts: ReadonlyArray<{ tenths: Tenths; weight: number }>): Tenths {
  let sum = 0;
  let weights = 0;
  for (const p of parts) {
    sum += p.tenths * p.weight;
    weights += p.weight;
  }
  return roundHalfUpRatio(sum, weights);
}

/**
 * 85 → "8,5"; 80 → "8,0"; 100 → "10,0" — how an average is written everywhere it is shown: the
 * results pages, the class summary, the học bạ PDF. One decimal always (TT22/2021 rounds an
 * average to one decimal), so a column of averages reads alike, 10 included.
 */
export function formatTenths(tenths: Tenths): string {
  return `${Math.floor(tenths / 10)},${tenths % 10}`;
}

/** A mark as the teacher typed it: 8 → "8", 85 → "8,5" (no trailing ",0" on a whole mark). */
export function formatEnteredMark(tenths: Tenths): string {
  return tenths % 10 === 0 ? String(tenths / 10) : formatTenths(tenths);
}

export type MarkScale = 'tenths' | 'whole-1-10';

export type ParsedMark = { ok: true; tenths: Tenths } | { ok: false; message: string };

/** The one sentence every refusal of a periodic test score (TT27 Điều 7 khoản 2) starts with: it names both limits. */
const WHOLE_1_10 = 'Điểm kiểm tra định kì là số nguyên từ 1 đến 10';

const DECIMAL_MARK = /^(\d{1,2})(?:[.,](\d+))?$/;

/**
 * What a teacher types or pastes from Excel: "8", "8,5", "8.5", " 7,50 ", "10". A comma and a
 * point both mean the decimal separator (Excel in Vietnamese writes a comma, copied numbers often
 * a point). Refused, with a message saying what to type: more than one significant decimal
 * ("8,25" — marks carry one decimal), outside 0–10, anything not a number. On the primary scale
 * only whole marks 1–10.
 */
export function parseMark(input: string, scale: MarkScale = 'tenths'): ParsedMark {
  const text = input.trim();
  const m = DECIMAL_MARK.exec(text);
  if (!m) {
    if (text === '') return { ok: false, message: 'Chưa nhập điểm.' };
    return { ok: false, message: scale === 'tenths' ? `"${text}" không phải là điểm; hãy nhập một số từ 0 đến 10, ví dụ 8 hoặc 8,5.` : `${WHOLE_1_10}; "${text}" không phải là số.` };
  }
  const whole = Number(m[1]);
  const decimals = (m[2] ?? '').replace(/0+$/, '');
  if (scale === 'whole-1-10') {
    if (decimals !== '') return { ok: false, message: `${WHOLE_1_10}, không có phần thập phân ("${text}").` };
    if (whole < 1) return { ok: false, message: `${WHOLE_1_10}, không cho điểm 0 ("${text}").` };
    if (whole > 10) return { ok: false, message: `${WHOLE_1_10}, cao nhất là 10 ("${text}").` };
    return { ok: true, tenths: whole * 10 };
  }
  if (decimals.length > 1) return { ok: false, message: `Điểm chỉ lấy một chữ số thập phân ("${text}"); ví dụ 8,5.` };
  const tenths = whole * 10 + Number(decimals || '0');
  if (tenths > MAX_TENTHS) return { ok: false, message: `Điểm tối đa là 10 ("${text}").` };
  return { ok: true, tenths };
}
