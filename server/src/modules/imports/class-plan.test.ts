// The class planner without a database: rows and the year's classes in, a plan out.
import { describe, expect, it } from 'vitest';
import { CLASS_SHEET, type ClassCandidate, validateClassRows } from './class-import.js';
import { type ExistingClass, planClassImport } from './class-plan.js';
import { sheetOf } from './plan.test-helpers.js';

const row = (r: number, name: string, over: Partial<ClassCandidate> = {}): ClassCandidate => ({
  row: r,
  name,
  grade: Number(name[0]),
  session: null,
  isMultiGrade: null,
  homeroomTeacherId: undefined,
  ...over,
});

const stored = (id: string, name: string, over: Partial<ExistingClass> = {}): ExistingClass => ({
  id,
  name,
  grade: Number(name[0]),
  session: 'full_day',
  is_multi_grade: false,
  homeroom_teacher_id: null,
  ...over,
});

describe('class planner', () => {
  it('creates new names with the defaults, updates a known class (written either way) and leaves identical ones alone', () => {
    const plan = planClassImport(
      [
        row(2, '6A3', { session: 'morning', homeroomTeacherId: 't-duc' }),
        row(3, '7A1'),
        row(4, '6 a1', { session: 'afternoon' }),
        row(5, '6A2', { isMultiGrade: false }),
      ],
      {
        existing: [
          stored('c61', '6A1', { homeroom_teacher_id: 't-homeroom' }),
          stored('c62', '6A2', { homeroom_teacher_id: 't-math' }),
        ],
      },
    );
    expect(plan.issues).toEqual([]);
    expect(plan.creates).toEqual([
      { row: 2, name: '6A3', values: { grade: 6, session: 'morning', is_multi_grade: false, homeroom_teacher_id: 't-duc' } },
      { row: 3, name: '7A1', values: { grade: 7, session: 'full_day', is_multi_grade: false, homeroom_teacher_id: null } },
    ]);
    // "6 a1" is 6A1; its blank GVCN keeps the homeroom teacher, its name stays as stored.
    expect(plan.updates).toEqual([
      {
        row: 4,
        id: 'c61',
        name: '6A1',
        values: { grade: 6, session: 'afternoon', is_multi_grade: false, homeroom_teacher_id: 't-homeroom' },
        changed: ['session'],
        before: { session: 'full_day' },
      },
    ]);
    expect(plan.unchanged).toEqual([5]);
  });

  it('a teacher named as homeroom teacher of two classes is a warning, and both classes are still planned', () => {
    const sheet = sheetOf(CLASS_SHEET, ['Tên lớp', 'Khối', 'GVCN'], [['8A1', 8, 'Phạm Minh Đức'], ['8A2', 8, 'Phạm Minh Đức']]);
    const { candidates, issues } = validateClassRows(sheet, { staff: [{ id: 't-duc', fullName: 'Phạm Minh Đức', staffCode: 'GV001', status: 'active' }] });
    expect(issues).toEqual([{ row: 3, column: 'GVCN', value: 'Phạm Minh Đức', message: 'Giáo viên này đã là GVCN của lớp ở dòng 2', severity: 'warning' }]);
    const plan = planClassImport(candidates, { existing: [] });
    expect(plan.creates.map((c) => [c.name, c.values.homeroom_teacher_id])).toEqual([
      ['8A1', 't-duc'],
      ['8A2', 't-duc'],
    ]);
  });
});
