import { type Kysely, type Transaction, sql } from 'kysely';
import type { AnnouncementStatus, AttachmentContentType, Database } from '../../db/schema.js';
import { validOn } from '../../platform/org-tree.repo.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** School roles whose accounts are "the school's staff" for an announcement. */
const STAFF_ROLES = ['principal', 'school_staff', 'homeroom_teacher', 'subject_teacher'] as const;

export type AnnouncementRow = {
  id: string;
  org_unit_id: string;
  created_by: string;
  author_name: string;
  title: string;
  body: string;
  audience: unknown;
  status: AnnouncementStatus;
  send_at: Date | null;
  sent_at: Date | null;
  reminded_at: Date | null;
  created_at: Date;
  attachment_count: number;
};

/** The unit's kind and name today. */
export async function unitToday(db: Db | Trx, unitId: string, today: string) {
  return db
    .selectFrom('org_unit as u')
    .innerJoin('org_unit_version as v', 'v.unit_id', 'u.id')
    .select(['u.kind', 'v.name'])
    .where('u.id', '=', unitId)
    .where(validOn(today))
    .executeTakeFirst();
}

export async function unitNamesOf(db: Db | Trx, ids: string[], today: string): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('org_unit_version as v').select(['v.unit_id', 'v.name']).where('v.unit_id', 'in', ids).where(validOn(today)).execute();
  return new Map(rows.map((r) => [r.unit_id, r.name]));
}

/** Classes of a school year, by name; optionally only those a teacher is homeroom teacher of. */
export async function classesOf(db: Db | Trx, schoolId: string, year: number, homeroomStaffId?: string) {
  let q = db.selectFrom('class').select(['id', 'name']).where('school_id', '=', schoolId).where('year', '=', year).orderBy('grade').orderBy('name');
  if (homeroomStaffId) q = q.where('homeroom_teacher_id', '=', homeroomStaffId);
  return q.execute();
}

const itemColumns = [
  'a.id',
  'a.org_unit_id',
  'a.created_by',
  'u.display_name as author_name',
  'a.title',
  'a.body',
  'a.audience',
  'a.status',
  'a.send_at',
  'a.sent_at',
  'a.reminded_at',
  'a.created_at',
] as const;

function withAttachmentCount(db: Db | Trx) {
  return db
    .selectFrom('announcement as a')
    .innerJoin('app_user as u', 'u.id', 'a.created_by')
    .select(itemColumns)
    .select((eb) => eb.selectFrom('announcement_attachment as f').select((e) => e.fn.countAll<string>().as('n')).whereRef('f.announcement_id', '=', 'a.id').as('attachment_count'));
}

const toRow = (r: Omit<AnnouncementRow, 'attachment_count'> & { attachment_count: string | number | null }): AnnouncementRow => ({ ...r, attachment_count: Number(r.attachment_count ?? 0) });

/** A unit's announcements, newest first; only one author's when `authorId` is given. */
export async function listOfUnit(db: Db, unitId: string, authorId: string | null, limit: number): Promise<AnnouncementRow[]> {
  let q = withAttachmentCount(db).where('a.org_unit_id', '=', unitId).orderBy('a.created_at', 'desc').orderBy('a.id').limit(limit);
  if (authorId) q = q.where('a.created_by', '=', authorId);
  return (await q.execute()).map(toRow);
}

export async function findOfUnit(db: Db | Trx, unitId: string, id: string, opts: { lock?: boolean } = {}): Promise<AnnouncementRow | undefined> {
  if (opts.lock) await db.selectFrom('announcement').select('id').where('id', '=', id).forUpdate().execute();
  const r = await withAttachmentCount(db).where('a.org_unit_id', '=', unitId).where('a.id', '=', id).executeTakeFirst();
  return r ? toRow(r) : undefined;
}

export async function findById(db: Db | Trx, id: string, opts: { lock?: boolean } = {}): Promise<AnnouncementRow | undefined> {
  if (opts.lock) await db.selectFrom('announcement').select('id').where('id', '=', id).forUpdate().execute();
  const r = await withAttachmentCount(db).where('a.id', '=', id).executeTakeFirst();
  return r ? toRow(r) : undefined;
}

export async function insertAnnouncement(trx: Trx, row: { id: string; org_unit_id: string; created_by: string; title: string; body: string; audience: unknown }) {
  await trx.insertInto('announcement').values({ ...row, audience: JSON.stringify(row.audience) }).execute();
}

export async function updateContent(trx: Trx, id: string, set: { title: string; body: string; audience: unknown }) {
  await trx.updateTable('announcement').set({ title: set.title, body: set.body, audience: JSON.stringify(set.audience), updated_at: new Date() }).where('id', '=', id).execute();
}

export async function setStatus(trx: Trx, id: string, set: { status: AnnouncementStatus; send_at?: Date | null; sent_at?: Date | null; cancelled_at?: Date; cancelled_by?: string }) {
  await trx.updateTable('announcement').set({ ...set, updated_at: new Date() }).where('id', '=', id).execute();
}

export async function setReminded(trx: Trx, id: string, at: Date) {
  await trx.updateTable('announcement').set({ reminded_at: at }).where('id', '=', id).execute();
}

/** Claims a scheduled announcement whose time has come (the job's one way in): null when cancelled, sent or moved later. */
export async function claimDue(trx: Trx, id: string): Promise<boolean> {
  const r = await sql<{ id: string }>`
    select id from announcement where id = ${id} and status = 'scheduled' and send_at <= now() for update`.execute(trx);
  return r.rows.length === 1;
}

// ---------------------------------------------------------------- delivery

/**
 * Writes the students whose families it reaches, as they are now: the current students of the
 * schools, or of the classes when given.
 */
export async function insertTargetStudents(trx: Trx, announcementId: string, schoolIds: string[], classIds: string[]): Promise<number> {
  if (schoolIds.length === 0) return 0;
  const classFilter = classIds.length ? sql`and s.current_class_id in (${sql.join(classIds)})` : sql``;
  const r = await sql`
    insert into announcement_student (announcement_id, school_id, student_id, class_id)
    select ${announcementId}, s.school_id, s.id, s.current_class_id from student s
     where s.school_id in (${sql.join(schoolIds)}) and s.is_current ${classFilter}
    on conflict do nothing`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

/** The family accounts of the targeted students: guardians with an active account, and the students' own when asked. */
export async function familyAccounts(db: Db | Trx, announcementId: string, opts: { guardians: boolean; students: boolean; onlyUnread?: boolean }) {
  const unread = opts.onlyUnread ? sql`and not exists (select 1 from announcement_read r where r.announcement_id = t.announcement_id and r.student_id = t.student_id)` : sql``;
  const parts = [];
  if (opts.guardians) {
    parts.push(sql`
      select distinct g.user_id, t.student_id, t.school_id from announcement_student t
        join guardian g on g.school_id = t.school_id and g.student_id = t.student_id
        join app_user u on u.id = g.user_id and u.is_active
       where t.announcement_id = ${announcementId} ${unread}`);
  }
  if (opts.students) {
    parts.push(sql`
      select u.id as user_id, t.student_id, t.school_id from announcement_student t
        join app_user u on u.student_school_id = t.school_id and u.student_id = t.student_id and u.is_active
       where t.announcement_id = ${announcementId} ${unread}`);
  }
  if (parts.length === 0) return [];
  const r = await sql<{ user_id: string; student_id: string; school_id: string }>`${sql.join(parts, sql` union `)}`.execute(db);
  return r.rows;
}

/** Writes the staff accounts it reaches (school roles granted on the schools), the sender left out. */
export async function insertTargetStaff(trx: Trx, announcementId: string, schoolIds: string[], senderId: string): Promise<number> {
  if (schoolIds.length === 0) return 0;
  const r = await sql`
    insert into announcement_staff (announcement_id, user_id, school_id)
    select distinct on (g.user_id) ${announcementId}, g.user_id, g.org_unit_id from role_grant g
      join app_user u on u.id = g.user_id and u.is_active
     where g.org_unit_id in (${sql.join(schoolIds)}) and g.role in (${sql.join([...STAFF_ROLES])}) and g.user_id <> ${senderId}
     order by g.user_id, g.org_unit_id
    on conflict do nothing`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

export async function staffAccounts(db: Db | Trx, announcementId: string, onlyUnread: boolean) {
  let q = db.selectFrom('announcement_staff').select(['user_id', 'school_id']).where('announcement_id', '=', announcementId);
  if (onlyUnread) q = q.where('read_at', 'is', null);
  return q.execute();
}

// ---------------------------------------------------------------- read receipts

export async function readCounts(db: Db, announcementId: string, students: boolean) {
  const r = await sql<{ students: string; linked: string; read: string; staff: string; staff_read: string }>`
    select
      (select count(*) from announcement_student t where t.announcement_id = ${announcementId}) as students,
      (select count(*) from announcement_student t where t.announcement_id = ${announcementId} and ${linkedSql(students)}) as linked,
      (select count(distinct r.student_id) from announcement_read r where r.announcement_id = ${announcementId}) as read,
      (select count(*) from announcement_staff s where s.announcement_id = ${announcementId}) as staff,
      (select count(*) from announcement_staff s where s.announcement_id = ${announcementId} and s.read_at is not null) as staff_read`.execute(db);
  const row = r.rows[0];
  if (!row) throw new Error('count query returned no row');
  return { students: Number(row.students), linked: Number(row.linked), read: Number(row.read), staff: Number(row.staff), staffRead: Number(row.staff_read) };
}

/** A targeted student (alias t) has a family account: a guardian's, or their own when students were addressed. */
function linkedSql(students: boolean) {
  const own = students ? sql`or exists (select 1 from app_user u where u.student_school_id = t.school_id and u.student_id = t.student_id and u.is_active)` : sql``;
  return sql`(exists (select 1 from guardian g join app_user u on u.id = g.user_id and u.is_active where g.school_id = t.school_id and g.student_id = t.student_id) ${own})`;
}

/** The families that have not opened it, by school, class and name (at most `limit`). */
export async function unreadFamilies(db: Db, announcementId: string, students: boolean, limit: number) {
  const r = await sql<{ student_id: string; family_name: string; middle_name: string; given_name: string; class_name: string | null; school_id: string; linked: boolean }>`
    select t.student_id, s.family_name, s.middle_name, s.given_name, c.name as class_name, t.school_id, ${linkedSql(students)} as linked
      from announcement_student t
      join student s on s.school_id = t.school_id and s.id = t.student_id
      left join class c on c.school_id = t.school_id and c.id = t.class_id
     where t.announcement_id = ${announcementId}
       and not exists (select 1 from announcement_read r where r.announcement_id = t.announcement_id and r.student_id = t.student_id)
     order by t.school_id, c.grade nulls last, c.name nulls last, s.name_sort_key, s.id
     limit ${limit}`.execute(db);
  return r.rows;
}

// ---------------------------------------------------------------- the family side

/** What reached this child's family (sent, through this school), newest first; `read` = this account opened it. */
export async function familyList(db: Db, schoolId: string, studentId: string, userId: string) {
  return db
    .selectFrom('announcement_student as t')
    .innerJoin('announcement as a', 'a.id', 't.announcement_id')
    .innerJoin('app_user as u', 'u.id', 'a.created_by')
    .select(['a.id', 'a.title', 'a.sent_at', 'a.org_unit_id', 'u.display_name as author_name'])
    .select((eb) => [
      eb.exists(eb.selectFrom('announcement_read as r').select('r.user_id').whereRef('r.announcement_id', '=', 'a.id').where('r.student_id', '=', studentId).where('r.user_id', '=', userId)).as('read'),
      eb.selectFrom('announcement_attachment as f').select((e) => e.fn.countAll<string>().as('n')).whereRef('f.announcement_id', '=', 'a.id').as('attachment_count'),
    ])
    .where('t.school_id', '=', schoolId)
    .where('t.student_id', '=', studentId)
    .where('a.status', '=', 'sent')
    .orderBy('a.sent_at', 'desc')
    .orderBy('a.id')
    .limit(200)
    .execute();
}

/** Whether the announcement, sent, reached this child's family. */
export async function reachedStudent(db: Db | Trx, announcementId: string, schoolId: string, studentId: string): Promise<boolean> {
  const r = await db
    .selectFrom('announcement_student as t')
    .innerJoin('announcement as a', 'a.id', 't.announcement_id')
    .select('t.student_id')
    .where('t.announcement_id', '=', announcementId)
    .where('t.school_id', '=', schoolId)
    .where('t.student_id', '=', studentId)
    .where('a.status', '=', 'sent')
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * The family read it: a receipt for the child whose page it was opened on, and for every other
 * child of this guardian the announcement reached (the same words, read by the same parent).
 */
export async function recordFamilyRead(db: Db, announcementId: string, studentId: string, userId: string) {
  await sql`
    insert into announcement_read (announcement_id, student_id, user_id)
    select t.announcement_id, t.student_id, ${userId} from announcement_student t
     where t.announcement_id = ${announcementId}
       and (t.student_id = ${studentId}
            or exists (select 1 from guardian g where g.school_id = t.school_id and g.student_id = t.student_id and g.user_id = ${userId}))
    on conflict do nothing`.execute(db);
}

// ---------------------------------------------------------------- attachments

export async function listAttachments(db: Db | Trx, announcementId: string) {
  return db.selectFrom('announcement_attachment').select(['id', 'file_name', 'content_type', 'size_bytes']).where('announcement_id', '=', announcementId).orderBy('created_at').orderBy('id').execute();
}

export async function attachmentBody(db: Db, announcementId: string, attachmentId: string) {
  return db.selectFrom('announcement_attachment').select(['file_name', 'content_type', 'body']).where('announcement_id', '=', announcementId).where('id', '=', attachmentId).executeTakeFirst();
}

export async function insertAttachment(trx: Trx, row: { id: string; announcement_id: string; file_name: string; content_type: AttachmentContentType; size_bytes: number; body: Uint8Array }) {
  await trx.insertInto('announcement_attachment').values(row).execute();
}

export async function deleteAttachment(trx: Trx, announcementId: string, attachmentId: string): Promise<boolean> {
  const r = await trx.deleteFrom('announcement_attachment').where('announcement_id', '=', announcementId).where('id', '=', attachmentId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// ---------------------------------------------------------------- the staff side (received)

/** What reached this staff account (announcement_staff), sent, newest first; `read` = opened. */
export async function receivedList(db: Db, userId: string) {
  return db
    .selectFrom('announcement_staff as s')
    .innerJoin('announcement as a', 'a.id', 's.announcement_id')
    .innerJoin('app_user as u', 'u.id', 'a.created_by')
    .select(['a.id', 'a.title', 'a.sent_at', 'a.org_unit_id', 'u.display_name as author_name', 's.read_at'])
    .select((eb) => [eb.selectFrom('announcement_attachment as f').select((e) => e.fn.countAll<string>().as('n')).whereRef('f.announcement_id', '=', 'a.id').as('attachment_count')])
    .where('s.user_id', '=', userId)
    .where('a.status', '=', 'sent')
    .orderBy('a.sent_at', 'desc')
    .orderBy('a.id')
    .limit(200)
    .execute();
}

/** Whether the announcement, sent, reached this staff account. */
export async function reachedStaff(db: Db, announcementId: string, userId: string): Promise<boolean> {
  const r = await db
    .selectFrom('announcement_staff as s')
    .innerJoin('announcement as a', 'a.id', 's.announcement_id')
    .select('s.user_id')
    .where('s.announcement_id', '=', announcementId)
    .where('s.user_id', '=', userId)
    .where('a.status', '=', 'sent')
    .executeTakeFirst();
  return r !== undefined;
}

/** The staff member opened it: the first time is the one the sender's count shows. */
export async function recordStaffRead(db: Db, announcementId: string, userId: string) {
  await db.updateTable('announcement_staff').set({ read_at: new Date() }).where('announcement_id', '=', announcementId).where('user_id', '=', userId).where('read_at', 'is', null).execute();
}
