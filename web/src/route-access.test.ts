import { describe, expect, it } from 'vitest';
import type { Role } from '../../contracts/roles';
import { homeFor, menuFor, schoolHasPart } from './route-access';

// The menu by the chosen school's levels: the preschool evaluation where the school has preschool
// classes, the gradebook, results and attendance where it has classes of grades 1–12, everything
// when the levels are not known or are not to limit (an office).
const keys = (roles: Role[], levels: Parameters<typeof menuFor>[1]) => menuFor(new Set(roles), levels).map((m) => m.key);
const SCHOOL_PAGES = ['/so-diem', '/ket-qua', '/diem-danh', '/danh-gia-tre'];
const shown = (roles: Role[], levels: Parameters<typeof menuFor>[1]) => keys(roles, levels).filter((k) => SCHOOL_PAGES.includes(k));

describe('the menu by the school’s levels', () => {
  it('a preschool-only school’s teacher sees the preschool evaluation and no gradebook, results or attendance', () => {
    expect(shown(['homeroom_teacher'], ['preschool'])).toEqual(['/danh-gia-tre']);
    expect(keys(['homeroom_teacher'], ['preschool'])).toContain('/tong-quan');
  });

  it('a THCS or primary school’s teacher sees the gradebook, results and attendance, and no preschool evaluation', () => {
    expect(shown(['homeroom_teacher'], ['lower_secondary'])).toEqual(['/so-diem', '/ket-qua', '/diem-danh']);
    expect(shown(['principal'], ['primary'])).toEqual(['/so-diem', '/ket-qua', '/diem-danh']);
  });

  it('a subject teacher who leads no class has no "Kết quả của lớp"; one who also leads a class has', () => {
    expect(shown(['subject_teacher'], ['lower_secondary'])).toEqual(['/so-diem', '/diem-danh']);
    expect(shown(['subject_teacher', 'homeroom_teacher'], ['lower_secondary'])).toEqual(['/so-diem', '/ket-qua', '/diem-danh']);
  });

  it('a school with both (liên cấp mầm non – tiểu học) shows both', () => {
    expect(shown(['principal'], ['preschool', 'primary'])).toEqual(SCHOOL_PAGES);
  });

  it('levels not known (an office, a school with no levels or classes yet) limit nothing; roles still do', () => {
    expect(shown(['principal'], null)).toEqual(SCHOOL_PAGES);
    expect(shown(['principal'], [])).toEqual(SCHOOL_PAGES);
    // The offices read results and the preschool evaluation, not gradebooks (roles, not levels).
    expect(shown(['province_officer'], null)).toEqual(['/ket-qua', '/danh-gia-tre']);
  });

  it('the direct-URL gate reads the same rule, pages of every part stay open, and home is the first page left', () => {
    expect(schoolHasPart('/so-diem/:classId/:subjectCode', ['preschool'])).toBe(false);
    expect(schoolHasPart('/danh-gia-tre', ['upper_secondary'])).toBe(false);
    expect(schoolHasPart('/hoc-sinh', ['preschool'])).toBe(true);
    expect(homeFor(new Set<Role>(['homeroom_teacher']), ['preschool'])).toBe('/tong-quan');
  });
});
