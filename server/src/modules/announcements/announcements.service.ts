import type { Kysely, Transaction } from 'kysely';
import { unzipSync } from 'fflate';
import {
  ANNOUNCEMENT_LIMITS,
  type TAnnouncementAudience,
  type TAnnouncementDetail,
  type TAnnouncementInput,
  type TAnnouncementSend,
  type TFamilyAnnouncement,
  type ZAnnouncementItem,
  type ZAnnouncementList,
  type ZFamilyAnnouncementList,
  ZAnnouncementAudience,
} from '../../../../contracts/announcements.js';
import type { z } from 'zod';
import { cleanText, formatVnDate, isoToday, joinFullName } from '../../../../domain/index.js';
import type { AttachmentContentType, Database, Role } from '../../db/schema.js';
import { hasAny, isGuardianOf } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { defineJob, enqueueJob } from '../../platform/jobs.js';
import { subtreeIds } from '../../platform/org-tree.repo.js';
import { markRead } from '../notifications/notifications.repo.js';
import { type Notice, notify } from '../notifications/notify.js';
import { currentYear } from '../students/students.common.js';
import {
  type AnnouncementRow,
  attachmentBody,
  claimDue,
  classesOf,
  deleteAttachment,
  familyAccounts,
  familyList,
  findById,
  findOfUnit,
  insertAnnouncement,
  insertAttachment,
  insertTargetStaff,
  insertTargetStudents,
  listAttachments,
  listOfUnit,
  readCounts,
  reachedStaff,
  reachedStudent,
  receivedList,
  recordFamilyRead,
  recordStaffRead,
  setReminded,
  setStatus,
  staffAccounts,
  unitNamesOf,
  unitToday,
  unreadFamilies,
  updateContent,
} from './announcements.repo.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

export type Caller = { actor: Actor; roles: Set<Role>; ip?: string | null };

/**
 * Who sends what (the access policy's rows announcementSend / familyAnnouncements say the same):
 * - a school: its principal and its office staff (school_staff: they write the school's notices for
 *   the principal, as they keep its records) send to the families of the whole school or of chosen
 *   classes, to the students' own accounts, and to the school's staff; they see and manage every
 *   announcement of the school. A homeroom teacher sends to the families (and students) of the
 *   class they are homeroom teacher of this school year, never another class nor the staff, and
 *   sees only their own.
 * - an office (Sở, Phòng, UBND xã): its own officers, from their own unit only (an officer of the
 *   province does not write in a commune office's name), to the staff of the schools below it
 *   today and, when it chooses, to their families.
 * The operator (system_admin) sends nothing: announcements are the schools' and offices' words.
 */
const SCHOOL_MANAGERS: Role[] = ['principal', 'school_staff'];
const OFFICE_SENDERS: Role[] = ['province_officer', 'district_officer'];
const OFFICE_KINDS = ['province_office', 'district_office', 'commune_office', 'ministry'];

type Standing =
  | { kind: 'school'; unitId: string; unitName: string; manager: boolean; classes: { id: string; name: string }[] }
  | { kind: 'office'; unitId: string; unitName: string; schools: { id: string; name: string }[] };

const notFoundAnnouncement = () => notFound('Không tìm thấy thông báo.');

/** The caller's standing over the sending unit, or 404 as for a unit they do not reach. */
async function standingOver(db: Db | Trx, caller: Caller, unitId: string): Promise<Standing> {
  const today = isoToday();
  const unit = await unitToday(db, unitId, today);
  if (!unit) throw notFound();
  if (unit.kind === 'school') {
    const manager = hasAny(caller.roles, SCHOOL_MANAGERS);
    if (!manager && !caller.roles.has('homeroom_teacher')) throw notFound();
    const { year } = await currentYear(db, unitId);
    const staff = caller.actor.staff;
    const classes = manager ? await classesOf(db, unitId, year) : staff?.schoolId === unitId ? await classesOf(db, unitId, year, staff.staffId) : [];
    return { kind: 'school', unitId, unitName: unit.name, manager, classes };
  }
  if (!OFFICE_KINDS.includes(unit.kind)) throw notFound();
  // The hook let in every office above the unit; only the unit's own officers speak for it.
  const own = caller.actor.grants.some((g) => g.orgUnitId === unitId && OFFICE_SENDERS.includes(g.role));
  if (!own) throw notFound();
  const ids = await subtreeIds(db, unitId, today, ['school']);
  const names = await unitNamesOf(db, ids, today);
  const schools = ids.map((id) => ({ id, name: names.get(id) ?? '' })).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  return { kind: 'office', unitId, unitName: unit.name, schools };
}

/** Managers and offices manage every announcement of their unit; a homeroom teacher their own. */
const canManage = (s: Standing, caller: Caller, row: AnnouncementRow) => s.kind === 'office' || s.manager || row.created_by === caller.actor.userId;

async function requireAnnouncement(db: Db | Trx, s: Standing, caller: Caller, id: string, opts: { lock?: boolean } = {}) {
  const row = await findOfUnit(db, s.unitId, id, opts);
  if (!row || !canManage(s, caller, row)) throw notFoundAnnouncement();
  return row;
}

const audienceOf = (row: AnnouncementRow): TAnnouncementAudience => ZAnnouncementAudience.parse(row.audience);

// ---------------------------------------------------------------- the audience rule

/** The audience as sent, checked against what the caller may address; refused in Vietnamese. */
function checkAudience(s: Standing, a: TAnnouncementAudience): TAnnouncementAudience {
  if (!a.families && !a.students && !a.staff) {
    throw badRequest('audience_empty', 'Người nhận: hãy chọn ít nhất một nhóm người nhận (cha mẹ học sinh, học sinh hoặc cán bộ, giáo viên).');
  }
  const classIds = [...new Set(a.classIds)];
  const schoolIds = [...new Set(a.schoolIds)];
  if (s.kind === 'school') {
    if (schoolIds.length) throw badRequest('audience_schools_not_allowed', 'Trường nhận thông báo: chỉ phòng, sở chọn trường; thông báo của trường gửi trong trường mình.');
    const known = new Set(s.classes.map((c) => c.id));
    if (!s.manager) {
      if (a.staff) throw forbidden('Giáo viên chủ nhiệm gửi thông báo cho gia đình học sinh lớp mình chủ nhiệm, không gửi cho cán bộ, giáo viên của trường.');
      if (classIds.length === 0 || classIds.some((id) => !known.has(id))) {
        throw new AppError(403, 'announcement_not_your_class', 'Lớp nhận thông báo: giáo viên chủ nhiệm chỉ gửi thông báo cho gia đình học sinh lớp mình chủ nhiệm trong năm học này.');
      }
    } else if (classIds.some((id) => !known.has(id))) {
      throw badRequest('class_not_in_school', 'Lớp nhận thông báo: có lớp không thuộc năm học hiện tại của trường. Hãy chọn lại trong danh sách lớp.');
    }
    if (classIds.length && !a.families && !a.students) throw badRequest('audience_classes_without_families', 'Lớp nhận thông báo: đã chọn lớp thì hãy chọn gửi cho cha mẹ học sinh hoặc học sinh.');
    return { ...a, classIds, schoolIds: [] };
  }
  if (classIds.length) throw badRequest('audience_classes_not_allowed', 'Lớp nhận thông báo: thông báo của phòng, sở gửi theo trường, không chọn lớp.');
  const below = new Set(s.schools.map((x) => x.id));
  if (schoolIds.some((id) => !below.has(id))) throw badRequest('school_not_below', 'Trường nhận thông báo: chỉ chọn được các trường trực thuộc đơn vị hôm nay. Hãy chọn lại trong danh sách.');
  return { ...a, classIds: [], schoolIds };
}

/** "Cha mẹ học sinh lớp 6A1; học sinh; cán bộ, giáo viên" — the audience in words. */
function audienceText(unitKind: 'school' | 'office', a: TAnnouncementAudience, classNames: Map<string, string>, schoolCount: number): string {
  const parts: string[] = [];
  const where =
    unitKind === 'school'
      ? a.classIds.length
        ? `lớp ${a.classIds.map((id) => classNames.get(id) ?? 'đã chọn').join(', ')}`
        : 'toàn trường'
      : a.schoolIds.length
        ? `${a.schoolIds.length} trường đã chọn`
        : `các trường trực thuộc (${schoolCount})`;
  if (a.families) parts.push(`cha mẹ học sinh ${where}`);
  if (a.students) parts.push(`học sinh ${where}`);
  if (a.staff) parts.push(unitKind === 'school' ? 'cán bộ, giáo viên của trường' : `cán bộ, giáo viên ${where}`);
  const text = parts.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const isoOf = (d: Date | string) => new Date(d).toISOString();

async function itemOf(db: Db, s: Standing, caller: Caller, row: AnnouncementRow): Promise<z.infer<typeof ZAnnouncementItem>> {
  const audience = audienceOf(row);
  const classNames = new Map(s.kind === 'school' ? s.classes.map((c) => [c.id, c.name]) : []);
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    audience,
    audienceText: audienceText(s.kind, audience, classNames, s.kind === 'office' ? s.schools.length : 0),
    authorName: row.author_name,
    createdAt: isoOf(row.created_at),
    sendAt: iso(row.send_at),
    sentAt: iso(row.sent_at),
    attachmentCount: row.attachment_count,
    counts: row.status === 'sent' ? await readCounts(db, row.id, audience.students) : null,
    canManage: canManage(s, caller, row) && (row.status === 'draft' || row.status === 'scheduled'),
  };
}

// ---------------------------------------------------------------- the sender's side

export async function listAnnouncements(db: Db, caller: Caller, unitId: string): Promise<z.infer<typeof ZAnnouncementList>> {
  const s = await standingOver(db, caller, unitId);
  const rows = await listOfUnit(db, unitId, s.kind === 'school' && !s.manager ? caller.actor.userId : null, 100);
  const items = [];
  for (const r of rows) items.push(await itemOf(db, s, caller, r));
  return {
    options: {
      unitKind: s.kind,
      unitName: s.unitName,
      wholeSchool: s.kind === 'school' && s.manager,
      classes: s.kind === 'school' ? s.classes : [],
      schools: s.kind === 'office' ? s.schools : [],
    },
    items,
  };
}

export async function getAnnouncement(db: Db, caller: Caller, unitId: string, id: string): Promise<TAnnouncementDetail> {
  const s = await standingOver(db, caller, unitId);
  const row = await requireAnnouncement(db, s, caller, id);
  return detailOf(db, s, caller, row);
}

const UNREAD_LIMIT = 500;

async function detailOf(db: Db, s: Standing, caller: Caller, row: AnnouncementRow): Promise<TAnnouncementDetail> {
  const item = await itemOf(db, s, caller, row);
  const attachments = await listAttachments(db, row.id);
  let unread: TAnnouncementDetail['unread'] = [];
  let truncated = false;
  if (row.status === 'sent') {
    const rows = await unreadFamilies(db, row.id, item.audience.students, UNREAD_LIMIT + 1);
    truncated = rows.length > UNREAD_LIMIT;
    const schoolNames = await unitNamesOf(db, [...new Set(rows.map((r) => r.school_id))], isoToday());
    unread = rows.slice(0, UNREAD_LIMIT).map((r) => ({
      studentId: r.student_id,
      fullName: joinFullName({ familyName: r.family_name, middleName: r.middle_name, givenName: r.given_name }),
      className: r.class_name,
      schoolName: schoolNames.get(r.school_id) ?? '',
      linked: r.linked,
    }));
  }
  return {
    ...item,
    body: row.body,
    attachments: attachments.map((f) => ({ id: f.id, fileName: f.file_name, contentType: f.content_type, sizeBytes: f.size_bytes })),
    unread,
    unreadTruncated: truncated,
    remindedAt: iso(row.reminded_at),
  };
}

export async function createAnnouncement(db: Db, caller: Caller, unitId: string, input: TAnnouncementInput): Promise<TAnnouncementDetail> {
  const s = await standingOver(db, caller, unitId);
  const audience = checkAudience(s, input.audience);
  const id = newId();
  await db.transaction().execute((trx) => insertAnnouncement(trx, { id, org_unit_id: unitId, created_by: caller.actor.userId, title: cleanText(input.title), body: input.body, audience }));
  return getAnnouncement(db, caller, unitId, id);
}

function requireEditable(row: AnnouncementRow) {
  if (row.status === 'sent') throw conflict('announcement_already_sent', 'Thông báo này đã được gửi đi: không sửa, không huỷ được nữa. Nếu cần, hãy gửi một thông báo đính chính.');
  if (row.status === 'cancelled') throw conflict('announcement_cancelled', 'Thông báo này đã bị huỷ. Hãy soạn thông báo mới.');
}

export async function updateAnnouncement(db: Db, caller: Caller, unitId: string, id: string, input: TAnnouncementInput): Promise<TAnnouncementDetail> {
  const s = await standingOver(db, caller, unitId);
  const audience = checkAudience(s, input.audience);
  await db.transaction().execute(async (trx) => {
    const row = await requireAnnouncement(trx, s, caller, id, { lock: true });
    requireEditable(row);
    const title = cleanText(input.title);
    await updateContent(trx, id, { title, body: input.body, audience });
    // What changed in something not yet sent (above all a scheduled one, which will go out as it is now).
    const names = classNameMap(s);
    const was: Record<string, string> = { title: row.title, audienceText: audienceText(s.kind, audienceOf(row), names, schoolCount(s)), body: row.body };
    const now: Record<string, string> = { title, audienceText: audienceText(s.kind, audience, names, schoolCount(s)), body: input.body };
    const changed = Object.keys(now).filter((k) => was[k] !== now[k]);
    const pick = (o: Record<string, string>) => Object.fromEntries(changed.map((k) => [k, o[k]]));
    await writeAudit(trx, caller.actor, { action: 'announcement.edit', entity: 'announcement', entityId: id, orgUnitId: unitId, targetLabel: title, before: { status: row.status, ...pick(was) }, after: pick(now) }, caller.ip);
  });
  return getAnnouncement(db, caller, unitId, id);
}

/** Sends now, or schedules (a job that runs at sendAt; editing or cancelling before then is allowed). */
export async function sendAnnouncement(db: Db, caller: Caller, unitId: string, id: string, input: TAnnouncementSend): Promise<TAnnouncementDetail> {
  const s = await standingOver(db, caller, unitId);
  const sendAt = input.sendAt ? new Date(input.sendAt) : null;
  if (sendAt) {
    const now = Date.now();
    if (sendAt.getTime() < now + 60_000) throw badRequest('send_at_past', 'Thời điểm gửi: hãy chọn một thời điểm sau bây giờ ít nhất 1 phút, hoặc chọn "Gửi ngay".');
    if (sendAt.getTime() > now + ANNOUNCEMENT_LIMITS.scheduleDays * 86_400_000) throw badRequest('send_at_too_far', `Thời điểm gửi: chỉ hẹn gửi trong vòng ${ANNOUNCEMENT_LIMITS.scheduleDays} ngày tới.`);
  }
  await db.transaction().execute(async (trx) => {
    const row = await requireAnnouncement(trx, s, caller, id, { lock: true });
    requireEditable(row);
    // The audience is checked again: a class may have changed teacher since the draft.
    const audience = checkAudience(s, audienceOf(row));
    if (sendAt) {
      await setStatus(trx, id, { status: 'scheduled', send_at: sendAt });
      await enqueueJob(trx, { kind: sendScheduledJob, orgUnitId: unitId, params: { announcementId: id }, createdBy: caller.actor.userId, runAfter: sendAt, maxAttempts: 5 });
      await writeAudit(trx, caller.actor, { action: 'announcement.schedule', entity: 'announcement', entityId: id, orgUnitId: unitId, targetLabel: row.title, after: { audienceText: audienceText(s.kind, audience, classNameMap(s), schoolCount(s)), sendAt: sendAt.toISOString() } }, caller.ip);
    } else {
      const counts = await deliver(trx, row, s.unitName);
      await writeAudit(trx, caller.actor, { action: 'announcement.send', entity: 'announcement', entityId: id, orgUnitId: unitId, targetLabel: row.title, after: { audienceText: audienceText(s.kind, audience, classNameMap(s), schoolCount(s)), ...counts } }, caller.ip);
    }
  });
  return getAnnouncement(db, caller, unitId, id);
}

const classNameMap = (s: Standing) => new Map(s.kind === 'school' ? s.classes.map((c) => [c.id, c.name]) : []);
const schoolCount = (s: Standing) => (s.kind === 'office' ? s.schools.length : 0);

export async function cancelAnnouncement(db: Db, caller: Caller, unitId: string, id: string): Promise<TAnnouncementDetail> {
  const s = await standingOver(db, caller, unitId);
  await db.transaction().execute(async (trx) => {
    const row = await requireAnnouncement(trx, s, caller, id, { lock: true });
    requireEditable(row);
    await setStatus(trx, id, { status: 'cancelled', cancelled_at: new Date(), cancelled_by: caller.actor.userId });
    await writeAudit(trx, caller.actor, { action: 'announcement.cancel', entity: 'announcement', entityId: id, orgUnitId: unitId, targetLabel: row.title, before: { status: row.status, sendAt: iso(row.send_at) } }, caller.ip);
  });
  return getAnnouncement(db, caller, unitId, id);
}

const REMIND_AFTER_MS = 60 * 60_000;

/** Tells the families (and staff) that have not opened it yet, again; at most once an hour. */
export async function remindUnread(db: Db, caller: Caller, unitId: string, id: string): Promise<{ reminded: number }> {
  const s = await standingOver(db, caller, unitId);
  return db.transaction().execute(async (trx) => {
    const row = await requireAnnouncement(trx, s, caller, id, { lock: true });
    if (row.status !== 'sent') throw conflict('announcement_not_sent', 'Thông báo chưa được gửi đi nên chưa nhắc được.');
    const last = row.reminded_at ?? row.sent_at;
    if (last && Date.now() - new Date(last).getTime() < REMIND_AFTER_MS) {
      const next = new Date(new Date(last).getTime() + REMIND_AFTER_MS);
      throw conflict('remind_too_soon', `Vừa gửi (hoặc nhắc) lúc ${vnTime(new Date(last))}: hãy nhắc lại sau ${vnTime(next)} để gia đình không bị làm phiền.`);
    }
    const a = audienceOf(row);
    const families = await familyAccounts(trx, id, { guardians: a.families, students: a.students, onlyUnread: true });
    const staff = a.staff ? await staffAccounts(trx, id, true) : [];
    const notices = noticesFor(row, s.unitName, families, staff, 'Nhắc lại: ');
    await notify(trx, notices, { orgUnitId: unitId, createdBy: caller.actor.userId });
    const at = new Date();
    await setReminded(trx, id, at);
    await writeAudit(trx, caller.actor, { action: 'announcement.remind', entity: 'announcement', entityId: id, orgUnitId: unitId, targetLabel: row.title, after: { reminded: notices.length } }, caller.ip);
    return { reminded: notices.length };
  });
}

function vnTime(d: Date): string {
  const local = new Date(d.getTime() + 7 * 3600_000).toISOString();
  return `${local.slice(11, 16)} ngày ${formatVnDate(local.slice(0, 10))}`;
}

// ---------------------------------------------------------------- delivery (now, or by the job)

/**
 * One notice per account: a parent of two children the announcement reached gets one push and one
 * e-mail, not one per child; its link opens the first child's page (by id, so the same one on a
 * reminder), and reading it there counts for every child of theirs it reached (recordFamilyRead).
 */
function onePerAccount<T extends { user_id: string; student_id: string }>(families: T[]): T[] {
  const first = new Map<string, T>();
  for (const f of [...families].sort((a, b) => a.student_id.localeCompare(b.student_id))) if (!first.has(f.user_id)) first.set(f.user_id, f);
  return [...first.values()];
}

function noticesFor(row: AnnouncementRow, unitName: string, families: { user_id: string; student_id: string; school_id: string }[], staff: { user_id: string; school_id: string }[], prefix = ''): Notice[] {
  // What a lock screen may show: the title and who sends it, nothing more (notify.ts).
  const body = `Thông báo của ${unitName}`;
  return [
    ...onePerAccount(families).map((f) => ({ userId: f.user_id, kind: 'announcement' as const, sourceId: row.id, schoolId: f.school_id, studentId: f.student_id, title: `${prefix}${row.title}`, body, link: `/con-cua-toi/${f.school_id}/${f.student_id}?thong-bao=${row.id}` })),
    ...staff.map((m) => ({ userId: m.user_id, kind: 'announcement' as const, sourceId: row.id, schoolId: m.school_id, studentId: null, title: `${prefix}${row.title}`, body, link: `/thong-bao-nhan?thong-bao=${row.id}` })),
  ];
}

/**
 * Sends it in `trx`: the students of the audience as they are now (current students of the school
 * or classes; of every school chosen below an office), the staff accounts, then the notices in
 * every inbox through notify() — all or nothing with the status change.
 */
async function deliver(trx: Trx, row: AnnouncementRow, unitName: string): Promise<{ familyCount: number; staffCount: number; noticeCount: number }> {
  const a = audienceOf(row);
  const today = isoToday();
  const unit = await unitToday(trx, row.org_unit_id, today);
  const schoolIds = unit?.kind === 'school' ? [row.org_unit_id] : a.schoolIds.length ? a.schoolIds : await subtreeIds(trx, row.org_unit_id, today, ['school']);
  const familyCount = a.families || a.students ? await insertTargetStudents(trx, row.id, schoolIds, a.classIds) : 0;
  const staffCount = a.staff ? await insertTargetStaff(trx, row.id, schoolIds, row.created_by) : 0;
  const families = familyCount ? await familyAccounts(trx, row.id, { guardians: a.families, students: a.students }) : [];
  const staff = staffCount ? await staffAccounts(trx, row.id, false) : [];
  const notices = noticesFor(row, unitName, families, staff);
  await notify(trx, notices, { orgUnitId: row.org_unit_id, createdBy: row.created_by });
  await setStatus(trx, row.id, { status: 'sent', sent_at: new Date() });
  return { familyCount, staffCount, noticeCount: notices.length };
}

/**
 * The scheduled sending: claims the announcement only while it is still scheduled and its time
 * has come (cancelled, already sent or moved later: nothing to do — a reschedule queued its own
 * job), so it goes out exactly once whatever the job's retries.
 */
export const sendScheduledJob = defineJob<{ announcementId: string }>('announcement_send', async (ctx) => {
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await claimDue(trx, ctx.params.announcementId))) return { sent: false };
    const row = await findById(trx, ctx.params.announcementId);
    if (!row) return { sent: false };
    const unit = await unitToday(trx, row.org_unit_id, isoToday());
    const counts = await deliver(trx, row, unit?.name ?? '');
    await writeAudit(trx, null, { action: 'announcement.send', entity: 'announcement', entityId: row.id, orgUnitId: row.org_unit_id, targetLabel: row.title, after: { sendAt: iso(row.send_at), ...counts } });
    return { sent: true, ...counts };
  });
});

/** Runs the scheduled sendings that are due now (tests; the job runner does it in the server). */
export async function sendDueNow(db: Db, announcementId: string) {
  return db.transaction().execute(async (trx) => {
    if (!(await claimDue(trx, announcementId))) return false;
    const row = await findById(trx, announcementId);
    if (!row) return false;
    const unit = await unitToday(trx, row.org_unit_id, isoToday());
    await deliver(trx, row, unit?.name ?? '');
    return true;
  });
}

// ---------------------------------------------------------------- attachments

const DOCX: AttachmentContentType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX: AttachmentContentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ALLOWED: Record<string, AttachmentContentType | undefined> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  docx: DOCX,
  xlsx: XLSX,
};

/** The type the content really is (magic bytes; an Office file is a zip holding its main part), or null. */
export function sniffType(buf: Buffer): AttachmentContentType | null {
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    const names: string[] = [];
    try {
      // Only the directory is read: nothing is inflated (no zip bomb).
      unzipSync(buf, {
        filter: (f) => {
          names.push(f.name);
          return false;
        },
      });
    } catch {
      return null;
    }
    if (!names.includes('[Content_Types].xml')) return null;
    if (names.includes('word/document.xml')) return DOCX;
    if (names.includes('xl/workbook.xml')) return XLSX;
  }
  return null;
}

/** A file name as shown and downloaded: its last path part, one line, at most 200 characters (the extension kept). */
function safeFileName(name: string | undefined): string {
  const base = cleanText((name ?? '').split(/[/\\]/).pop() ?? '').replace(/["<>:|?*]/g, '_');
  if (base.length <= 200) return base;
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot) : '';
  return base.slice(0, 200 - ext.length) + ext;
}

export async function addAttachment(db: Db, caller: Caller, unitId: string, id: string, file: { body: Buffer; fileName: string | undefined }): Promise<TAnnouncementDetail> {
  const s = await standingOver(db, caller, unitId);
  const name = safeFileName(file.fileName);
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  const declared = ALLOWED[ext];
  if (!declared) throw new AppError(415, 'attachment_type', 'Tệp đính kèm: chỉ nhận tệp PDF, ảnh (PNG, JPG, WEBP), Word (.docx) hoặc Excel (.xlsx).');
  const mb = ANNOUNCEMENT_LIMITS.fileBytes / 1024 / 1024;
  if (file.body.length > ANNOUNCEMENT_LIMITS.fileBytes) throw new AppError(413, 'attachment_too_large', `Tệp đính kèm: mỗi tệp tối đa ${mb} MB; tệp "${name}" lớn hơn. Hãy nén hoặc chia nhỏ tệp.`);
  if (file.body.length === 0) throw badRequest('attachment_empty', `Tệp đính kèm: tệp "${name}" không có nội dung.`);
  if (sniffType(file.body) !== declared) {
    throw new AppError(415, 'attachment_content_mismatch', `Tệp đính kèm: nội dung tệp "${name}" không phải là tệp .${ext} thật (có thể đã bị đổi đuôi). Hãy mở và lưu lại tệp đúng định dạng rồi gửi lại.`);
  }
  await db.transaction().execute(async (trx) => {
    const row = await requireAnnouncement(trx, s, caller, id, { lock: true });
    requireEditable(row);
    if (row.attachment_count >= ANNOUNCEMENT_LIMITS.files) throw conflict('attachments_full', `Tệp đính kèm: mỗi thông báo tối đa ${ANNOUNCEMENT_LIMITS.files} tệp.`);
    await insertAttachment(trx, { id: newId(), announcement_id: id, file_name: name, content_type: declared, size_bytes: file.body.length, body: file.body });
  });
  return getAnnouncement(db, caller, unitId, id);
}

export async function removeAttachment(db: Db, caller: Caller, unitId: string, id: string, attachmentId: string): Promise<TAnnouncementDetail> {
  const s = await standingOver(db, caller, unitId);
  await db.transaction().execute(async (trx) => {
    const row = await requireAnnouncement(trx, s, caller, id, { lock: true });
    requireEditable(row);
    if (!(await deleteAttachment(trx, id, attachmentId))) throw notFound('Không tìm thấy tệp đính kèm.');
  });
  return getAnnouncement(db, caller, unitId, id);
}

export async function senderAttachment(db: Db, caller: Caller, unitId: string, id: string, attachmentId: string) {
  const s = await standingOver(db, caller, unitId);
  await requireAnnouncement(db, s, caller, id);
  const f = await attachmentBody(db, id, attachmentId);
  if (!f) throw notFound('Không tìm thấy tệp đính kèm.');
  return f;
}

// ---------------------------------------------------------------- the staff side (received)

/** What reached the caller as staff of a school or office (the school's or office's own announcements to its staff). */
export async function receivedAnnouncements(db: Db, caller: Caller): Promise<z.infer<typeof ZFamilyAnnouncementList>> {
  const rows = await receivedList(db, caller.actor.userId);
  const sender = await senderNames(db, rows);
  const items = rows.map((r) => ({ id: r.id, title: r.title, senderName: sender(r), sentAt: isoOf(r.sent_at ?? new Date(0)), read: r.read_at !== null, attachmentCount: Number(r.attachment_count ?? 0) }));
  return { items, unread: items.filter((i) => !i.read).length };
}

/** Opens one the caller received: records when (the sender's "đã đọc"), marks the inbox notices read. Else 404. */
export async function openReceivedAnnouncement(db: Db, caller: Caller, id: string): Promise<TFamilyAnnouncement> {
  if (!(await reachedStaff(db, id, caller.actor.userId))) throw notFoundAnnouncement();
  const row = await findById(db, id);
  if (!row) throw notFoundAnnouncement();
  await recordStaffRead(db, id, caller.actor.userId);
  await markRead(db, caller.actor.userId, { sourceId: id });
  return readerView(db, row);
}

export async function receivedAttachment(db: Db, caller: Caller, id: string, attachmentId: string) {
  if (!(await reachedStaff(db, id, caller.actor.userId))) throw notFoundAnnouncement();
  const f = await attachmentBody(db, id, attachmentId);
  if (!f) throw notFound('Không tìm thấy tệp đính kèm.');
  return f;
}

/** One sent announcement as a reader sees it (a family or a staff member): words, sender, files. */
async function readerView(db: Db, row: AnnouncementRow): Promise<TFamilyAnnouncement> {
  const sender = await senderNames(db, [row]);
  const attachments = await listAttachments(db, row.id);
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    senderName: sender(row),
    sentAt: isoOf(row.sent_at ?? new Date(0)),
    read: true,
    attachmentCount: attachments.length,
    attachments: attachments.map((f) => ({ id: f.id, fileName: f.file_name, contentType: f.content_type, sizeBytes: f.size_bytes })),
  };
}

// ---------------------------------------------------------------- the family side

/** The caller is this child's family: a guardian linked to them, or the student's own account. Else 404. */
async function requireFamily(db: Db, caller: Caller, schoolId: string, studentId: string) {
  const own =
    (caller.roles.has('parent') && (await isGuardianOf(db, caller.actor, schoolId, studentId))) ||
    (caller.roles.has('student') && caller.actor.student?.schoolId === schoolId && caller.actor.student.studentId === studentId);
  if (!own) throw notFound('Không tìm thấy học sinh.');
}

async function senderNames(db: Db, rows: { org_unit_id: string; author_name: string }[]) {
  const units = await unitNamesOf(db, [...new Set(rows.map((r) => r.org_unit_id))], isoToday());
  return (r: { org_unit_id: string; author_name: string }) => `${r.author_name} — ${units.get(r.org_unit_id) ?? ''}`;
}

export async function familyAnnouncements(db: Db, caller: Caller, schoolId: string, studentId: string): Promise<z.infer<typeof ZFamilyAnnouncementList>> {
  await requireFamily(db, caller, schoolId, studentId);
  const rows = await familyList(db, schoolId, studentId, caller.actor.userId);
  const sender = await senderNames(db, rows);
  const items = rows.map((r) => ({ id: r.id, title: r.title, senderName: sender(r), sentAt: isoOf(r.sent_at ?? new Date(0)), read: Boolean(r.read), attachmentCount: Number(r.attachment_count ?? 0) }));
  return { items, unread: items.filter((i) => !i.read).length };
}

/** Opens one: records the family's read receipt and marks the inbox notices read. */
export async function openFamilyAnnouncement(db: Db, caller: Caller, schoolId: string, studentId: string, id: string): Promise<TFamilyAnnouncement> {
  await requireFamily(db, caller, schoolId, studentId);
  if (!(await reachedStudent(db, id, schoolId, studentId))) throw notFoundAnnouncement();
  const row = await findById(db, id);
  if (!row) throw notFoundAnnouncement();
  await recordFamilyRead(db, id, studentId, caller.actor.userId);
  await markRead(db, caller.actor.userId, { sourceId: id });
  return readerView(db, row);
}

export async function familyAttachment(db: Db, caller: Caller, schoolId: string, studentId: string, id: string, attachmentId: string) {
  await requireFamily(db, caller, schoolId, studentId);
  if (!(await reachedStudent(db, id, schoolId, studentId))) throw notFoundAnnouncement();
  const f = await attachmentBody(db, id, attachmentId);
  if (!f) throw notFound('Không tìm thấy tệp đính kèm.');
  return f;
}
