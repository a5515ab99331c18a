import type { Kysely } from 'kysely';
import { RULE_SET_LABELS, defaultTermDates, ruleSetFor, schoolYearLabel } from '../../../../domain/index.js';
import type { Database, Role } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { findGradebookClass, listClassAssignments } from './gradebook.repo.js';

/** Who asks, with the roles they hold over the school (the route's permission found them). */
export type Caller = { actor: Actor; roles: Set<Role>; ip?: string | null };

export type ClassRow = NonNullable<Awaited<ReturnType<typeof findGradebookClass>>>;
export type Assignment = Awaited<ReturnType<typeof listClassAssignments>>[number];

/**
 * The caller's relation to a class: the school's managers (the principal among them), the class's
 * homeroom teacher, and the subjects × terms they teach there. The gradebook, attendance and
 * results all decide from it; teachers are known by their staff record, not by a role alone.
 */
export type Standing = {
  principal: boolean;
  manager: boolean;
  homeroom: boolean;
  teaches: (subject: string, term?: number) => boolean;
  teachesAny: boolean;
  /** An office above the school (the route's permission checked the subtree): reads results, changes nothing. */
  office: boolean;
};

/** Who reads a class's results, its lists, exemptions, summer and summary workbook: the school's managers, the homeroom teacher, the offices above. */
export const readsResults = (s: Standing) => s.manager || s.homeroom || s.office;

export function standingOf(caller: Caller, schoolId: string, cls: ClassRow, assignments: Assignment[]): Standing {
  const staffId = caller.actor.staff?.schoolId === schoolId ? caller.actor.staff.staffId : null;
  const principal = caller.roles.has('principal');
  const teacher = caller.roles.has('subject_teacher') || caller.roles.has('homeroom_teacher');
  const own = staffId !== null && teacher ? assignments.filter((a) => a.staff_id === staffId) : [];
  return {
    principal,
    manager: principal || caller.roles.has('school_staff'),
    homeroom: staffId !== null && cls.homeroom_teacher_id === staffId && caller.roles.has('homeroom_teacher'),
    teaches: (subject, term) => own.some((a) => a.subject_code === subject && (term === undefined || a.term === term)),
    teachesAny: own.length > 0,
    office: caller.roles.has('province_officer') || caller.roles.has('district_officer'),
  };
}

/** The class with the caller's standing in it; 404 when the class is not the school's. */
export async function classWithStanding(db: Kysely<Database>, caller: Caller, schoolId: string, classId: string) {
  const [cls, assignments] = await Promise.all([findGradebookClass(db, schoolId, classId), listClassAssignments(db, schoolId, classId)]);
  if (!cls) throw notFound('Không tìm thấy lớp.');
  return { cls, assignments, standing: standingOf(caller, schoolId, cls, assignments) };
}

/** A term's first and last day: the school's calendar for the year, else the default dates. */
export function termDates(cls: Pick<ClassRow, 'year' | 'term1_start' | 'term1_end' | 'term2_start' | 'term2_end'>, term: number): { from: string; to: string } {
  const defaults = defaultTermDates(cls.year).terms[term - 1];
  const from = term === 1 ? cls.term1_start : cls.term2_start;
  const to = term === 1 ? cls.term1_end : cls.term2_end;
  return { from: from ?? defaults.start, to: to ?? defaults.end };
}

/**
 * A primary (TT27) class and the caller's standing in it, for what only TT27 has (qualities and
 * competencies, year comments, Học sinh Tiêu biểu): read by who reads its results (404 for anyone
 * else, so a class's existence is not confirmed to a stranger); `authorize` refuses a step the caller
 * may never take (403) before anything is said about the class's circular; any other class is a 422
 * naming `what` and the class's rule set.
 */
export async function primaryClassWithStanding(db: Kysely<Database>, caller: Caller, schoolId: string, classId: string, what: string, authorize?: (s: Standing, className: string) => void) {
  const found = await classWithStanding(db, caller, schoolId, classId);
  const { cls, standing } = found;
  if (!readsResults(standing)) throw notFound('Không tìm thấy lớp.');
  authorize?.(standing, cls.name);
  const ruleSet = ruleSetFor(cls.year, cls.grade);
  if (ruleSet !== 'tt27_2020') {
    throw new AppError(
      422,
      'gradebook_rule_set_unsupported',
      `${what} là của ${RULE_SET_LABELS.tt27_2020} (tiểu học). Lớp ${cls.name} năm học ${schoolYearLabel(cls.year)} đánh giá theo ${RULE_SET_LABELS[ruleSet]}.`,
    );
  }
  return found;
}
