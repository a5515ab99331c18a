import { describe, expect, it } from 'vitest';
import { levelTaughtProblem, placementProblem } from './school-transfer.js';

const THCS = ['lower_secondary'];
const THPT = ['upper_secondary'];
const place = (from: { grade: number; year: number } | null, to: { grade: number; year: number; name?: string }, levels: string[] = THCS) =>
  placementProblem({ from, to: { name: `${to.grade}X`, ...to }, receivingLevels: levels });

describe('levelTaughtProblem — Điều lệ TT 32/2020: a school teaches the levels it was founded for', () => {
  it('a THCS school does not take a grade-10 learner, and says which levels it teaches', () => {
    const p = levelTaughtProblem(10, THCS, 'Trường THCS Lê Lợi');
    expect(p).toEqual({
      code: 'level_not_taught',
      message: 'Trường THCS Lê Lợi không dạy cấp trung học phổ thông của lớp 10 (trường dạy cấp trung học cơ sở), nên không thể tiếp nhận học sinh lớp 10.',
    });
  });
  it('a multi-level school (THCS + THPT) takes grades of both levels', () => {
    expect(levelTaughtProblem(7, ['lower_secondary', 'upper_secondary'])).toBeNull();
    expect(levelTaughtProblem(11, ['lower_secondary', 'upper_secondary'])).toBeNull();
    expect(levelTaughtProblem(4, ['lower_secondary', 'upper_secondary'])?.code).toBe('level_not_taught');
  });
  it('a school with no level recorded takes nobody', () => {
    expect(levelTaughtProblem(6, [])?.code).toBe('level_not_taught');
  });
  it('a grade outside 0–12 (or not whole) belongs to no level (Luật Giáo dục 2019, Điều 28)', () => {
    for (const g of [-1, 13, 6.5]) expect(levelTaughtProblem(g, ['primary', 'lower_secondary', 'upper_secondary', 'preschool'])?.code, String(g)).toBe('level_not_taught');
    expect(levelTaughtProblem(13, ['upper_secondary'])?.message).toBe('Trường tiếp nhận không có cấp học của lớp 13 (trường dạy cấp trung học phổ thông), nên không thể tiếp nhận học sinh lớp 13.');
  });
});

describe('placementProblem — QĐ 51/2002 (amended by TT 50/2021): a transfer continues the learner’s schooling', () => {
  it('during the year: the same grade only (grade 7 → a 7th-grade class)', () => {
    expect(place({ grade: 7, year: 2025 }, { grade: 7, year: 2025 })).toBeNull();
    const down = place({ grade: 7, year: 2025 }, { grade: 6, year: 2025, name: '6A2' });
    expect(down).toEqual({
      code: 'grade_mismatch',
      message: 'Học sinh đang học lớp 7; chuyển trường trong năm học thì phải vào một lớp 7, không vào lớp 6A2 (lớp 6). Hãy chọn một lớp 7.',
    });
    expect(place({ grade: 7, year: 2025 }, { grade: 8, year: 2025 })?.code).toBe('grade_mismatch');
  });

  it('a THPT learner is never placed in grade 6 of a THCS school (the hole of the one-sided transfer)', () => {
    const p = place({ grade: 10, year: 2025 }, { grade: 6, year: 2025, name: '6A1' }, THCS);
    expect(p?.code).toBe('grade_mismatch');
    expect(p?.message).toContain('lớp 10');
  });

  it('the receiving school must teach the level, whatever the grade fit', () => {
    expect(place({ grade: 10, year: 2025 }, { grade: 10, year: 2025 }, THCS)?.code).toBe('level_not_taught');
    expect(place({ grade: 10, year: 2025 }, { grade: 10, year: 2025 }, THPT)).toBeNull();
  });

  it('for the next school year: the next grade (promoted) or the same grade (retained), nothing else', () => {
    expect(place({ grade: 7, year: 2025 }, { grade: 8, year: 2026 })).toBeNull();
    expect(place({ grade: 7, year: 2025 }, { grade: 7, year: 2026 })).toBeNull();
    const skip = place({ grade: 7, year: 2025 }, { grade: 9, year: 2026, name: '9A1' });
    expect(skip?.code).toBe('grade_mismatch');
    expect(skip?.message).toBe(
      'Học sinh đang học lớp 7; chuyển trường sang năm học mới thì vào lớp 7 (nếu ở lại lớp) hoặc lớp 8 (nếu được lên lớp), không vào lớp 9A1 (lớp 9).',
    );
    expect(place({ grade: 7, year: 2025 }, { grade: 6, year: 2026 })?.code).toBe('grade_mismatch');
  });

  it('grade 9 → 10 and grade 5 → 6 cross into a new level: admission (tuyển sinh đầu cấp), not a transfer', () => {
    const p = place({ grade: 9, year: 2025 }, { grade: 10, year: 2026 }, ['lower_secondary', 'upper_secondary']);
    expect(p).toEqual({
      code: 'new_level_is_admission',
      message: 'Học sinh học hết lớp 9 vào lớp 10 là tuyển sinh đầu cấp, không phải chuyển trường. Hãy làm theo thủ tục tuyển sinh lớp 10.',
    });
    expect(place({ grade: 5, year: 2025 }, { grade: 6, year: 2026 }, ['primary', 'lower_secondary'])?.code).toBe('new_level_is_admission');
    expect(place({ grade: 0, year: 2025 }, { grade: 1, year: 2026 }, ['preschool', 'primary'])?.code).toBe('new_level_is_admission');
  });

  it('a class of an earlier year, or two years on, is refused with both years named', () => {
    const p = place({ grade: 7, year: 2025 }, { grade: 7, year: 2024, name: '7A9' });
    expect(p).toEqual({
      code: 'year_mismatch',
      message: 'Lớp 7A9 thuộc năm học 2024-2025, trong khi học sinh đang học năm học 2025-2026. Hãy chọn lớp của năm học này hoặc năm học tiếp theo.',
    });
    expect(place({ grade: 7, year: 2025 }, { grade: 8, year: 2027 })?.code).toBe('year_mismatch');
  });

  it('a learner not placed in any class cannot be moved: the sending school places them first', () => {
    expect(place(null, { grade: 7, year: 2025 })?.code).toBe('no_current_class');
  });
});
