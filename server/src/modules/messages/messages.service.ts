import type { Kysely, Transaction } from 'kysely';
import type { TContactSettings, TFamilyMessages, TFamilyWrite, TQuietHours, TReportMessage, TReportedMessages, TTeacherThreads, TThread, TThreadSummary } from '../../../../contracts/messages.js';
import { MESSAGE_LIMITS, formatDayMinute, joinFullName, parseDayMinute, quietHoursEnd } from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import { isGuardianOf } from '../../platform/access.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { defineJob, enqueueJob } from '../../platform/jobs.js';
import type { Caller } from '../gradebook/class-standing.js';
import { type Notice, notify } from '../notifications/notify.js';
import {
  type ContactStudent,
  type ThreadRow,
  countRecentMessages,
  delayJob,
  ensureThread,
  findContactSetting,
  findContactStudent,
  findMessage,
  findQuietHours,
  findThread,
  guardianUserIds,
  insertMessage,
  lastMessages,
  listClassSubjectTeachers,
  listReportedMessages,
  listStaffNames,
  listStudentThreads,
  listTeacherThreads,
  listThreadMessages,
  markRead,
  principalUserIds,
  reportMessage as reportMessageRow,
  saveContactSetting,
  saveQuietHours,
  setThreadClosed,
  staffUserIds,
  teachesClass,
  threadFigures,
} from './messages.repo.js';

/**
 * Messages of the contact book (issue 11 §4): a thread per child and teacher, about that child,
 * between the child's family and the homeroom teacher (the subject teachers of the class too where
 * the principal turns it on). People are named by name and role, never by a phone number or an
 * e-mail address. The homeroom thread belongs to the class's homeroom teacher of the day: a
 * replaced teacher loses it, the new one reads its history.
 */

type Db = Kysely<Database>;
type Side = 'family' | 'staff';

const studentName = (s: { family_name: string; middle_name: string; given_name: string }) => joinFullName({ familyName: s.family_name, middleName: s.middle_name, givenName: s.given_name });
const familyLabel = (s: ContactStudent) => `Phụ huynh em ${studentName(s)}`;
const honorific = (sex: string | null) => (sex === 'female' ? 'Cô' : sex === 'male' ? 'Thầy' : 'Thầy/Cô');

/** How a homeroom teacher is named to a family: "Cô Lê Thị Hoa — GVCN 6A1". */
export async function homeroomLabel(db: Db, schoolId: string, staffId: string | null, className: string): Promise<string> {
  const s = staffId ? (await listStaffNames(db, schoolId, [staffId]))[0] : undefined;
  return s ? `${honorific(s.sex)} ${studentName(s)} — GVCN ${className}` : `GVCN ${className}`;
}

/** The teachers a family may write to about a child: the homeroom teacher and, where the school allows, the class's subject teachers. */
type TeacherRef = { key: string; staffId: string | null; currentStaffId: string | null; label: string };

async function teachersOf(db: Db, schoolId: string, student: ContactStudent): Promise<TeacherRef[]> {
  const refs: TeacherRef[] = [];
  const className = student.class_name ?? '';
  const setting = await findContactSetting(db, schoolId);
  const subjectRows = setting?.subject_teacher_messages && student.current_class_id ? await listClassSubjectTeachers(db, schoolId, student.current_class_id) : [];
  const ids = [...new Set([...(student.homeroom_teacher_id ? [student.homeroom_teacher_id] : []), ...subjectRows.map((r) => r.staff_id)])];
  const names = new Map((await listStaffNames(db, schoolId, ids)).map((s) => [s.id, s]));
  const nameOf = (id: string) => {
    const s = names.get(id);
    return s ? `${honorific(s.sex)} ${studentName(s)}` : 'Giáo viên';
  };
  refs.push({ key: 'homeroom', staffId: null, currentStaffId: student.homeroom_teacher_id, label: student.homeroom_teacher_id ? `${nameOf(student.homeroom_teacher_id)} — GVCN ${className}` : `GVCN ${className}` });
  const subjects = new Map<string, string[]>();
  for (const r of subjectRows) {
    if (r.staff_id === student.homeroom_teacher_id) continue;
    const list = subjects.get(r.staff_id) ?? [];
    if (!list.includes(r.subject_name)) list.push(r.subject_name);
    subjects.set(r.staff_id, list);
  }
  for (const [staffId, list] of subjects) refs.push({ key: staffId, staffId, currentStaffId: staffId, label: `${nameOf(staffId)} — GV ${list.join(', ')} ${className}` });
  return refs;
}

/** The family's side of a child: a parent linked to the child (404 for anyone else: the child's existence is not confirmed). */
async function familyStudent(db: Db, caller: Caller, schoolId: string, studentId: string): Promise<ContactStudent> {
  const student = await findContactStudent(db, schoolId, studentId);
  if (!student || !caller.roles.has('parent') || !(await isGuardianOf(db, caller.actor, schoolId, studentId))) throw notFound('Không tìm thấy học sinh.');
  return student;
}

async function quietHoursOf(db: Db, userIds: string[]) {
  const rows = await findQuietHours(db, userIds);
  const q = rows.find((r) => r.quiet_from !== r.quiet_to);
  return q ? { from: q.quiet_from, to: q.quiet_to } : null;
}

function toMessages(rows: Awaited<ReturnType<typeof listThreadMessages>>, reader: { side: Side; userId: string }) {
  const now = Date.now();
  return rows.map((m) => ({
    id: m.id,
    side: m.side,
    author: m.author_label,
    mine: m.author_id === reader.userId,
    body: m.body,
    sentAt: new Date(m.created_at).toISOString(),
    // The family reads when the teacher will be told; once that moment has passed it no longer matters.
    notifyAt: m.notify_at && new Date(m.notify_at).getTime() > now ? new Date(m.notify_at).toISOString() : null,
    // A report is the reporter's business: each side sees only its own reports.
    reported: m.reported_at !== null && m.report_side === reader.side,
  }));
}

async function threadView(db: Db, thread: ThreadRow | undefined, ref: TeacherRef, student: ContactStudent, reader: { side: Side; userId: string }, canWrite: boolean): Promise<TThread> {
  const rows = thread ? await listThreadMessages(db, thread.id) : [];
  const readAt = thread ? (reader.side === 'family' ? thread.family_read_at : thread.staff_read_at) : null;
  const other = reader.side === 'family' ? 'staff' : 'family';
  const unread = rows.filter((m) => m.side === other && (!readAt || new Date(m.created_at) > new Date(readAt))).length;
  const last = rows.at(-1);
  return {
    id: thread?.id ?? null,
    teacherKey: ref.key,
    teacher: ref.label,
    student: studentName(student),
    studentId: student.id,
    className: student.class_name,
    closed: thread?.closed_at != null,
    unread,
    lastMessageAt: last ? new Date(last.created_at).toISOString() : null,
    lastMessage: last ? last.body.slice(0, 120) : null,
    messages: toMessages(rows, reader),
    canWrite: canWrite && thread?.closed_at == null,
    quietHours: null,
  };
}

/** Everything the family reads of a child's messages; reading marks them read on the family's side. */
export async function familyMessages(db: Db, caller: Caller, schoolId: string, studentId: string): Promise<TFamilyMessages> {
  const student = await familyStudent(db, caller, schoolId, studentId);
  const refs = await teachersOf(db, schoolId, student);
  const threads = await listStudentThreads(db, schoolId, studentId);
  const reader = { side: 'family' as const, userId: caller.actor.userId };
  const out: TThread[] = [];
  for (const ref of refs) {
    const thread = threads.find((t) => (ref.staffId === null ? t.kind === 'homeroom' : t.kind === 'subject' && t.staff_id === ref.staffId));
    const view = await threadView(db, thread, ref, student, reader, ref.currentStaffId !== null);
    const q = ref.currentStaffId ? await quietHoursOf(db, await staffUserIds(db, schoolId, ref.currentStaffId)) : null;
    out.push({ ...view, quietHours: q ? `${formatDayMinute(q.from)}–${formatDayMinute(q.to)}` : null });
    if (thread && view.unread > 0) await markRead(db, thread.id, 'family');
  }
  return { threads: out };
}

/** Refuses a sender past the limit (20 messages in 10 minutes), saying when to come back. */
async function checkRate(db: Db, userId: string) {
  const since = new Date(Date.now() - MESSAGE_LIMITS.windowMinutes * 60_000);
  const { count, oldest } = await countRecentMessages(db, userId, since);
  if (count < MESSAGE_LIMITS.perWindow) return;
  const retryAfterSeconds = Math.max(1, Math.ceil(((oldest?.getTime() ?? Date.now()) + MESSAGE_LIMITS.windowMinutes * 60_000 - Date.now()) / 1000));
  throw new AppError(429, 'message_rate_limited', `Bạn đã gửi ${count} tin nhắn trong ${MESSAGE_LIMITS.windowMinutes} phút; hãy gửi tiếp sau ${Math.ceil(retryAfterSeconds / 60)} phút.`, { retryAfterSeconds });
}

/** The notice a teacher gets of a family's message: who wrote about whom, never the text. */
const teacherNotices = (userIds: string[], schoolId: string, student: ContactStudent, threadId: string): Notice[] =>
  userIds.map((userId) => ({ userId, kind: 'message', sourceId: threadId, schoolId, studentId: student.id, title: `Tin nhắn mới từ phụ huynh em ${studentName(student)}`, body: student.class_name ? `Lớp ${student.class_name}` : '', link: `/tin-nhan?thread=${threadId}` }));

/** The job that tells the teacher of a message written in their quiet hours, when those end. */
export const messageNotice = defineJob<{ messageId: string; schoolId: string }>('message_notice', async ({ db, params }) => {
  const message = await findMessage(db, params.schoolId, params.messageId);
  if (!message) return { told: 0 };
  const thread = await findThread(db, params.schoolId, message.thread_id);
  const student = thread ? await findContactStudent(db, params.schoolId, thread.student_id) : undefined;
  if (!thread || !student) return { told: 0 };
  // The thread's teacher of the moment: a homeroom teacher replaced overnight is not told, the new one is.
  const staffId = thread.kind === 'homeroom' ? student.homeroom_teacher_id : thread.staff_id;
  const users = staffId ? await staffUserIds(db, params.schoolId, staffId) : [];
  await db.transaction().execute((trx) => notify(trx, teacherNotices(users, params.schoolId, student, thread.id), { orgUnitId: params.schoolId, createdBy: null }));
  return { told: users.length };
});

/** A parent writes to a teacher about their child: the thread is made on first use; a closed one refuses. */
export async function familyWrite(db: Db, caller: Caller, schoolId: string, studentId: string, input: TFamilyWrite): Promise<TThread> {
  const student = await familyStudent(db, caller, schoolId, studentId);
  const refs = await teachersOf(db, schoolId, student);
  const ref = refs.find((r) => r.key === input.teacher);
  if (!ref) throw new AppError(422, 'message_teacher_unknown', 'Thầy cô nhận tin nhắn: không phải giáo viên của lớp em, hoặc trường chưa cho nhắn tin với giáo viên bộ môn.');
  if (!ref.currentStaffId) throw new AppError(422, 'message_no_homeroom', `Thầy cô nhận tin nhắn: lớp ${student.class_name ?? ''} chưa có giáo viên chủ nhiệm.`);
  await checkRate(db, caller.actor.userId);
  const teacherUsers = await staffUserIds(db, schoolId, ref.currentStaffId);
  const quiet = await quietHoursOf(db, teacherUsers);
  const notifyAt = quiet ? quietHoursEnd(quiet, new Date()) : null;
  await db.transaction().execute(async (trx) => {
    const thread = await ensureThread(trx, schoolId, studentId, ref.staffId);
    if (thread.closed_at) throw conflict('thread_closed', `${ref.label} đã đóng cuộc trò chuyện này; gia đình chưa gửi thêm được tin nhắn.`);
    const id = crypto.randomUUID();
    await insertMessage(trx, { id, threadId: thread.id, schoolId, side: 'family', authorId: caller.actor.userId, authorLabel: familyLabel(student), body: input.body, notifyAt });
    if (notifyAt) {
      // Quiet hours: the message is kept, its notice waits for their end.
      const jobId = await enqueueJob(trx, { kind: messageNotice, orgUnitId: schoolId, params: { messageId: id, schoolId }, createdBy: caller.actor.userId, maxAttempts: 5 });
      await delayJob(trx, jobId, notifyAt);
    } else {
      await notify(trx, teacherNotices(teacherUsers, schoolId, student, thread.id), { orgUnitId: schoolId, createdBy: caller.actor.userId });
    }
  });
  const all = await familyMessages(db, caller, schoolId, studentId);
  const written = all.threads.find((t) => t.teacherKey === ref.key);
  if (!written) throw notFound('Không tìm thấy cuộc trò chuyện.');
  return written;
}

/** The caller as the teacher of a thread today, or null (another class's teacher, a replaced homeroom teacher). */
async function teacherOfThread(db: Db, caller: Caller, schoolId: string, thread: ThreadRow, student: ContactStudent): Promise<TeacherRef | null> {
  const staffId = caller.actor.staff?.schoolId === schoolId ? caller.actor.staff.staffId : null;
  if (!staffId) return null;
  if (thread.kind === 'homeroom') {
    if (!caller.roles.has('homeroom_teacher') || student.homeroom_teacher_id !== staffId) return null;
  } else {
    if (thread.staff_id !== staffId || !student.current_class_id || !(await teachesClass(db, schoolId, student.current_class_id, staffId))) return null;
  }
  const refs = await teachersOf(db, schoolId, student);
  // A subject teacher's thread stays readable when the school turns the setting off, but nobody writes in it.
  return refs.find((r) => (thread.kind === 'homeroom' ? r.key === 'homeroom' : r.key === thread.staff_id)) ?? { key: staffId, staffId, currentStaffId: null, label: 'Giáo viên bộ môn' };
}

async function teacherThreadContext(db: Db, caller: Caller, schoolId: string, threadId: string) {
  const thread = await findThread(db, schoolId, threadId);
  const student = thread ? await findContactStudent(db, schoolId, thread.student_id) : undefined;
  const ref = thread && student ? await teacherOfThread(db, caller, schoolId, thread, student) : null;
  if (!thread || !student || !ref) throw notFound('Không tìm thấy cuộc trò chuyện.');
  return { thread, student, ref };
}

/** The threads of the caller's classes' families, unread first, then the latest. */
export async function teacherThreads(db: Db, caller: Caller, schoolId: string): Promise<TTeacherThreads> {
  const staffId = caller.actor.staff?.schoolId === schoolId ? caller.actor.staff.staffId : null;
  if (!staffId) return { threads: [] };
  const rows = await listTeacherThreads(db, schoolId, staffId, caller.roles.has('homeroom_teacher'));
  const kept: typeof rows = [];
  for (const r of rows) if (r.kind === 'homeroom' || (r.current_class_id && (await teachesClass(db, schoolId, r.current_class_id, staffId)))) kept.push(r);
  const ids = kept.map((r) => r.id);
  const [figures, last] = await Promise.all([threadFigures(db, ids), lastMessages(db, ids)]);
  const threads: TThreadSummary[] = kept.map((r) => {
    const student = { family_name: r.family_name, middle_name: r.middle_name, given_name: r.given_name };
    const l = last.find((x) => x.thread_id === r.id);
    return {
      id: r.id,
      teacherKey: r.kind === 'homeroom' ? 'homeroom' : (r.staff_id ?? ''),
      teacher: `Phụ huynh em ${studentName(student)}`,
      student: studentName(student),
      studentId: r.student_id,
      className: r.class_name,
      closed: r.closed_at !== null,
      unread: Number(figures.find((f) => f.thread_id === r.id)?.unread_staff ?? 0),
      lastMessageAt: l ? new Date(l.created_at).toISOString() : null,
      lastMessage: l ? l.body.slice(0, 120) : null,
    };
  });
  threads.sort((a, b) => Number(b.unread > 0) - Number(a.unread > 0) || (b.lastMessageAt ?? '').localeCompare(a.lastMessageAt ?? ''));
  return { threads };
}

/** One thread as its teacher reads it; reading marks it read on the teacher's side. */
export async function teacherThread(db: Db, caller: Caller, schoolId: string, threadId: string): Promise<TThread> {
  const { thread, student, ref } = await teacherThreadContext(db, caller, schoolId, threadId);
  const view = await threadView(db, thread, ref, student, { side: 'staff', userId: caller.actor.userId }, ref.currentStaffId !== null);
  if (view.unread > 0) await markRead(db, thread.id, 'staff');
  // The teacher reads the family as the other side: "Phụ huynh em …".
  return { ...view, teacher: familyLabel(student) };
}

export async function teacherWrite(db: Db, caller: Caller, schoolId: string, threadId: string, body: string): Promise<TThread> {
  const { thread, student, ref } = await teacherThreadContext(db, caller, schoolId, threadId);
  if (thread.closed_at) throw conflict('thread_closed', 'Cuộc trò chuyện đang đóng; hãy mở lại trước khi gửi tin nhắn.');
  if (!ref.currentStaffId) throw conflict('thread_read_only', 'Trường đã tắt nhắn tin với giáo viên bộ môn; cuộc trò chuyện chỉ còn để đọc.');
  await checkRate(db, caller.actor.userId);
  const families = await guardianUserIds(db, schoolId, student.id);
  await db.transaction().execute(async (trx) => {
    await insertMessage(trx, { id: crypto.randomUUID(), threadId, schoolId, side: 'staff', authorId: caller.actor.userId, authorLabel: ref.label, body, notifyAt: null });
    await notify(
      trx,
      families.map((userId) => ({ userId, kind: 'message', sourceId: threadId, schoolId, studentId: student.id, title: `Tin nhắn mới từ ${ref.label}`, body: `Về em ${studentName(student)}`, link: `/con-cua-toi/${schoolId}/${student.id}#tin-nhan` })),
      { orgUnitId: schoolId, createdBy: caller.actor.userId },
    );
  });
  return teacherThread(db, caller, schoolId, threadId);
}

/** The teacher closes a thread (the family reads it closed and cannot write) or opens it again. Audited. */
export async function setClosed(db: Db, caller: Caller, schoolId: string, threadId: string, closed: boolean): Promise<TThread> {
  const { thread, student, ref } = await teacherThreadContext(db, caller, schoolId, threadId);
  if ((thread.closed_at !== null) !== closed) {
    await db.transaction().execute(async (trx) => {
      await setThreadClosed(trx, threadId, closed ? caller.actor.userId : null);
      await writeAudit(
        trx,
        caller.actor,
        { action: closed ? 'message_thread.close' : 'message_thread.reopen', entity: 'student', entityId: student.id, orgUnitId: schoolId, targetLabel: studentName(student), after: { thread_teacher: ref.label } },
        caller.ip,
      );
    });
  }
  return teacherThread(db, caller, schoolId, threadId);
}

/** Either side reports a message of the other side to the principal, with a reason; once per message. Audited. */
export async function reportMessage(db: Db, caller: Caller, schoolId: string, messageId: string, input: TReportMessage): Promise<{ ok: boolean }> {
  const message = await findMessage(db, schoolId, messageId);
  const thread = message ? await findThread(db, schoolId, message.thread_id) : undefined;
  const student = thread ? await findContactStudent(db, schoolId, thread.student_id) : undefined;
  if (!message || !thread || !student) throw notFound('Không tìm thấy tin nhắn.');
  let side: Side | null = null;
  if (caller.roles.has('parent') && (await isGuardianOf(db, caller.actor, schoolId, student.id))) side = 'family';
  else if (await teacherOfThread(db, caller, schoolId, thread, student)) side = 'staff';
  if (!side) throw notFound('Không tìm thấy tin nhắn.');
  if (message.side === side) throw new AppError(422, 'report_own_side', 'Chỉ báo cáo được tin nhắn của phía bên kia.');
  const principals = await principalUserIds(db, schoolId);
  await db.transaction().execute(async (trx) => {
    if (!(await reportMessageRow(trx, messageId, caller.actor.userId, side, input.reason))) throw conflict('message_already_reported', 'Tin nhắn này đã được báo cáo với hiệu trưởng.');
    await writeAudit(trx, caller.actor, { action: 'message.report', entity: 'student', entityId: student.id, orgUnitId: schoolId, targetLabel: studentName(student), after: { message_author: message.author_label, report_reason: input.reason } }, caller.ip);
    await notify(
      trx,
      principals.map((userId) => ({ userId, kind: 'message', sourceId: messageId, schoolId, studentId: null, title: 'Có tin nhắn bị báo cáo', body: `Lớp ${student.class_name ?? ''}`, link: '/tin-nhan-bao-cao' })),
      { orgUnitId: schoolId, createdBy: caller.actor.userId },
    );
  });
  return { ok: true };
}

/** The principal's list: the school's reported messages, and nothing else of any thread. */
export async function reportedMessages(db: Db, caller: Caller, schoolId: string): Promise<TReportedMessages> {
  if (!caller.roles.has('principal')) throw notFound();
  const rows = await listReportedMessages(db, schoolId);
  return {
    items: rows.map((r) => ({
      id: r.id,
      author: r.author_label,
      body: r.body,
      sentAt: new Date(r.created_at).toISOString(),
      student: studentName(r),
      className: r.class_name,
      reportedBy: r.report_side === 'family' ? `Phụ huynh em ${studentName(r)}` : (r.reporter ?? 'Giáo viên'),
      reportedAt: new Date(r.reported_at ?? r.created_at).toISOString(),
      reason: r.report_reason ?? '',
    })),
  };
}

export async function contactSettings(db: Db, schoolId: string): Promise<TContactSettings> {
  return { subjectTeacherMessages: (await findContactSetting(db, schoolId))?.subject_teacher_messages ?? false };
}

/** The principal turns messages to subject teachers on or off. Audited. */
export async function saveContactSettings(db: Db, caller: Caller, schoolId: string, input: TContactSettings): Promise<TContactSettings> {
  const before = await contactSettings(db, schoolId);
  if (before.subjectTeacherMessages !== input.subjectTeacherMessages) {
    await db.transaction().execute(async (trx: Transaction<Database>) => {
      await saveContactSetting(trx, schoolId, input.subjectTeacherMessages, caller.actor.userId);
      await writeAudit(trx, caller.actor, { action: 'contact.settings', entity: 'org_unit', entityId: schoolId, orgUnitId: schoolId, before: { subject_teacher_messages: before.subjectTeacherMessages }, after: { subject_teacher_messages: input.subjectTeacherMessages } }, caller.ip);
    });
  }
  return contactSettings(db, schoolId);
}

/** The caller's own quiet hours (a teacher's), in Vietnam time. */
export async function myQuietHours(db: Db, caller: Caller): Promise<TQuietHours> {
  const q = await quietHoursOf(db, [caller.actor.userId]);
  return q ? { quiet: true, quietFrom: formatDayMinute(q.from), quietTo: formatDayMinute(q.to) } : { quiet: false, quietFrom: '21:00', quietTo: '06:30' };
}

export async function saveMyQuietHours(db: Db, caller: Caller, input: TQuietHours): Promise<TQuietHours> {
  const from = parseDayMinute(input.quietFrom) ?? 0;
  const to = parseDayMinute(input.quietTo) ?? 0;
  if (input.quiet && from === to) throw new AppError(422, 'quiet_hours_empty', 'Giờ yên tĩnh kết thúc: phải khác giờ bắt đầu.');
  await saveQuietHours(db, caller.actor.userId, input.quiet ? { from, to } : null);
  return myQuietHours(db, caller);
}
