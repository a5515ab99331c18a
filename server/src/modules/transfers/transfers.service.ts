import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type {
  TAcceptTransfer,
  TCancelTransfer,
  TDeclineTransfer,
  TIssueTransfer,
  TRequestTransfer,
  TTransferItem,
  TTransferList,
  ZDestinationList,
  ZTransferListQuery,
} from '../../../../contracts/transfers.js';
import { formatVnDate, isoToday, joinFullName, levelTaughtProblem, placementProblem } from '../../../../domain/index.js';
import type { Database, Role, SchoolLevel, StudentRow } from '../../db/schema.js';
import { hasAny, placementOf, unitAccess } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { nameSearch } from '../../platform/name-search.js';
import { UUID_RE, newId } from '../../platform/ids.js';
import { readingDate } from '../../platform/org-tree.js';
import { subtreeIds } from '../../platform/org-tree.repo.js';
import { findClass, lockStudent, openEnrolment, unitNames } from '../students/students.repo.js';
import { moveLearner, requirePlaceableClass, requireStudent } from '../students/students.service.js';
import {
  type ListFilter,
  type TransferListRow,
  type TransferRow,
  closedSchoolsWithTransfers,
  insertTransferPair,
  listTransfers,
  lockLearnerElsewhere,
  lockTransfer,
  lookupsInLastHour,
  pendingCounts,
  pendingOfStudent,
  schoolVersion,
  searchOpenSchools,
  updateTransferPair,
} from './transfers.repo.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

export type Caller = { actor: Actor; roles: Set<Role>; ip?: string | null };
export type TransferListQuery = z.infer<typeof ZTransferListQuery>;

/** Who decides for a school that is open: the people who run it (not its teachers, not the office). */
const SCHOOL_DECIDERS: Role[] = ['principal', 'school_staff'];
/** Who decides in place of a closed school: the offices above it on its last day (docs/decisions/0005). */
const OFFICE_DECIDERS: Role[] = ['province_officer', 'district_officer'];
/** Who may ask, issue and cancel for a school (as for every other change to its records). */
const SCHOOL_ACTORS: Role[] = ['system_admin', 'principal', 'school_staff'];

export const LOOKUP_ACTION = 'school_transfer.lookup';

/**
 * The one answer for every lookup that finds nobody to ask for: unknown learner id, wrong date of
 * birth, a record that is not current, a learner already at this school. Same status, code and
 * text, from the same statements (transfers.repo lockLearnerElsewhere).
 */
export const noMatch = (): AppError =>
  notFound(
    'Không tìm thấy học sinh đang học ở trường khác có mã định danh và ngày sinh này. Hãy kiểm tra lại hai thông tin trên hồ sơ chuyển trường của học sinh.',
  );

const notPending = (): AppError =>
  conflict('transfer_not_pending', 'Yêu cầu chuyển trường này đã được xử lý trước đó (đã chuyển, bị từ chối hoặc đã huỷ). Hãy tải lại danh sách.');
const transferNotFound = (): AppError => notFound('Không tìm thấy yêu cầu chuyển trường.');
const alreadyPending = (): AppError =>
  conflict(
    'transfer_already_pending',
    'Học sinh này đang có một yêu cầu chuyển trường khác chưa được xử lý. Chỉ khi yêu cầu đó được từ chối hoặc huỷ mới gửi được yêu cầu mới.',
  );

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

/** Vietnam wall-clock time "HH:mm" of an instant (UTC+7, no DST). */
function vnTime(d: Date): string {
  return new Date(d.getTime() + 7 * 3600_000).toISOString().slice(11, 16);
}

function lookupLimited(limit: number, until: Date): AppError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new AppError(
    429,
    'transfer_lookup_limited',
    `Tài khoản này đã tra cứu học sinh để đề nghị tiếp nhận ${limit} lần trong 60 phút qua, mức tối đa để bảo vệ thông tin học sinh. Hãy thử lại sau ${vnTime(until)} (khoảng ${minutes} phút nữa).`,
    { retryAfterSeconds: seconds },
  );
}

// ---------------------------------------------------------------- checks shared by the steps

async function openSchoolInfo(db: Db | Trx, schoolId: string) {
  const v = await schoolVersion(db, schoolId);
  if (!v || v.kind !== 'school') return null;
  const today = isoToday();
  return { ...v, open: v.valid_to === null || v.valid_to > today };
}

/** The learner's current class (grade and year) at the sending school; null when not placed. */
async function fromPlacement(db: Db | Trx, student: StudentRow) {
  if (!student.current_class_id) return null;
  const cls = await findClass(db, student.school_id, student.current_class_id);
  return cls ? { grade: cls.grade, year: cls.year } : null;
}

/** The level/grade rule (domain/transfers), as a 409 with the rule's Vietnamese reason. */
async function assertPlacement(trx: Trx, student: StudentRow, toClass: { grade: number; year: number; name: string }, receivingLevels: readonly SchoolLevel[]) {
  const problem = placementProblem({ from: await fromPlacement(trx, student), to: toClass, receivingLevels });
  if (problem) throw conflict(`transfer_${problem.code}`, problem.message);
}

/**
 * Roles of the caller over a school, and whether it is closed. The permission hook already
 * turned away everyone else; this says who may decide (the school while it is open, the offices
 * above it once it is closed).
 */
async function deciderCheck(db: Db, caller: Caller, schoolId: string): Promise<void> {
  const { roles, closedOn } = await unitAccess(db, caller.actor, schoolId);
  if (closedOn) {
    if (!hasAny(roles, OFFICE_DECIDERS)) throw notFound();
    return;
  }
  if (!hasAny(roles, SCHOOL_DECIDERS)) {
    throw forbidden('Trường đang hoạt động nên hiệu trưởng hoặc cán bộ quản lý của trường tự quyết định đồng ý hay từ chối; cơ quan quản lý chỉ theo dõi.');
  }
}

async function assertReceivingOpen(db: Db | Trx, t: TransferRow) {
  const to = await openSchoolInfo(db, t.to_school_id);
  if (!to?.open) {
    throw conflict('transfer_receiving_closed', 'Trường tiếp nhận đã ngừng hoạt động nên không thể chuyển học sinh đến trường này. Hãy từ chối yêu cầu.');
  }
  return to;
}

// ---------------------------------------------------------------- ask (receiving school)

type LookupOutcome = { kind: 'limited'; until: Date } | { kind: 'no_match' } | { kind: 'created'; id: string };

/**
 * The receiving school asks for a learner (đề nghị tiếp nhận). Order matters for privacy:
 * 1. everything about the request itself is checked first (the class exists here, is of a year
 *    the school places in, of a level it teaches) — these answers say nothing about the learner;
 * 2. the account's lookups of the last hour are counted (at most `limit`; the 429 says when to retry);
 * 3. the lookup itself, audited whatever it finds; every way of not finding the learner answers
 *    the same 404 from the same statements;
 * 4. only then the learner's placement is checked and the request written (two rows, one per school).
 */
export async function requestTransfer(db: Db, caller: Caller, schoolId: string, input: TRequestTransfer, limit: number): Promise<TTransferItem> {
  const toClass = await requirePlaceableClass(db, schoolId, input.toClassId);
  const receiving = await openSchoolInfo(db, schoolId);
  if (!receiving) throw notFound();
  const taught = levelTaughtProblem(toClass.grade, receiving.school_levels, receiving.name);
  if (taught) throw badRequest('transfer_level_not_taught', taught.message);

  const outcome = await db.transaction().execute(async (trx): Promise<LookupOutcome> => {
    const { limitReachedUntil } = await lookupsInLastHour(trx, caller.actor.userId, LOOKUP_ACTION, limit);
    if (limitReachedUntil) return { kind: 'limited', until: new Date(limitReachedUntil) };
    const learner = await lockLearnerElsewhere(trx, input.learnerId, input.dateOfBirth, schoolId);
    await writeAudit(
      trx,
      caller.actor,
      { action: LOOKUP_ACTION, entity: 'school_transfer', entityId: null, orgUnitId: schoolId, after: { learnerId: input.learnerId, matched: !!learner } },
      caller.ip,
    );
    // Committed without a learner: the audit row (and so the count) stays, the answer is the 404.
    if (!learner) return { kind: 'no_match' };
    // From here the learner is known to exist: refusals may say why (they are no oracle beyond what a success says).
    if (await pendingOfStudent(trx, learner.school_id, learner.id)) throw alreadyPending();
    await assertPlacement(trx, learner, toClass, receiving.school_levels);
    const id = newId();
    const row = newPendingTransfer(caller, input, {
      id,
      kind: 'request',
      from_school_id: learner.school_id,
      to_school_id: schoolId,
      from_student_id: learner.id,
      person_id: learner.person_id,
      to_class_id: toClass.id,
    });
    await insertTransferPair(trx, row);
    await writeAudit(trx, caller.actor, { action: 'school_transfer.request', entity: 'school_transfer', entityId: id, orgUnitId: schoolId, after: row }, caller.ip);
    return { kind: 'created', id };
  });
  if (outcome.kind === 'limited') throw lookupLimited(limit, outcome.until);
  if (outcome.kind === 'no_match') throw noMatch();
  return transferItem(db, caller, schoolId, outcome.id);
}

/** A transfer as asked or issued: pending, undecided, with the initiator's date, note and account. */
function newPendingTransfer(
  caller: Caller,
  input: { effectiveDate: string; note?: string },
  who: { id: string; kind: 'request' | 'issue'; from_school_id: string; to_school_id: string; from_student_id: string; person_id: string; to_class_id: string | null },
) {
  return {
    ...who,
    status: 'pending' as const,
    effective_date: input.effectiveDate,
    note: input.note || null,
    created_by: caller.actor.userId,
    decided_by: null,
    decided_at: null,
    decision_reason: null,
    to_student_id: null,
  };
}

// ---------------------------------------------------------------- issue (sending school)

/** The sending school issues a transfer letter (giấy giới thiệu chuyển trường) for one of its learners to a named school. */
export async function issueTransfer(db: Db, caller: Caller, schoolId: string, input: TIssueTransfer): Promise<TTransferItem> {
  const student = await requireStudent(db, schoolId, input.studentId);
  if (input.toSchoolId === schoolId) throw badRequest('transfer_same_school', 'Trường tiếp nhận phải là một trường khác. Nếu học sinh đổi lớp trong trường, hãy dùng chức năng chuyển lớp.');
  const dest = await openSchoolInfo(db, input.toSchoolId);
  if (!dest?.open) throw badRequest('transfer_school_not_found', 'Không tìm thấy trường tiếp nhận đang hoạt động. Hãy chọn lại trường trong danh sách gợi ý.');
  const id = newId();
  await db.transaction().execute(async (trx) => {
    const locked = await lockStudent(trx, schoolId, student.id);
    if (!locked?.is_current) throw conflict('student_not_current', 'Học sinh không còn trong danh sách đang học của trường nên không thể chuyển trường.');
    if (await pendingOfStudent(trx, schoolId, student.id)) throw alreadyPending();
    const from = await fromPlacement(trx, locked);
    if (!from) {
      throw conflict('transfer_no_current_class', 'Học sinh chưa được xếp lớp nên chưa xác định được khối lớp. Hãy xếp lớp cho học sinh trước khi chuyển trường.');
    }
    const taught = levelTaughtProblem(from.grade, dest.school_levels, dest.name);
    if (taught) throw conflict('transfer_level_not_taught', taught.message);
    const open = await openEnrolment(trx, schoolId, student.id);
    if (open && input.effectiveDate < open.start_date) {
      throw badRequest(
        'date_before_enrolment',
        `Ngày chuyển trường (${formatVnDate(input.effectiveDate)}) không được trước ngày học sinh vào lớp hiện tại (${formatVnDate(open.start_date)}).`,
      );
    }
    const row = newPendingTransfer(caller, input, {
      id,
      kind: 'issue',
      from_school_id: schoolId,
      to_school_id: dest.id,
      from_student_id: student.id,
      person_id: locked.person_id,
      to_class_id: null,
    });
    await insertTransferPair(trx, row);
    await writeAudit(trx, caller.actor, { action: 'school_transfer.issue', entity: 'school_transfer', entityId: id, orgUnitId: schoolId, after: row }, caller.ip);
  });
  return transferItem(db, caller, schoolId, id);
}

// ---------------------------------------------------------------- decide

async function lockOwnCopy(trx: Trx, schoolId: string, transferId: string): Promise<TransferRow> {
  if (!UUID_RE.test(transferId)) throw transferNotFound();
  const t = await lockTransfer(trx, schoolId, transferId);
  if (!t) throw transferNotFound();
  return t;
}

/** Completes a transfer: the record moves (moveLearner, students-school-move.service.ts), both copies say so, one audit row for the step. */
async function complete(trx: Trx, caller: Caller, t: TransferRow, toClassId: string, action: 'school_transfer.approve' | 'school_transfer.accept', schoolId: string) {
  const receiving = await assertReceivingOpen(trx, t);
  const student = await lockStudent(trx, t.from_school_id, t.from_student_id);
  if (!student?.is_current) {
    throw conflict('transfer_student_left', 'Học sinh không còn trong danh sách đang học của trường đang học nên không thể chuyển. Hãy từ chối hoặc huỷ yêu cầu này.');
  }
  const toClass = await requirePlaceableClass(trx, t.to_school_id, toClassId);
  await assertPlacement(trx, student, toClass, receiving.school_levels);
  const toStudentId = await moveLearner(trx, caller.actor, caller.ip, {
    from: student,
    toSchoolId: t.to_school_id,
    toClass,
    effectiveDate: t.effective_date,
    note: t.note,
    transferId: t.id,
  });
  const changed = await updateTransferPair(trx, t, { status: 'completed', decided_by: caller.actor.userId, to_class_id: toClass.id, to_student_id: toStudentId });
  // Both copies were locked and pending: anything else means they disagree, and nothing may commit.
  if (changed !== 2) throw new Error(`school_transfer ${t.id}: ${changed} copies updated`);
  await writeAudit(
    trx,
    caller.actor,
    { action, entity: 'school_transfer', entityId: t.id, orgUnitId: schoolId, before: { status: t.status }, after: { status: 'completed', toClassId: toClass.id, toStudentId } },
    caller.ip,
  );
}

/** The sending school (or, once it is closed, an office above it) agrees to a request: the record moves now. */
export async function approveTransfer(db: Db, caller: Caller, schoolId: string, transferId: string): Promise<TTransferItem> {
  await deciderCheck(db, caller, schoolId);
  await db.transaction().execute(async (trx) => {
    const t = await lockOwnCopy(trx, schoolId, transferId);
    if (t.kind !== 'request' || t.from_school_id !== schoolId) {
      throw conflict('transfer_wrong_side', 'Yêu cầu này do trường bên kia quyết định; trường bạn chỉ có thể huỷ yêu cầu mình đã gửi.');
    }
    if (t.status !== 'pending') throw notPending();
    // A request always names its class (a check constraint says so).
    if (!t.to_class_id) throw new Error(`school_transfer ${t.id}: request without a class`);
    await complete(trx, caller, t, t.to_class_id, 'school_transfer.approve', schoolId);
  });
  return transferItem(db, caller, schoolId, transferId);
}

/** The receiving school accepts a transfer letter into one of its classes: the record moves now. */
export async function acceptTransfer(db: Db, caller: Caller, schoolId: string, transferId: string, input: TAcceptTransfer): Promise<TTransferItem> {
  await db.transaction().execute(async (trx) => {
    const t = await lockOwnCopy(trx, schoolId, transferId);
    if (t.kind !== 'issue' || t.to_school_id !== schoolId) {
      throw conflict('transfer_wrong_side', 'Chỉ trường được giới thiệu chuyển đến mới tiếp nhận được học sinh này.');
    }
    if (t.status !== 'pending') throw notPending();
    await complete(trx, caller, t, input.toClassId, 'school_transfer.accept', schoolId);
  });
  return transferItem(db, caller, schoolId, transferId);
}

/** The deciding side says no, with a reason: nothing moves. */
export async function declineTransfer(db: Db, caller: Caller, schoolId: string, transferId: string, input: TDeclineTransfer): Promise<TTransferItem> {
  await deciderCheck(db, caller, schoolId);
  await db.transaction().execute(async (trx) => {
    const t = await lockOwnCopy(trx, schoolId, transferId);
    const decider = t.kind === 'request' ? t.from_school_id : t.to_school_id;
    if (decider !== schoolId) {
      throw conflict('transfer_wrong_side', 'Yêu cầu này do trường bên kia quyết định; trường bạn chỉ có thể huỷ yêu cầu mình đã gửi.');
    }
    if (t.status !== 'pending') throw notPending();
    const changed = await updateTransferPair(trx, t, { status: 'declined', decided_by: caller.actor.userId, decision_reason: input.reason });
    if (changed !== 2) throw new Error(`school_transfer ${t.id}: ${changed} copies updated`);
    await writeAudit(
      trx,
      caller.actor,
      { action: 'school_transfer.decline', entity: 'school_transfer', entityId: t.id, orgUnitId: schoolId, before: { status: t.status }, after: { status: 'declined', reason: input.reason } },
      caller.ip,
    );
  });
  return transferItem(db, caller, schoolId, transferId);
}

/** The side that started it withdraws it while it is open: nothing moves. */
export async function cancelTransfer(db: Db, caller: Caller, schoolId: string, transferId: string, input: TCancelTransfer): Promise<TTransferItem> {
  await db.transaction().execute(async (trx) => {
    const t = await lockOwnCopy(trx, schoolId, transferId);
    const initiator = t.kind === 'request' ? t.to_school_id : t.from_school_id;
    if (initiator !== schoolId) {
      throw conflict('transfer_wrong_side', 'Chỉ trường đã gửi yêu cầu mới huỷ được; trường bạn có thể từ chối yêu cầu này.');
    }
    if (t.status !== 'pending') throw notPending();
    const reason = input.reason || null;
    const changed = await updateTransferPair(trx, t, { status: 'cancelled', decided_by: caller.actor.userId, decision_reason: reason });
    if (changed !== 2) throw new Error(`school_transfer ${t.id}: ${changed} copies updated`);
    await writeAudit(
      trx,
      caller.actor,
      { action: 'school_transfer.cancel', entity: 'school_transfer', entityId: t.id, orgUnitId: schoolId, before: { status: t.status }, after: { status: 'cancelled', reason } },
      caller.ip,
    );
  });
  return transferItem(db, caller, schoolId, transferId);
}

// ---------------------------------------------------------------- lists

type Actions = TTransferItem['actions'];

/** What the caller may do on one school's copy, given their roles over that school and whether it is closed. */
function actionsFor(r: TransferListRow, schoolId: string, roles: Set<Role>, closed: boolean): Actions {
  const none = { approve: false, accept: false, decline: false, cancel: false };
  if (r.status !== 'pending') return none;
  const decides = closed ? hasAny(roles, OFFICE_DECIDERS) : hasAny(roles, SCHOOL_DECIDERS);
  const decider = r.kind === 'request' ? r.from_school_id : r.to_school_id;
  const initiator = r.kind === 'request' ? r.to_school_id : r.from_school_id;
  return {
    approve: r.kind === 'request' && decider === schoolId && decides,
    accept: r.kind === 'issue' && decider === schoolId && !closed && hasAny(roles, SCHOOL_DECIDERS),
    decline: decider === schoolId && decides,
    cancel: initiator === schoolId && !closed && hasAny(roles, SCHOOL_ACTORS),
  };
}

function present(r: TransferListRow, names: Map<string, string>, direction: TTransferItem['direction'], actions: Actions): TTransferItem {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    direction,
    fromSchoolId: r.from_school_id,
    fromSchoolName: names.get(r.from_school_id) ?? '',
    toSchoolId: r.to_school_id,
    toSchoolName: names.get(r.to_school_id) ?? '',
    fromStudentId: r.from_student_id,
    toStudentId: r.to_student_id,
    learnerId: r.learner_id,
    fullName: joinFullName({ familyName: r.family_name, middleName: r.middle_name, givenName: r.given_name }),
    dateOfBirth: r.date_of_birth,
    fromClassName: r.from_class_name,
    fromGrade: r.from_grade,
    toClassName: r.to_class_name,
    toGrade: r.to_grade,
    effectiveDate: r.effective_date,
    note: r.note,
    createdAt: iso(r.created_at),
    createdByName: r.created_by_name,
    decidedAt: r.decided_at ? iso(r.decided_at) : null,
    decidedByName: r.decided_by_name,
    decisionReason: r.decision_reason,
    actions,
  };
}

async function schoolNames(db: Db, rows: TransferListRow[]) {
  return unitNames(db, [...new Set(rows.flatMap((r) => [r.from_school_id, r.to_school_id]))]);
}

/** A school's transfers: learners coming (incoming) or leaving (outgoing), open ones first. */
export async function listSchoolTransfers(db: Db, caller: Caller, schoolId: string, query: TransferListQuery): Promise<TTransferList> {
  const filter: ListFilter = {
    schoolIds: [schoolId],
    direction: query.direction ? { schoolId, way: query.direction } : undefined,
    status: query.status,
  };
  const [{ items, total }, pending, access] = await Promise.all([
    listTransfers(db, filter, query.page, query.pageSize),
    pendingCounts(db, schoolId),
    unitAccess(db, caller.actor, schoolId),
  ]);
  const names = await schoolNames(db, items);
  return {
    total,
    page: query.page,
    pageSize: query.pageSize,
    pending,
    items: items.map((r) => present(r, names, r.to_school_id === schoolId ? 'incoming' : 'outgoing', actionsFor(r, schoolId, access.roles, !!access.closedOn))),
  };
}

/** One transfer as the given school sees it (the answer to each step). */
async function transferItem(db: Db, caller: Caller, schoolId: string, id: string): Promise<TTransferItem> {
  const [{ items }, access] = await Promise.all([listTransfers(db, { schoolIds: [schoolId], id }, 1, 1), unitAccess(db, caller.actor, schoolId)]);
  const r = items[0];
  if (!r) throw transferNotFound();
  return present(r, await schoolNames(db, [r]), r.to_school_id === schoolId ? 'incoming' : 'outgoing', actionsFor(r, schoolId, access.roles, !!access.closedOn));
}

/**
 * An office's view: transfers that involve a school below it today, or a closed school that was
 * below it on its last day (those it decides in place of the school).
 */
export async function listOfficeTransfers(db: Db, caller: Caller, unitId: string, query: TransferListQuery): Promise<TTransferList> {
  const today = isoToday();
  // A closed office's list: the schools below it on its last day (docs/decisions/0005-closed-units.md).
  const [open, closed] = await Promise.all([subtreeIds(db, unitId, await readingDate(db, unitId, today), ['school']), closedSchoolsWithTransfers(db, today)]);
  const schoolIds = new Set(open);
  for (const s of closed) if ((await placementOf(db, s, caller.actor.treeVersion)).chain.has(unitId)) schoolIds.add(s);
  const ids = [...schoolIds];
  const [{ items, total }, pendingAll] = await Promise.all([
    listTransfers(db, { schoolIds: ids, status: query.status }, query.page, query.pageSize),
    listTransfers(db, { schoolIds: ids, status: 'pending' }, 1, 1),
  ]);
  const names = await schoolNames(db, items);
  // Offices act only for closed deciding schools: ask access once per deciding school on the page.
  const accessBySchool = new Map<string, Awaited<ReturnType<typeof unitAccess>>>();
  for (const r of items) {
    const decider = r.kind === 'request' ? r.from_school_id : r.to_school_id;
    if (!accessBySchool.has(decider)) accessBySchool.set(decider, await unitAccess(db, caller.actor, decider));
  }
  return {
    total,
    page: query.page,
    pageSize: query.pageSize,
    pending: { incoming: pendingAll.total, outgoing: 0 },
    items: items.map((r) => {
      const decider = r.kind === 'request' ? r.from_school_id : r.to_school_id;
      const access = accessBySchool.get(decider);
      const officeActs = !!access?.closedOn && r.status === 'pending' && hasAny(access.roles, OFFICE_DECIDERS);
      return present(r, names, null, { approve: officeActs && r.kind === 'request', accept: false, decline: officeActs, cancel: false });
    }),
  };
}

// ---------------------------------------------------------------- destinations

/** Open schools a transfer letter can be addressed to, by the start of name words (accent-insensitive) or code. */
export async function searchDestinations(db: Db, schoolId: string, q: string): Promise<z.infer<typeof ZDestinationList>> {
  const search = nameSearch(q);
  if (!search) return [];
  const rows = await searchOpenSchools(db, search, isoToday(), schoolId, 20);
  return rows.map((r) => ({ id: r.id, name: r.name, levels: r.school_levels, parentName: r.parent_name }));
}
