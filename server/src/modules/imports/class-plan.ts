/**
 * The class import's planner: a row names a class of the school year (compared by classKey:
 * "6 a1" is 6A1); a new name creates the class, a known one updates grade, session, multi-grade
 * and homeroom teacher, blank cells keeping the stored values. Pure: the year's classes come from
 * class-import.repo.ts, which also writes the plan.
 */
import type { ClassSession } from '../../db/schema.js';
import type { ClassCandidate } from './class-import.js';
import type { ImportPlan, PlannedRowUpdate } from './pipeline.js';
import { classKey } from './sheet-columns.js';

export type ExistingClass = {
  id: string;
  name: string;
  grade: number;
  session: ClassSession;
  is_multi_grade: boolean;
  homeroom_teacher_id: string | null;
};

/** The columns an import may change on a class. */
export type ClassValues = Omit<ExistingClass, 'id' | 'name'>;

export type PlannedClassCreate = { row: number; name: string; values: ClassValues };

export type PlannedClassUpdate = PlannedRowUpdate<ClassValues> & {
  /** The class's stored name (the file may write it differently). */
  name: string;
};

export type ClassPlan = ImportPlan<PlannedClassCreate, PlannedClassUpdate>;

export type ClassContext = { existing: ExistingClass[] };

export function planClassImport(candidates: ClassCandidate[], ctx: ClassContext): ClassPlan {
  const byKey = new Map(ctx.existing.map((c) => [classKey(c.name), c]));
  const plan: ClassPlan = { creates: [], updates: [], unchanged: [], issues: [] };
  for (const c of candidates) {
    const m = byKey.get(classKey(c.name));
    if (!m) {
      plan.creates.push({
        row: c.row,
        name: c.name,
        values: {
          grade: c.grade,
          session: c.session ?? 'full_day',
          is_multi_grade: c.isMultiGrade ?? false,
          homeroom_teacher_id: c.homeroomTeacherId ?? null,
        },
      });
      continue;
    }
    const values: ClassValues = {
      grade: c.grade,
      session: c.session ?? m.session,
      is_multi_grade: c.isMultiGrade ?? m.is_multi_grade,
      homeroom_teacher_id: c.homeroomTeacherId === undefined ? m.homeroom_teacher_id : c.homeroomTeacherId,
    };
    const changed = (Object.keys(values) as (keyof ClassValues)[]).filter((k) => values[k] !== m[k]);
    if (changed.length === 0) {
      plan.unchanged.push(c.row);
      continue;
    }
    plan.updates.push({ row: c.row, id: m.id, name: m.name, values, changed, before: Object.fromEntries(changed.map((k) => [k, m[k]])) });
  }
  return plan;
}
