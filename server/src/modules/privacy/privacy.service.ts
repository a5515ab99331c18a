import type { Kysely } from 'kysely';
import { PRIVACY_OFFICER_ROLES } from '../../../../contracts/roles.js';
import type { TAnonymisationList, TConsentOverview, TRecordConsent } from '../../../../contracts/privacy.js';
import {
  CONSENT_PURPOSES,
  type ConsentEvent,
  consentPurpose,
  decideConsent,
  formatVnDate,
  isoToday,
  joinFullName,
  nameSortKey,
  searchFold,
} from '../../../../domain/index.js';
import type { Database, StudentRow } from '../../db/schema.js';
import { hasAny, isGuardianOf } from '../../platform/access.js';
import { logAccess } from '../../platform/access-log.js';
import { SCHOOL_WRITE_ROLES } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { type Caller, assertCanSee, buildProfile, requireStudent } from '../students/students.service.js';
import { RELIGION_LIST } from '../students/students.repo.js';
import { type PersonalData, personalDataPdf } from './personal-data-print.js';
import {
  accessLogOf,
  accountIdsOfStudents,
  accountsOfStudent,
  anonymisationOf,
  anonymiseAccounts,
  anonymiseStudentRows,
  auditRowsAbout,
  codeListItemName,
  consentCounts,
  consentRecordsOf,
  deleteContactsAndConsents,
  eligibleForAnonymisation,
  guardianOfAccount,
  guardianOfStudent,
  guardiansOf,
  insertAnonymisations,
  insertConsentRecord,
  lockStudents,
  redactAuditRows,
  redactTransferAuditLabels,
} from './privacy.repo.js';

type Db = Kysely<Database>;

/** Who may export a student's data, read who viewed it, and anonymise: the school's head (and system admins). */
// Shared with the web app's route table (contracts/roles.ts).
export { PRIVACY_OFFICER_ROLES };

const fullNameOf = (r: { family_name: string; middle_name: string; given_name: string }) =>
  joinFullName({ familyName: r.family_name, middleName: r.middle_name, givenName: r.given_name });

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : String(d));

// ---------------------------------------------------------------- consents

type Mode = TConsentOverview['mode'];

/** How the caller may record consent for this student: school staff on paper, a guardian or the student online. */
async function consentMode(db: Db, caller: Caller, student: StudentRow): Promise<Mode> {
  const { actor, roles } = caller;
  if (hasAny(roles, SCHOOL_WRITE_ROLES)) return 'paper';
  if (roles.has('parent') && (await isGuardianOf(db, actor, student.school_id, student.id))) return 'guardian';
  if (roles.has('student') && actor.student?.schoolId === student.school_id && actor.student.studentId === student.id) return 'student';
  return null;
}

function toEvents(rows: Awaited<ReturnType<typeof consentRecordsOf>>): ConsentEvent[] {
  return rows.map((r) => ({ purpose: r.purpose, action: r.action, giver: r.giver, effectiveDate: r.effective_date, recordedAt: iso(r.recorded_at) }));
}

async function overview(db: Db, student: StudentRow, mode: Mode): Promise<TConsentOverview> {
  const [rows, anon] = await Promise.all([consentRecordsOf(db, student.school_id, student.id), anonymisationOf(db, student.school_id, student.id)]);
  const date = isoToday();
  const events = toEvents(rows);
  return {
    date,
    items: CONSENT_PURPOSES.map((p) => ({
      ...decideConsent({ purpose: p.code, dateOfBirth: student.date_of_birth, date, events }),
      label: p.label,
      description: p.description,
    })),
    records: rows.map((r) => ({
      id: r.id,
      purpose: r.purpose,
      action: r.action,
      giver: r.giver,
      guardianId: r.guardian_id,
      giverName: r.giver_name,
      giverRelation: r.giver_relation,
      method: r.method,
      effectiveDate: r.effective_date,
      note: r.note,
      recordedAt: iso(r.recorded_at),
      recordedBy: r.recorded_by_username,
    })),
    mode: anon ? null : mode,
    anonymised: anon ? { at: iso(anon.anonymised_at), consentCounts: anon.consent_counts as Record<string, Record<string, number>> } : null,
  };
}

export async function getConsents(db: Db, caller: Caller, schoolId: string, studentId: string): Promise<TConsentOverview> {
  const student = await requireStudent(db, schoolId, studentId);
  await assertCanSee(db, caller, student);
  return overview(db, student, await consentMode(db, caller, student));
}

/**
 * Appends one act of consent or withdrawal. School staff record a paper form (whose consent, the
 * date signed); a parent gives or withdraws their own consent online, a student account their own.
 */
export async function recordConsent(db: Db, caller: Caller, schoolId: string, studentId: string, input: TRecordConsent): Promise<TConsentOverview> {
  const student = await requireStudent(db, schoolId, studentId);
  const mode = await consentMode(db, caller, student);
  // Out of scope (another family's child, a teacher's other student) looks like a missing student.
  if (!mode) throw notFound('Không tìm thấy học sinh.');
  const purpose = consentPurpose(input.purpose);
  if (!purpose) throw badRequest('unknown_purpose', 'Mục đích xử lý dữ liệu không có trong danh mục; hãy chọn một mục đích trong danh sách.');
  if (purpose.basis === 'legal_obligation') {
    throw badRequest('consent_not_applicable', `"${purpose.label}" được xử lý theo quy định của pháp luật nên không cần ghi nhận sự đồng ý.`);
  }
  if (await anonymisationOf(db, schoolId, studentId)) {
    throw badRequest('student_anonymised', 'Hồ sơ học sinh này đã được ẩn danh, không thể ghi nhận sự đồng ý.');
  }
  const today = isoToday();
  let giver: 'guardian' | 'student';
  let guardian: { id: string; full_name: string; relation: string } | undefined;
  let effectiveDate = today;
  if (mode === 'paper') {
    if (!input.giver) throw badRequest('giver_required', 'Hãy chọn người ký phiếu: cha mẹ/người giám hộ hoặc chính học sinh.');
    giver = input.giver;
    if (giver === 'guardian') {
      if (!input.guardianId) throw badRequest('guardian_required', 'Hãy chọn cha mẹ hoặc người giám hộ đã ký phiếu.');
      guardian = await guardianOfStudent(db, schoolId, studentId, input.guardianId);
      if (!guardian) throw badRequest('guardian_not_found', 'Người giám hộ đã chọn không có trong hồ sơ của học sinh này.');
    }
    effectiveDate = input.effectiveDate ?? today;
    if (effectiveDate > today) throw badRequest('date_in_future', 'Ngày ký phiếu không được sau ngày hôm nay.');
    if (effectiveDate < student.date_of_birth) throw badRequest('date_before_birth', 'Ngày ký phiếu không được trước ngày sinh của học sinh.');
  } else if (mode === 'guardian') {
    if (input.giver === 'student') {
      throw badRequest('student_consents_themself', 'Sự đồng ý của con phải do con tự thể hiện (bằng tài khoản học sinh hoặc phiếu giấy tại trường).');
    }
    giver = 'guardian';
    guardian = await guardianOfAccount(db, schoolId, studentId, caller.actor.userId);
    // consentMode() found this account among the guardians; if the link went meanwhile, the child is out of scope.
    if (!guardian) throw notFound('Không tìm thấy học sinh.');
  } else {
    if (input.giver === 'guardian') throw badRequest('guardian_consents_themself', 'Sự đồng ý của cha mẹ phải do cha mẹ tự thể hiện.');
    giver = 'student';
  }
  if (input.action === 'withdraw') {
    const events = toEvents(await consentRecordsOf(db, schoolId, studentId));
    const d = decideConsent({ purpose: purpose.code, dateOfBirth: student.date_of_birth, date: effectiveDate, events });
    if ((giver === 'guardian' ? d.guardian : d.student) !== 'given') {
      throw badRequest('nothing_to_withdraw', `Chưa có sự đồng ý nào của ${giver === 'guardian' ? 'cha mẹ/người giám hộ' : 'học sinh'} cho mục đích này để rút lại.`);
    }
  }
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await insertConsentRecord(trx, {
      school_id: schoolId,
      id,
      student_id: studentId,
      purpose: purpose.code,
      action: input.action,
      giver,
      guardian_id: guardian?.id ?? null,
      giver_name: guardian ? guardian.full_name : fullNameOf(student),
      giver_relation: guardian?.relation ?? null,
      method: mode === 'paper' ? 'paper' : 'online',
      effective_date: effectiveDate,
      note: input.note || null,
      recorded_by: caller.actor.userId,
    });
    await writeAudit(
      trx,
      caller.actor,
      {
        action: `consent.${input.action}`,
        entity: 'student',
        entityId: studentId,
        orgUnitId: schoolId,
        after: { consentId: id, purpose: purpose.code, giver, method: mode === 'paper' ? 'paper' : 'online', effectiveDate },
      },
      caller.ip,
    );
  });
  return overview(db, student, mode);
}

// ---------------------------------------------------------------- access log and export

export async function getAccessLog(db: Db, caller: Caller, schoolId: string, studentId: string) {
  await requireStudent(db, schoolId, studentId);
  const rows = await accessLogOf(db, schoolId, studentId, 500);
  return {
    items: rows.map((r) => ({ at: iso(r.at), username: r.username, displayName: r.display_name, action: r.action, ip: r.ip })),
  };
}

/**
 * Everything the school holds about one student, for a request by the person (ND 13/2023 Art. 14;
 * Law 91/2025): the record, guardians, history across schools, consents, audit rows about them
 * and who viewed the record. The export itself is audited and logged as an access.
 */
export async function exportPersonalData(db: Db, caller: Caller, schoolId: string, studentId: string) {
  const data = await collectPersonalData(db, caller, schoolId, studentId, 'json');
  const { student, profile, guardians, consents, audit, accessLog, accounts, exportedAt } = data;
  const body = {
    kind: 'truongso.personal-data-export',
    version: 1,
    exportedAt,
    exportedBy: caller.actor.username,
    note: 'Dữ liệu cá nhân của học sinh do nhà trường lưu giữ, xuất theo yêu cầu của chủ thể dữ liệu (Nghị định 13/2023/NĐ-CP, Luật Bảo vệ dữ liệu cá nhân 2025).',
    student: { ...student, created_at: iso(student.created_at), updated_at: iso(student.updated_at) },
    profile,
    guardians,
    accounts: accounts.map((a) => ({ ...a, last_login_at: a.last_login_at ? iso(a.last_login_at) : null, created_at: iso(a.created_at) })),
    consents: { status: consents.items, records: consents.records, anonymised: consents.anonymised },
    // Who and when, without the staff's IP addresses: those are the staff's personal data, not the student's.
    auditLog: audit.map(({ ip: _ip, ...a }) => ({ ...a, at: iso(a.at) })),
    accessLog: accessLog.map((a) => ({ at: iso(a.at), username: a.username, displayName: a.display_name, action: a.action })),
  };
  return { fileName: `du-lieu-ca-nhan-${fileCode(student)}.json`, json: JSON.stringify(body, null, 2) };
}

/** The same data as a document a parent can read and print: Vietnamese labels, names instead of codes, dd/mm/yyyy dates. */
export async function exportPersonalDataPdf(db: Db, caller: Caller, schoolId: string, studentId: string) {
  const data = await collectPersonalData(db, caller, schoolId, studentId, 'pdf');
  return { fileName: `du-lieu-ca-nhan-${fileCode(data.student)}.pdf`, body: await personalDataPdf(data) };
}

const fileCode = (student: StudentRow) => (student.learner_id ?? student.temp_code ?? student.id).replace(/[^A-Za-z0-9-]/g, '');

/** Everything kept about one student, for its owner (checked here), audited and logged as an access. */
async function collectPersonalData(db: Db, caller: Caller, schoolId: string, studentId: string, format: 'json' | 'pdf'): Promise<PersonalData> {
  const student = await requireStudent(db, schoolId, studentId);
  // A parent exports only their own child; the school's head any student of the school.
  if (!hasAny(caller.roles, PRIVACY_OFFICER_ROLES) && !(caller.roles.has('parent') && (await isGuardianOf(db, caller.actor, schoolId, studentId)))) {
    throw notFound('Không tìm thấy học sinh.');
  }
  const [profile, guardians, consents, audit, accessLog, accounts, religion] = await Promise.all([
    buildProfile(db, schoolId, studentId),
    guardiansOf(db, schoolId, studentId),
    overview(db, student, null),
    auditRowsAbout(db, studentId),
    accessLogOf(db, schoolId, studentId, 100_000),
    accountsOfStudent(db, schoolId, studentId),
    student.religion_code ? codeListItemName(db, RELIGION_LIST, student.religion_code) : null,
  ]);
  const exportedAt = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await writeAudit(trx, caller.actor, { action: 'student.personal_data_export', entity: 'student', entityId: studentId, orgUnitId: schoolId, after: { format } }, caller.ip);
    await logAccess(trx, caller.actor, { schoolId, studentId }, 'personal_data_export', caller.ip);
  });
  return { student, religionName: religion, profile, guardians, consents, audit, accessLog, accounts, exportedAt, exportedBy: caller.actor.displayName };
}

// ---------------------------------------------------------------- anonymisation

/** The date `years` before `today` (29 February falls back to 28 February). */
export function retentionCutoff(today: string, years: number): string {
  if (!Number.isInteger(years) || years < 1) throw new Error(`TRUONGSO_RETENTION_YEARS must be a whole number ≥ 1, got ${years}`);
  const y = Number(today.slice(0, 4)) - years;
  const md = today.slice(5) === '02-29' ? '02-28' : today.slice(5);
  return `${String(y).padStart(4, '0')}-${md}`;
}

export async function listAnonymisable(db: Db, schoolId: string, retentionYears: number): Promise<TAnonymisationList> {
  const cutoff = retentionCutoff(isoToday(), retentionYears);
  const rows = await eligibleForAnonymisation(db, schoolId, cutoff);
  return {
    retentionYears,
    cutoff,
    items: rows.map((r) => ({
      id: r.id,
      fullName: fullNameOf(r),
      learnerId: r.learner_id,
      dateOfBirth: r.date_of_birth,
      statusCode: r.status_code,
      statusName: r.status_name,
      leftOn: r.status_date,
      enrolments: Number(r.enrolments ?? 0),
    })),
  };
}

const ANON_NAME = 'Học sinh đã ẩn danh';

/**
 * Anonymises the chosen students in one transaction (docs/privacy.md, "Anonymisation"): personal
 * and contact data go; what statistics need stays (sex, ethnicity, year of birth, enrolments,
 * status events without notes); consents become counts. Any ineligible id refuses the whole batch.
 */
export async function anonymiseStudents(db: Db, caller: Caller, schoolId: string, studentIds: string[], retentionYears: number) {
  const ids = [...new Set(studentIds)];
  const cutoff = retentionCutoff(isoToday(), retentionYears);
  await db.transaction().execute(async (trx) => {
    await lockStudents(trx, schoolId, ids);
    const eligible = await eligibleForAnonymisation(trx, schoolId, cutoff, ids);
    if (eligible.length !== ids.length) {
      throw badRequest(
        'not_eligible',
        `${ids.length - eligible.length} học sinh đã chọn chưa đủ điều kiện ẩn danh (chưa rời trường quá ${retentionYears} năm tính đến ${formatVnDate(cutoff)}, đang học ở một trường, hoặc đã ẩn danh). Không học sinh nào bị thay đổi.`,
      );
    }
    const counts = await consentCounts(trx, schoolId, ids);
    const countsOf = (id: string) => {
      const out: Record<string, Record<string, number>> = {};
      for (const c of counts.filter((x) => x.student_id === id)) (out[c.purpose] ??= {})[c.action] = Number(c.n);
      return out;
    };
    await insertAnonymisations(
      trx,
      eligible.map((s) => ({
        school_id: schoolId,
        student_id: s.id,
        anonymised_by: caller.actor.userId,
        retention_years: retentionYears,
        left_on: s.status_date,
        consent_counts: JSON.stringify(countsOf(s.id)),
      })),
    );
    // Only now that the anonymisation rows exist does the trigger let consent rows go.
    await deleteContactsAndConsents(trx, schoolId, ids);
    const names = { familyName: '', middleName: '', givenName: ANON_NAME };
    await anonymiseStudentRows(trx, schoolId, ids, { given_name: ANON_NAME, name_sort_key: nameSortKey(names), search_text: searchFold(ANON_NAME) });
    const accountIds = await accountIdsOfStudents(trx, schoolId, ids);
    await anonymiseAccounts(trx, accountIds, ANON_NAME);
    // Audit rows keep who did what and when; the snapshots of the person go.
    await redactAuditRows(trx, 'student', ids);
    await redactTransferAuditLabels(trx, ids);
    await redactAuditRows(trx, 'app_user', accountIds);
    for (const s of eligible) {
      await writeAudit(
        trx,
        caller.actor,
        { action: 'student.anonymise', entity: 'student', entityId: s.id, orgUnitId: schoolId, after: { retentionYears, leftOn: s.status_date, consentCounts: countsOf(s.id) } },
        caller.ip,
      );
    }
  });
  return { anonymised: ids.length };
}


