/**
 * Where a learner who changes school may be placed (chuyển trường).
 *
 * Sources (see school-transfer.test.ts for the cases each one decides):
 * - Luật Giáo dục 2019 (43/2019/QH14), Điều 28 k1: tiểu học lớp 1–5, THCS lớp 6–9, THPT lớp 10–12.
 *   Preschool (mầm non) classes carry grade 0 in this system (age groups, not grades).
 * - Điều lệ trường THCS, THPT và trường phổ thông có nhiều cấp học (TT 32/2020/TT-BGDĐT): a school
 *   teaches the levels it was founded for (the org unit's `school_levels`); its principal receives
 *   learners and issues transfer letters ("tiếp nhận, giới thiệu học sinh chuyển trường") —
 *   UNCERTAIN: article number not checked against the primary text; TT 15/2026 replaces TT 32/2020
 *   from 10/5/2026 (second-hand, research/domain-vn.md §0).
 * - Quy định chuyển trường và tiếp nhận học sinh THCS, THPT (QĐ 51/2002/QĐ-BGDĐT, amended by
 *   TT 50/2021/TT-BGDĐT): the dossier carries the sending principal's "giấy giới thiệu chuyển
 *   trường" and the receiving principal decides; a transfer happens at the end of term 1 or in the
 *   summer before the new year (exceptions by the office). A transfer continues the learner's
 *   schooling: during a year they join the same grade (UNCERTAIN: practice, not a sentence found in
 *   the text); over the summer the grade of the next year (promoted) or the same grade (retained).
 * - Entry to the first grade of a level (lớp 1, lớp 6, lớp 10) is admission (tuyển sinh đầu cấp,
 *   with its own rules and, for THPT, an admission certificate), not a transfer: a move that
 *   crosses into a new level is refused here and left to admission.
 */

import { levelOfGrade } from '../curriculum/gdpt-2018.js';

export type SchoolLevelCode = 'preschool' | 'primary' | 'lower_secondary' | 'upper_secondary';

/** Vietnamese name of each level, as schools write it. */
export const SCHOOL_LEVEL_LABEL: Record<SchoolLevelCode, string> = {
  preschool: 'mầm non',
  primary: 'tiểu học',
  lower_secondary: 'trung học cơ sở',
  upper_secondary: 'trung học phổ thông',
};

/** The level of a grade 0–12 (Luật Giáo dục 2019, Điều 28; curriculum/gdpt-2018), null for anything else. */
function levelOf(grade: number): SchoolLevelCode | null {
  return Number.isInteger(grade) && grade >= 0 && grade <= 12 ? levelOfGrade(grade) : null;
}

const gradeLabel = (grade: number): string => (grade === 0 ? 'lớp mầm non' : `lớp ${grade}`);

export type TransferProblemCode = 'level_not_taught' | 'no_current_class' | 'grade_mismatch' | 'new_level_is_admission' | 'year_mismatch';
export type TransferProblem = { code: TransferProblemCode; message: string };

/**
 * Does the receiving school teach the level of this grade? Used before anything about the learner
 * is known (the class the receiving school offers) and when a school issues a transfer letter to
 * another school (the learner's current grade).
 */
export function levelTaughtProblem(grade: number, receivingLevels: readonly string[], schoolName = 'Trường tiếp nhận'): TransferProblem | null {
  const level = levelOf(grade);
  if (level && receivingLevels.includes(level)) return null;
  const taught = receivingLevels
    .filter((l): l is SchoolLevelCode => l in SCHOOL_LEVEL_LABEL)
    .map((l) => SCHOOL_LEVEL_LABEL[l])
    .join(', ');
  return {
    code: 'level_not_taught',
    message: `${schoolName} ${level ? `không dạy cấp ${SCHOOL_LEVEL_LABEL[level]}` : 'không có cấp học'} của ${gradeLabel(grade)}${taught ? ` (trường dạy cấp ${taught})` : ''}, nên không thể tiếp nhận học sinh ${gradeLabel(grade)}.`,
  };
}

export type PlacementInput = {
  /** Grade and school year of the learner's current class at the sending school; null when not placed in a class. */
  from: { grade: number; year: number } | null;
  /** The class the receiving school places them in. */
  to: { grade: number; year: number; name: string };
  receivingLevels: readonly string[];
};

/**
 * Null when the learner may be placed in the class, else why not (in Vietnamese, saying what to
 * choose instead). Rules, in order: the receiving school teaches the class's level; the learner's
 * grade is known; the class is in the learner's current school year (same grade) or the next one
 * (same grade if retained, the next grade if promoted, never into a new level).
 */
export function placementProblem(input: PlacementInput): TransferProblem | null {
  const { from, to } = input;
  const taught = levelTaughtProblem(to.grade, input.receivingLevels);
  if (taught) return taught;
  if (!from) {
    return {
      code: 'no_current_class',
      message: 'Học sinh chưa được xếp lớp ở trường đang học nên chưa xác định được khối lớp. Trường đang học cần xếp lớp cho học sinh trước khi chuyển trường.',
    };
  }
  if (to.year === from.year) {
    if (to.grade === from.grade) return null;
    return {
      code: 'grade_mismatch',
      message: `Học sinh đang học ${gradeLabel(from.grade)}; chuyển trường trong năm học thì phải vào một ${gradeLabel(from.grade)}, không vào lớp ${to.name} (${gradeLabel(to.grade)}). Hãy chọn một ${gradeLabel(from.grade)}.`,
    };
  }
  if (to.year === from.year + 1) {
    if (to.grade === from.grade) return null;
    if (to.grade === from.grade + 1) {
      if (levelOf(to.grade) === levelOf(from.grade)) return null;
      return {
        code: 'new_level_is_admission',
        message: `Học sinh học hết ${gradeLabel(from.grade)} vào ${gradeLabel(to.grade)} là tuyển sinh đầu cấp, không phải chuyển trường. Hãy làm theo thủ tục tuyển sinh ${gradeLabel(to.grade)}.`,
      };
    }
    return {
      code: 'grade_mismatch',
      message: `Học sinh đang học ${gradeLabel(from.grade)}; chuyển trường sang năm học mới thì vào ${gradeLabel(from.grade)} (nếu ở lại lớp) hoặc ${gradeLabel(from.grade + 1)} (nếu được lên lớp), không vào lớp ${to.name} (${gradeLabel(to.grade)}).`,
    };
  }
  return {
    code: 'year_mismatch',
    message: `Lớp ${to.name} thuộc năm học ${to.year}-${to.year + 1}, trong khi học sinh đang học năm học ${from.year}-${from.year + 1}. Hãy chọn lớp của năm học này hoặc năm học tiếp theo.`,
  };
}
