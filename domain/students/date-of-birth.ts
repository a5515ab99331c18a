/**
 * Is a date of birth possible for a learner in a given grade? One rule, used by the web form,
 * the API (students service) and the Excel import.
 *
 * Sources (ages are "tính theo năm": the calendar year of the school year's start minus the birth
 * year, see {@link ageByCalendarYear}):
 * - Luật Giáo dục 2019, Điều 28 k1: grade 1 is entered at 6, grade 6 at 11, grade 10 at 15, so
 *   grade g is normally learnt at 5 + g. The same article allows learners to skip a grade (học
 *   vượt lớp, early development) and to learn above the normal age (repeating, ethnic minorities,
 *   disability, hardship, return from abroad).
 * - Điều lệ trường tiểu học (TT28/2020/TT-BGDĐT), Điều 33 k1: the listed groups may enter grade 1
 *   up to 03 years above the normal age; more than that needs the head of the education office's
 *   decision. k2: primary pupils may be older than the normal age when they repeat a grade, are
 *   ethnic-minority, disabled, … (no upper bound given).
 * - Điều lệ trường THCS/THPT (TT32/2020/TT-BGDĐT, Điều 33, replaced by TT15/2026 on 10/5/2026 —
 *   article number there not verified): grade 6 at 11 and grade 10 at 15, shifted by grades
 *   skipped or late entry; the listed groups may enter a level up to 03 years late.
 *
 * UNCERTAIN, so configurable ({@link AgeTolerance}): the law caps neither repeating nor late
 * entry by decision, so "too old" is a sanity bound, not a legal limit. The defaults: one skipped
 * grade at most (never in grade 1, where nothing can have been skipped), and up to 3 years late
 * entry plus 3 repeated years (the charters' "không quá 03 lần lưu ban trong một cấp học" reading)
 * = 6 years above the normal age. Ages more than 3 years above normal are allowed but flagged
 * ('unusual'): past the charter's 03-year late-entry limit a decision of the office is needed.
 */
import { ageByCalendarYear, formatVnDate } from '../dates/vn-date.js';

export type AgeTolerance = {
  /** Years a learner may be younger than normal for grades ≥ 2 (grades skipped). Never applies to grade 1. */
  youngerYears: number;
  /** Years a learner may be older than normal (late entry + repeats) before the date is refused. */
  olderYears: number;
  /** Years older than normal from which the age is allowed but worth a look (late entry beyond 03 years). */
  unusualAfterYears: number;
};

export const DEFAULT_AGE_TOLERANCE: AgeTolerance = { youngerYears: 1, olderYears: 6, unusualAfterYears: 3 };

/** Normal calendar-year age for grade 1–12 (Luật Giáo dục 2019 Điều 28 k1: 6 in grade 1, 11 in grade 6, 15 in grade 10). */
export const normalAgeForGrade = (grade: number): number => 5 + grade;

/** Youngest and oldest calendar-year ages allowed in a grade (1–12). */
export function ageRangeForGrade(grade: number, tolerance: AgeTolerance = DEFAULT_AGE_TOLERANCE): { min: number; max: number; normal: number } {
  const normal = normalAgeForGrade(grade);
  // A learner can only be younger than normal by grades skipped, and in grade 1 none can have been.
  const younger = Math.min(tolerance.youngerYears, grade - 1);
  return { min: normal - younger, max: normal + tolerance.olderYears, normal };
}

export type DateOfBirthCheck = {
  /** Today's date in Vietnam (ISO), see isoToday. */
  today: string;
  /** Grade of the class the learner is (or is being) placed in: 0 = preschool, 1–12; null/undefined = unknown. */
  grade?: number | null;
  /** School year of that class (start year, 2025 = "2025-2026"). Required with a grade of 1–12. */
  schoolYear?: number | null;
  tolerance?: AgeTolerance;
};

export type DateOfBirthVerdict =
  | { ok: true; unusual?: undefined }
  /** Allowed, but past the late-entry limit: a warning in the import. */
  | { ok: true; unusual: string }
  | { ok: false; message: string };

/**
 * The verdict on a valid ISO date of birth. Messages are Vietnamese sentences saying what to fix;
 * they do not name the field (the form shows them under "Ngày sinh", the API prefixes the label,
 * the import sheet has the column).
 */
export function checkDateOfBirth(dobIso: string, check: DateOfBirthCheck): DateOfBirthVerdict {
  const shown = formatVnDate(dobIso);
  if (dobIso > check.today) {
    return { ok: false, message: `Ngày ${shown} chưa tới (hôm nay là ${formatVnDate(check.today)}) — kiểm tra lại năm sinh.` };
  }
  const { grade, schoolYear } = check;
  if (grade === null || grade === undefined || grade < 1 || grade > 12 || schoolYear === null || schoolYear === undefined) return { ok: true };
  const tolerance = check.tolerance ?? DEFAULT_AGE_TOLERANCE;
  const age = ageByCalendarYear(dobIso, schoolYear);
  const { min, max, normal } = ageRangeForGrade(grade, tolerance);
  if (age < min || age > max) {
    const how = age < min ? 'mới' : 'đã';
    return {
      ok: false,
      message:
        `Sinh ngày ${shown} thì năm học ${schoolYear}-${schoolYear + 1} ${how} ${age} tuổi — khối ${grade} nhận học sinh ${min}–${max} tuổi ` +
        `tính theo năm (thường ${normal} tuổi, sinh năm ${schoolYear - normal}); kiểm tra lại năm sinh hoặc lớp.`,
    };
  }
  if (age > normal + tolerance.unusualAfterYears) {
    return { ok: true, unusual: `${age} tuổi (tính theo năm) ở khối ${grade} — hơn tuổi quy định (${normal}) quá ${tolerance.unusualAfterYears} năm; kiểm tra lại ngày sinh.` };
  }
  return { ok: true };
}
