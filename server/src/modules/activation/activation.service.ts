import type { Kysely, Transaction } from 'kysely';
import type { TActivationClass, TActivationDone, TActivationPreview, TActivationRedeem, TContactCodeAnswer } from '../../../../contracts/activation.js';
import { FAMILY_ROLES } from '../../../../contracts/roles.js';
import { addDays, ageOn, CHILD_CONSENT_AGE, consentPurpose, formatVnDate, isoToday, joinFullName } from '../../../../domain/index.js';
import type { Database, Role } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, badRequest, conflict, isUniqueViolation, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { addressKey } from '../../platform/login-throttle.js';
import { hashPassword, passwordProblem } from '../../platform/passwords.js';
import { RELATION_LABEL } from '../admin/audit-fields.js';
import { unitNamesOn } from '../auth/auth.repo.js';
import { classWithStanding } from '../gradebook/class-standing.js';
import { insertConsentRecord } from '../privacy/privacy.repo.js';
import { CODE_ALPHABET, codeHash, newActivationCode, newContactCode, normalizeCode, normalizeContactCode } from './activation-code.js';
import { activationSheetPdf, type Slip } from './activation-sheet.js';
import {
  adoptionRows,
  announcementReachRows,
  classStudents,
  codeByHash,
  giveBackAttempts,
  guardianActivations,
  guardianContacts,
  guardianLinkedTo,
  guardiansOfStudents,
  hasGrant,
  insertAccount,
  insertCodes,
  insertGrant,
  learnerByIdAndBirth,
  linkGuardian,
  lockCode,
  markCodeUsed,
  openContactCodes,
  printedCodesOf,
  pruneAttempts,
  revokeContactCodes,
  revokeUnusedCodes,
  studentAccountOf,
  studentAccountsOf,
  takeAttempts,
  usernameTaken,
} from './activation.repo.js';
import { contactCodeSender } from './contact-sender.js';

type Db = Kysely<Database>;

/** Who asks, with the roles they hold over the school (the route's permission found them). */
export type Caller = { actor: Actor; roles: Set<Role>; ip?: string | null };

/** The purpose a family consents to at activation: the contact book (domain/privacy/consent.ts). */
export const ACTIVATION_PURPOSE = 'contact_book';
/** Students get their own read-only account from this grade (issue 11). */
export const STUDENT_ACCOUNT_GRADE = 6;
/** A code sent to a guardian's contact works this long. */
export const CONTACT_CODE_MINUTES = 15;

/**
 * Wrong attempts allowed per window (docs/decisions/0010's idea: counted before the check, given
 * back when right). Per address: a carrier's shared address serves many families, so it is wide;
 * per learner id (the learner id + date of birth + sent code way) and per start of a printed code
 * (someone who read part of a slip): narrow.
 */
export const ATTEMPT_WINDOW_MINUTES = 15;
export const MAX_ATTEMPTS_PER_ADDRESS = 30;
export const MAX_ATTEMPTS_PER_TARGET = 5;

const fullNameOf = (r: { family_name: string; middle_name: string; given_name: string }) => joinFullName({ familyName: r.family_name, middleName: r.middle_name, givenName: r.given_name });
const iso = (d: Date | string | null) => (d === null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString());

// ---------------------------------------------------------------- the school's side

/** The school's managers, or the homeroom teacher of this very class (the access policy's activationSchool). */
async function classForActivation(db: Db, caller: Caller, schoolId: string, classId: string) {
  const { cls, standing } = await classWithStanding(db, caller, schoolId, classId);
  if (!standing.manager && !standing.homeroom) throw notFound('Không tìm thấy lớp.');
  return cls;
}

type CodeRow = Awaited<ReturnType<typeof printedCodesOf>>[number];
function codeInfo(row: CodeRow | undefined, now: number): TActivationClass['students'][number]['guardians'][number]['code'] {
  if (!row) return { state: 'none', printedAt: null, expiresAt: null };
  const state = row.used_at ? 'used' : row.revoked_at ? 'replaced' : new Date(row.expires_at).getTime() <= now ? 'expired' : 'unused';
  return { state, printedAt: iso(row.created_at), expiresAt: iso(row.expires_at) };
}

/** Per student of the class: each guardian (activated or not, and when), the student's own account from grade 6, and the newest code of each with its state. */
export async function activationClass(db: Db, caller: Caller, schoolId: string, classId: string, validDays: number): Promise<TActivationClass> {
  const cls = await classForActivation(db, caller, schoolId, classId);
  const students = await classStudents(db, schoolId, classId);
  const ids = students.map((s) => s.id);
  const [guardians, codes, accounts] = await Promise.all([guardiansOfStudents(db, schoolId, ids), printedCodesOf(db, schoolId, ids), studentAccountsOf(db, schoolId, ids)]);
  const activations = await guardianActivations(db, schoolId, guardians.filter((g) => g.user_id).map((g) => g.id));
  const activatedAt = new Map(activations.map((a) => [a.guardian_id, a.used_at]));
  const now = Date.now();
  const newest = (studentId: string, guardianId: string | null) => codes.find((c) => c.student_id === studentId && c.guardian_id === guardianId && c.kind === (guardianId ? 'guardian' : 'student'));
  const ownAccounts = cls.grade >= STUDENT_ACCOUNT_GRADE;
  return {
    classId: cls.id,
    className: cls.name,
    grade: cls.grade,
    validDays,
    students: students.map((s) => {
      const account = accounts.find((a) => a.student_id === s.id);
      return {
        studentId: s.id,
        fullName: fullNameOf(s),
        guardians: guardians
          .filter((g) => g.student_id === s.id)
          .map((g) => ({
            guardianId: g.id,
            fullName: g.full_name,
            relation: g.relation,
            // Linked without a code (before codes existed): activated, time unknown — said as the code's state.
            activatedAt: g.user_id ? (iso(activatedAt.get(g.id) ?? null) ?? '') : null,
            code: codeInfo(newest(s.id, g.id), now),
          })),
        ownAccount: ownAccounts ? { activatedAt: account ? iso(account.created_at) : null, code: codeInfo(newest(s.id, null), now) } : null,
      };
    }),
  };
}

/**
 * Prints the class's sheet: new codes for the chosen students (the whole class when none are
 * chosen), one per guardian not yet linked and one for the student's own account (grade 6 and up,
 * none yet). The chosen students' unused codes printed before stop working: the sheet in hand is
 * the only valid one. Codes exist in plain text only in the PDF returned.
 */
export async function printActivationSheet(
  db: Db,
  caller: Caller,
  schoolId: string,
  classId: string,
  input: { studentIds?: string[] },
  options: { validDays: number; address: string },
): Promise<{ fileName: string; body: Buffer }> {
  const cls = await classForActivation(db, caller, schoolId, classId);
  const chosen = input.studentIds?.length ? [...new Set(input.studentIds)] : undefined;
  const students = await classStudents(db, schoolId, classId, chosen);
  if (chosen && students.length !== chosen.length) {
    throw badRequest('student_not_in_class', 'Học sinh: có học sinh đã chọn không còn học lớp này. Hãy tải lại danh sách rồi chọn lại.');
  }
  const ids = students.map((s) => s.id);
  const [guardians, accounts, school] = await Promise.all([guardiansOfStudents(db, schoolId, ids), studentAccountsOf(db, schoolId, ids), unitNamesOn(db, [schoolId], isoToday())]);
  const today = isoToday();
  const expiresOn = addDays(today, options.validDays);
  const expiresAt = new Date(`${expiresOn}T23:59:59+07:00`);
  const slips: Slip[] = [];
  const rows: Parameters<typeof insertCodes>[1] = [];
  const code = (studentId: string, kind: 'guardian' | 'student', guardianId: string | null) => {
    const plain = newActivationCode();
    rows.push({ id: newId(), school_id: schoolId, student_id: studentId, kind, guardian_id: guardianId, code_hash: codeHash('printed', plain.replace(/-/g, '')), expires_at: expiresAt, created_by: caller.actor.userId });
    return plain;
  };
  for (const s of students) {
    const own = guardians.filter((g) => g.student_id === s.id);
    slips.push({
      childName: fullNameOf(s),
      className: cls.name,
      // A guardian already linked needs no code (a sibling's slip tells the family to add the child from their account).
      guardians: own.filter((g) => !g.user_id).map((g) => ({ name: g.full_name, relationLabel: RELATION_LABEL[g.relation] ?? 'Cha mẹ', code: code(s.id, 'guardian', g.id) })),
      linked: own.filter((g) => g.user_id).map((g) => ({ name: g.full_name, relationLabel: RELATION_LABEL[g.relation] ?? 'Cha mẹ' })),
      studentCode: cls.grade >= STUDENT_ACCOUNT_GRADE && !accounts.some((a) => a.student_id === s.id) ? code(s.id, 'student', null) : null,
    });
  }
  await db.transaction().execute(async (trx) => {
    await revokeUnusedCodes(trx, schoolId, ids);
    await insertCodes(trx, rows);
    await writeAudit(
      trx,
      caller.actor,
      { action: 'activation.print', entity: 'class', entityId: classId, orgUnitId: schoolId, after: { studentCount: students.length, codeCount: rows.length, expiresOn, wholeClass: !chosen } },
      caller.ip,
    );
  });
  const body = await activationSheetPdf(
    { schoolName: school[0]?.name ?? '', className: cls.name, address: options.address, expiresOn: formatVnDate(expiresOn), printedOn: formatVnDate(today) },
    slips,
  );
  return { fileName: `phieu-kich-hoat-${cls.name.replace(/[^A-Za-z0-9-]/g, '')}.pdf`, body };
}

/** The contact book's adoption in a school (the offices' overview, issue 11 item 7). */
export type Adoption = {
  students: number;
  /** Students with a code printed; with at least one guardian linked; with a linked guardian active in the last 7 days. */
  codesPrinted: number;
  familiesActivated: number;
  familiesActive7d: number;
  /** Announcements of the last 30 days that reached the school's families, the children's families reached, and those that read. */
  announcementsSent: number;
  announcementReached: number;
  announcementRead: number;
};

/** Per school: the adoption figures the offices read (counts only, never a name). */
export async function adoptionCounts(db: Db, schoolIds: string[]): Promise<Map<string, Adoption>> {
  const [rows, reach] = await Promise.all([adoptionRows(db, schoolIds), announcementReachRows(db, schoolIds)]);
  const empty = (): Adoption => ({ students: 0, codesPrinted: 0, familiesActivated: 0, familiesActive7d: 0, announcementsSent: 0, announcementReached: 0, announcementRead: 0 });
  const out = new Map(schoolIds.map((id) => [id, empty()]));
  for (const r of rows) Object.assign(out.get(r.school_id) ?? empty(), { students: Number(r.students), codesPrinted: Number(r.printed), familiesActivated: Number(r.activated), familiesActive7d: Number(r.active7) });
  for (const r of reach) Object.assign(out.get(r.school_id) ?? empty(), { announcementsSent: Number(r.sent), announcementReached: Number(r.reached), announcementRead: Number(r.read) });
  return out;
}

// ---------------------------------------------------------------- attempts

const throttled = () =>
  new AppError(429, 'activation_throttled', `Đã nhập sai nhiều lần. Vui lòng đợi ${ATTEMPT_WINDOW_MINUTES} phút rồi thử lại, hoặc liên hệ giáo viên chủ nhiệm.`);

let takesSincePrune = 0;

/** Counts the attempt against the address and the target before anything is checked; refuses over the limits. */
async function reserve(db: Db, ip: string | undefined, target: string): Promise<string[]> {
  const keys = [`ip:${addressKey(ip)}`, target];
  const counts = await takeAttempts(db, keys, ATTEMPT_WINDOW_MINUTES);
  if (++takesSincePrune >= 500) {
    takesSincePrune = 0;
    await pruneAttempts(db, ATTEMPT_WINDOW_MINUTES * 4);
  }
  const over = counts.some((c) => c.attempts > (c.key.startsWith('ip:') ? MAX_ATTEMPTS_PER_ADDRESS : MAX_ATTEMPTS_PER_TARGET));
  if (over) throw throttled();
  return keys;
}

// ---------------------------------------------------------------- the family's side

/** One answer for every code that is not a live code, whatever the reason: nothing said about any learner. */
const wrongCode = () => badRequest('activation_code_wrong', 'Mã kích hoạt: mã không đúng. Hãy kiểm tra lại từng ký tự trên phiếu (mã gồm 10 chữ và số, ví dụ ABC-DEF-GHJK).');
const wrongDetails = () =>
  badRequest('activation_details_wrong', 'Mã định danh, ngày sinh hoặc mã xác nhận không đúng (hoặc mã xác nhận đã hết hạn). Hãy kiểm tra lại, hoặc dùng mã in trên phiếu do trường phát.');

function codeRefusal(row: { used_at: Date | null; revoked_at: Date | null; expires_at: Date }): AppError | null {
  if (row.used_at) return conflict('activation_code_used', 'Mã kích hoạt này đã được dùng. Nếu không phải bạn dùng, hãy báo ngay cho giáo viên chủ nhiệm.');
  if (row.revoked_at) return conflict('activation_code_replaced', 'Mã kích hoạt này đã được thay bằng phiếu in sau. Hãy dùng mã trên phiếu mới nhất nhà trường phát.');
  if (new Date(row.expires_at).getTime() <= Date.now()) {
    return conflict('activation_code_expired', `Mã kích hoạt này đã hết hạn ngày ${formatVnDate(isoToday(new Date(row.expires_at)))}. Hãy xin giáo viên chủ nhiệm in phiếu mới.`);
  }
  return null;
}

type LiveCode = NonNullable<Awaited<ReturnType<typeof codeByHash>>>;

/** A printed code as typed → its live row, counted against the address and the code's start. */
async function livePrintedCode(db: Db, typed: string, ip: string | undefined): Promise<LiveCode> {
  const normalized = normalizeCode(typed);
  // The start of what was typed, in the code's alphabet (any input counts, well-formed or not).
  const start = typed.toUpperCase().split('').filter((c) => CODE_ALPHABET.includes(c)).join('').slice(0, 5);
  const keys = await reserve(db, ip, `code:${start}`);
  const row = normalized ? await codeByHash(db, codeHash('printed', normalized)) : undefined;
  if (!row || !row.is_current || row.kind === 'contact') throw wrongCode();
  // A real code (used, replaced, expired) is not a guess: its holder has the slip.
  await giveBackAttempts(db, keys);
  const refusal = codeRefusal(row);
  if (refusal) throw refusal;
  return row;
}

function consentText() {
  const p = consentPurpose(ACTIVATION_PURPOSE);
  if (!p) throw new Error(`consent purpose ${ACTIVATION_PURPOSE} is missing from domain/privacy/consent.ts`);
  return { purpose: p.code, label: p.label, description: p.description };
}

/** What a code is for, before the family consents: the child, the class, the school, whose code. */
export async function previewActivation(db: Db, input: { activationCode: string }, meta: { ip?: string }): Promise<TActivationPreview> {
  const row = await livePrintedCode(db, input.activationCode, meta.ip);
  const [school] = await unitNamesOn(db, [row.school_id], isoToday());
  return {
    kind: row.kind === 'student' ? 'student' : 'guardian',
    schoolName: school?.name ?? '',
    className: row.class_name,
    childName: fullNameOf(row),
    guardianName: row.guardian_name,
    relation: row.relation,
    childConsentNeeded: row.kind === 'guardian' && ageOn(row.date_of_birth, isoToday()) >= CHILD_CONSENT_AGE,
    consent: consentText(),
    expiresAt: new Date(row.expires_at).toISOString(),
  };
}

/** The family may not be signed in as staff: a parent or a student account, or nobody. */
function familyAccount(actor: Actor | null): Actor | null {
  if (!actor) return null;
  if (actor.grants.some((g) => !FAMILY_ROLES.includes(g.role)) || actor.staff) {
    throw conflict('not_a_family_account', 'Bạn đang đăng nhập bằng tài khoản cán bộ. Hãy đăng xuất rồi kích hoạt bằng tài khoản phụ huynh hoặc học sinh.');
  }
  return actor;
}

type Target = { codeId: string; schoolId: string; studentId: string; kind: 'guardian' | 'student'; guardianId: string | null; childName: string; dateOfBirth: string; method: 'printed' | 'contact' };

/**
 * Activates: links the guardian row the code belongs to (or makes the student's own account) to
 * the signed-in family account or to a new one, records the consent (the guardian's, or the
 * student's own), uses the code up and writes the audit row — all in one transaction. No consent
 * ticked, nothing happens.
 */
export async function redeemActivation(
  db: Db,
  signedIn: Actor | null,
  input: TActivationRedeem,
  meta: { ip?: string },
): Promise<{ done: TActivationDone; newUserId: string | null }> {
  if (!input.consent) {
    throw badRequest('consent_required', `Đồng ý xử lý dữ liệu cá nhân: hãy đọc mục đích "${consentText().label}" và đánh dấu đồng ý để kích hoạt.`);
  }
  const actor = familyAccount(signedIn);
  let target: Target;
  if (input.activationCode) {
    const row = await livePrintedCode(db, input.activationCode, meta.ip);
    target = { codeId: row.id, schoolId: row.school_id, studentId: row.student_id, kind: row.kind === 'student' ? 'student' : 'guardian', guardianId: row.guardian_id, childName: fullNameOf(row), dateOfBirth: row.date_of_birth, method: 'printed' };
  } else if (input.learnerId && input.dateOfBirth && input.contactCode) {
    target = await liveContactCode(db, input.learnerId, input.dateOfBirth, input.contactCode, meta.ip);
  } else {
    throw badRequest('activation_code_missing', 'Mã kích hoạt: hãy nhập mã in trên phiếu, hoặc mã định danh, ngày sinh của con và mã xác nhận đã gửi tới bạn.');
  }

  // Whose account: a new student account for a student code; for a guardian code the signed-in parent, else a new one.
  const makeAccount = target.kind === 'student' || !actor;
  if (target.kind === 'guardian' && actor?.student) {
    throw conflict('not_a_family_account', 'Bạn đang đăng nhập bằng tài khoản học sinh. Hãy đăng xuất rồi kích hoạt bằng tài khoản phụ huynh.');
  }
  let passwordHash = '';
  let username = actor?.username ?? '';
  if (makeAccount) {
    if (!input.newAccount) {
      throw badRequest(
        'account_required',
        target.kind === 'student'
          ? 'Tài khoản mới: hãy chọn tên đăng nhập và mật khẩu cho tài khoản của em.'
          : 'Tài khoản mới: hãy chọn tên đăng nhập và mật khẩu, hoặc đăng nhập tài khoản phụ huynh đã có rồi thêm con.',
      );
    }
    const problem = passwordProblem(input.newAccount.password);
    if (problem) throw badRequest('weak_password', `Mật khẩu: ${problem}`);
    username = input.newAccount.username;
    if (await usernameTaken(db, username)) throw conflict('username_taken', 'Tên đăng nhập: tên này đã có người dùng. Hãy chọn tên khác (ví dụ thêm số điện thoại hoặc năm sinh).');
    passwordHash = await hashPassword(input.newAccount.password);
  }
  const userId = makeAccount || !actor ? newId() : actor.userId;

  try {
    await db.transaction().execute(async (trx) => {
      const locked = await lockCode(trx, target.codeId);
      const refusal = locked ? codeRefusal(locked) : wrongCode();
      if (refusal) throw refusal;
      if (makeAccount) {
        await insertAccount(trx, { id: userId, username, passwordHash, displayName: target.kind === 'student' ? target.childName : await guardianName(trx, target), student: target.kind === 'student' ? { schoolId: target.schoolId, studentId: target.studentId } : null });
      }
      if (target.kind === 'student') {
        if (await studentAccountOf(trx, target.schoolId, target.studentId).then((a) => a && a.id !== userId)) {
          throw conflict('student_account_exists', 'Em đã có tài khoản học sinh. Hãy đăng nhập bằng tài khoản đó; quên mật khẩu thì nhờ giáo viên chủ nhiệm đặt lại.');
        }
        await insertGrant(trx, { id: newId(), userId, role: 'student', unitId: target.schoolId });
      } else {
        if (await guardianLinkedTo(trx, target.schoolId, target.studentId, userId)) {
          throw conflict('already_linked', `${target.childName} đã có trong "Con của tôi" của tài khoản này.`);
        }
        const linked = target.guardianId ? await linkGuardian(trx, target.schoolId, target.guardianId, userId) : 0;
        if (linked === 0) throw conflict('guardian_already_linked', 'Người giám hộ ghi trên phiếu đã kích hoạt bằng một tài khoản khác. Nếu không phải bạn, hãy báo ngay cho giáo viên chủ nhiệm.');
        if (!(await hasGrant(trx, userId, 'parent', target.schoolId))) await insertGrant(trx, { id: newId(), userId, role: 'parent', unitId: target.schoolId });
      }
      await recordOnlineConsent(trx, target, { userId, username }, meta.ip);
      await markCodeUsed(trx, target.codeId, userId);
      await writeAudit(
        trx,
        { userId, username },
        { action: 'activation.redeem', entity: 'student', entityId: target.studentId, orgUnitId: target.schoolId, after: { activationKind: target.kind, activationMethod: target.method, username, newAccount: makeAccount } },
        meta.ip,
      );
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('username_taken', 'Tên đăng nhập: tên này đã có người dùng. Hãy chọn tên khác.');
    throw err;
  }
  return { done: { kind: target.kind, childName: target.childName, username, newAccount: makeAccount }, newUserId: makeAccount ? userId : null };
}

async function guardianName(trx: Transaction<Database>, target: Target): Promise<string> {
  const all = await guardianContacts(trx, target.schoolId, target.studentId);
  return all.find((g) => g.id === target.guardianId)?.full_name ?? 'Phụ huynh';
}

/** The consent given at activation, through the consent records: the guardian's, or the student's own (ND 13/2023 Art. 11, 20). */
async function recordOnlineConsent(trx: Transaction<Database>, target: Target, account: { userId: string; username: string }, ip: string | undefined): Promise<void> {
  const { userId } = account;
  const guardian = target.guardianId ? (await guardianContacts(trx, target.schoolId, target.studentId)).find((g) => g.id === target.guardianId) : undefined;
  const consentId = newId();
  const today = isoToday();
  await insertConsentRecord(trx, {
    school_id: target.schoolId,
    id: consentId,
    student_id: target.studentId,
    purpose: ACTIVATION_PURPOSE,
    action: 'give',
    giver: target.kind === 'guardian' ? 'guardian' : 'student',
    guardian_id: guardian?.id ?? null,
    giver_name: guardian ? guardian.full_name : target.childName,
    giver_relation: guardian?.relation ?? null,
    method: 'online',
    effective_date: today,
    note: 'Khi kích hoạt sổ liên lạc điện tử',
    recorded_by: userId,
  });
  await writeAudit(
    trx,
    account,
    { action: 'consent.give', entity: 'student', entityId: target.studentId, orgUnitId: target.schoolId, after: { consentId, purpose: ACTIVATION_PURPOSE, giver: target.kind === 'guardian' ? 'guardian' : 'student', method: 'online', effectiveDate: today } },
    ip,
  );
}

// ---------------------------------------------------------------- learner id + date of birth + a code sent to the contact on record

const noChannel = (): TContactCodeAnswer => ({
  channelReady: false,
  message: 'Hệ thống của trường chưa được cấu hình gửi e-mail hoặc tin nhắn, nên chưa nhận mã qua cách này được. Hãy dùng mã kích hoạt in trên phiếu do giáo viên chủ nhiệm phát.',
});

/**
 * Sends a short code to the contact on record of each guardian of the learner (e-mail or phone,
 * as the sender's channels allow). The answer is the same whether the learner exists, has a
 * contact, or not: only a configured channel or not is said.
 */
export async function requestContactCode(db: Db, input: { learnerId: string; dateOfBirth: string }, meta: { ip?: string }): Promise<TContactCodeAnswer> {
  const sender = contactCodeSender();
  if (!sender) return noChannel();
  await reserve(db, meta.ip, `learner:${input.learnerId}`);
  const answer: TContactCodeAnswer = {
    channelReady: true,
    message: `Nếu mã định danh và ngày sinh đúng, và hồ sơ của con có e-mail hoặc số điện thoại của cha mẹ, mã xác nhận đã được gửi tới đó (dùng được trong ${CONTACT_CODE_MINUTES} phút).`,
  };
  const learner = await learnerByIdAndBirth(db, input.learnerId, input.dateOfBirth);
  if (!learner) return answer;
  const contacts = (await guardianContacts(db, learner.school_id, learner.id)).filter((g) => !g.user_id);
  const messages: { to: string; channel: 'email' | 'sms'; code: string; guardianId: string }[] = [];
  for (const g of contacts) {
    if (sender.channels.includes('email') && g.email) messages.push({ to: g.email, channel: 'email', code: newContactCode(), guardianId: g.id });
    else if (sender.channels.includes('sms') && g.phone) messages.push({ to: g.phone, channel: 'sms', code: newContactCode(), guardianId: g.id });
  }
  if (messages.length === 0) return answer;
  const expiresAt = new Date(Date.now() + CONTACT_CODE_MINUTES * 60_000);
  await db.transaction().execute(async (trx) => {
    await revokeContactCodes(trx, learner.school_id, learner.id);
    await insertCodes(
      trx,
      messages.map((m) => ({ id: newId(), school_id: learner.school_id, student_id: learner.id, kind: 'contact', guardian_id: m.guardianId, code_hash: codeHash('contact', `${learner.id}:${m.code}`), expires_at: expiresAt, created_by: null })),
    );
  });
  const child = fullNameOf(learner);
  for (const m of messages) {
    // The payload carries no more than the channel needs: the code and the child's name.
    await sender.send({
      channel: m.channel,
      to: m.to,
      subject: 'Mã xác nhận kích hoạt sổ liên lạc điện tử',
      text: `Mã xác nhận để liên kết tài khoản với con ${child}: ${m.code}. Mã dùng được ${CONTACT_CODE_MINUTES} phút. Không chia sẻ mã này cho người khác.`,
    });
  }
  return answer;
}

async function liveContactCode(db: Db, learnerId: string, dateOfBirth: string, typed: string, ip: string | undefined): Promise<Target> {
  const keys = await reserve(db, ip, `learner:${learnerId}`);
  const code = normalizeContactCode(typed);
  const learner = await learnerByIdAndBirth(db, learnerId, dateOfBirth);
  if (!learner || !code) throw wrongDetails();
  const hash = codeHash('contact', `${learner.id}:${code}`);
  const match = (await openContactCodes(db, learner.school_id, learner.id)).find((c) => c.code_hash === hash);
  if (!match) throw wrongDetails();
  await giveBackAttempts(db, keys);
  const row = await codeByHash(db, hash);
  if (!row) throw wrongDetails();
  return { codeId: row.id, schoolId: row.school_id, studentId: row.student_id, kind: 'guardian', guardianId: row.guardian_id, childName: fullNameOf(row), dateOfBirth: row.date_of_birth, method: 'contact' };
}
