import type { TCreateStudent, TGuardian, TStudentProfile, TUpdateStudent } from '../../../../contracts/students.js';
import { FIELD_LABELS } from '../../../../contracts/field-labels.js';
import { checkDateOfBirth, isoToday, joinFullName, nameSortKey, normalizeNameText, searchFold, splitFullName } from '../../../../domain/index.js';
import { codeListName } from '../../db/reference-data.js';
import type { StudentRow } from '../../db/schema.js';
import { auditColumns, writeAudit } from '../../platform/audit.js';
import { personLabel } from '../../platform/audit-target.js';
import { type AppError, badRequest, conflict, isUniqueViolation, labelledMessage, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import {
  ETHNICITY_LIST,
  RELIGION_LIST,
  STATUS_LIST,
  classWithSchoolYears,
  classWithSchoolYearsAndTempSeq,
  currentWithCitizenId,
  currentWithLearnerId,
  findClass,
  lockStudent,
} from './students.repo.js';
import { type GuardianInsert, deleteGuardians, insertAdmission, insertGuardians, updateGuardian, updateStudent } from './students-writes.repo.js';
import { buildProfile, requireStudent } from './students-profile.service.js';
import { type Caller, type Db, learnerTaken, placeableClass, snapshot } from './students.common.js';
import { presentProfile } from './students.presenters.js';
import { issueTempCode, tempCodeNumbering } from './temp-codes.js';

// Record writes: admitting a student (the form) and editing a record with its guardians.

/**
 * The date of birth fits the class's grade in its school year (domain/students/date-of-birth.ts:
 * the same rule the form and the import apply). The contract has already refused future dates.
 */
function assertDateOfBirthFits(dateOfBirth: string, cls: { grade: number; year: number }) {
  const verdict = checkDateOfBirth(dateOfBirth, { today: isoToday(), grade: cls.grade, schoolYear: cls.year });
  if (!verdict.ok) throw badRequest('date_of_birth_out_of_range', labelledMessage(FIELD_LABELS.dateOfBirth, verdict.message), { field: 'dateOfBirth' });
}

function nameColumns(fullName: string) {
  const parts = splitFullName(normalizeNameText(fullName));
  if (!parts.givenName) throw badRequest('name_required', 'Hãy nhập họ và tên học sinh.');
  return {
    family_name: parts.familyName,
    middle_name: parts.middleName,
    given_name: parts.givenName,
    name_sort_key: nameSortKey(parts),
    search_text: searchFold(joinFullName(parts)),
  };
}

const citizenTaken = (citizenId: string): AppError =>
  conflict('citizen_id_taken', `Số định danh cá nhân ${citizenId} đã được dùng cho một học sinh đang đi học. Hãy kiểm tra lại số này.`);

/** Số đăng bộ is the school's own numbering: one number, one learner of the school (migration 0025). */
export const registerNumberTaken = (registerNumber: string): AppError =>
  conflict('register_number_taken', labelledMessage(FIELD_LABELS.registerNumber, `số ${registerNumber} đã là số đăng bộ của một học sinh khác của trường. Hãy kiểm tra lại số này.`), { field: 'registerNumber' });

/**
 * Turns a race lost to another transaction into the same 409 the pre-check gives. The register
 * number has no pre-check: its unique index is the one check, and this says so in Vietnamese.
 */
async function mapUniqueViolations<T>(work: () => Promise<T>, ids: { learnerId?: string | null; citizenId?: string | null; registerNumber?: string | null }): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (ids.learnerId && isUniqueViolation(err, 'student_learner_id_uq')) throw learnerTaken(ids.learnerId);
    if (ids.citizenId && isUniqueViolation(err, 'student_citizen_id_uq')) throw citizenTaken(ids.citizenId);
    if (ids.registerNumber && isUniqueViolation(err, 'student_register_number_uq')) throw registerNumberTaken(ids.registerNumber);
    throw err;
  }
}

function assertCodes(input: { ethnicityCode?: string | null; religionCode?: string | null }) {
  if (input.ethnicityCode && codeListName(ETHNICITY_LIST, input.ethnicityCode) === null) {
    throw badRequest('unknown_ethnicity', `Dân tộc: mã ${input.ethnicityCode} không có trong danh mục dân tộc — hãy chọn dân tộc trong danh sách.`);
  }
  if (input.religionCode && codeListName(RELIGION_LIST, input.religionCode) === null) {
    throw badRequest('unknown_religion', `Tôn giáo: mã ${input.religionCode} không có trong danh mục tôn giáo — hãy chọn tôn giáo trong danh sách.`);
  }
}

function assertGuardianRelations(guardians: TGuardian[]) {
  for (const rel of ['father', 'mother'] as const) {
    if (guardians.filter((g) => g.relation === rel).length > 1) {
      throw badRequest('duplicate_guardian', `Chỉ được khai báo một ${rel === 'father' ? 'cha' : 'mẹ'} cho mỗi học sinh.`);
    }
  }
}

function guardianRow(schoolId: string, studentId: string, g: TGuardian, id: string, userId: string | null): GuardianInsert {
  return {
    school_id: schoolId,
    id,
    student_id: studentId,
    relation: g.relation,
    full_name: normalizeNameText(g.fullName),
    phone: g.phone ?? null,
    email: g.email ?? null,
    occupation: g.occupation ?? null,
    birth_year: g.birthYear ?? null,
    user_id: userId,
  };
}

export async function createStudent(db: Db, caller: Caller, schoolId: string, input: TCreateStudent): Promise<TStudentProfile> {
  const names = nameColumns(input.fullName);
  assertGuardianRelations(input.guardians);
  assertCodes(input);
  const learnerId = input.learnerId ?? null;
  const citizenId = input.citizenId ?? null;
  const registerNumber = input.registerNumber ?? null;
  // Without a learner id the class is read together with the school's next temporary code. A
  // number taken for an admission refused afterwards is skipped, as a sequence would.
  const numbering = learnerId ? null : await tempCodeNumbering(db, schoolId);
  const found = numbering
    ? await classWithSchoolYearsAndTempSeq(db, schoolId, input.classId, numbering.prefix)
    : await classWithSchoolYears(db, schoolId, input.classId);
  const takenSeq = found && 'temp_seq' in found ? found.temp_seq : null;
  const cls = placeableClass(found);
  assertDateOfBirthFits(input.dateOfBirth, cls);
  const tempCode = numbering ? (takenSeq ? numbering.code(Number(takenSeq)) : await issueTempCode(db, schoolId)) : null;
  const admissionDate = input.admissionDate ?? isoToday();
  const id = newId();
  const eventId = newId();
  // One statement: its unique indexes refuse a learner id or citizen id already in use by a
  // current record, and mapUniqueViolations says so as a 409, race or not.
  const { student, guardians, schoolName } = await mapUniqueViolations(
    () =>
      insertAdmission(db, {
        student: {
          school_id: schoolId,
          id,
          person_id: newId(),
          learner_id: learnerId,
          temp_code: tempCode,
          citizen_id: citizenId,
          register_number: registerNumber,
          ...names,
          date_of_birth: input.dateOfBirth,
          sex: input.sex,
          ethnicity_code: input.ethnicityCode,
          religion_code: input.religionCode ?? null,
          birthplace: input.birthplace ?? null,
          address: input.address ?? null,
          status_code: '01',
          status_date: admissionDate,
          is_current: true,
          current_class_id: cls.id,
        },
        year: cls.year,
        enrolmentId: newId(),
        eventId,
        createdBy: caller.actor.userId,
        guardians: input.guardians.map((g) => guardianRow(schoolId, id, g, newId(), null)),
        audit: auditColumns(caller.actor, { action: 'student.create', entity: 'student', entityId: id, orgUnitId: schoolId, targetLabel: personLabel(names) }, caller.ip),
      }),
    { learnerId, citizenId, registerNumber },
  );
  // The answer is the profile a read would give, made from the rows just written: a new learner
  // has one enrolment, one event and no transfer (students.round-trips.test.ts compares the two).
  return presentProfile({
    ...student,
    ethnicity_name: codeListName(ETHNICITY_LIST, student.ethnicity_code),
    status_name: codeListName(STATUS_LIST, student.status_code),
    class_name: cls.name,
    grade: cls.grade,
    school_name: schoolName,
    guardians,
    enrolments: [{ year: cls.year, start_date: admissionDate, end_date: null, class_name: cls.name, school_name: schoolName }],
    events: [
      {
        id: eventId,
        school_id: schoolId,
        kind: 'admitted',
        event_date: admissionDate,
        status_code: student.status_code,
        note: null,
        from_class_name: null,
        to_class_name: cls.name,
        school_name: schoolName,
        other_school_name: null,
      },
    ],
    pending: null,
  });
}

export async function updateStudentRecord(
  db: Db,
  caller: Caller,
  schoolId: string,
  studentId: string,
  input: TUpdateStudent,
): Promise<TStudentProfile> {
  await requireStudent(db, schoolId, studentId);
  if (input.guardians) assertGuardianRelations(input.guardians);
  assertCodes(input);
  const patch: Partial<StudentRow> = {};
  if (input.fullName !== undefined) Object.assign(patch, nameColumns(input.fullName));
  if (input.dateOfBirth !== undefined) patch.date_of_birth = input.dateOfBirth;
  if (input.sex !== undefined) patch.sex = input.sex;
  if (input.ethnicityCode !== undefined) patch.ethnicity_code = input.ethnicityCode || '01';
  if (input.religionCode !== undefined) patch.religion_code = input.religionCode;
  if (input.birthplace !== undefined) patch.birthplace = input.birthplace;
  if (input.address !== undefined) patch.address = input.address;
  if (input.citizenId !== undefined) patch.citizen_id = input.citizenId;
  if (input.learnerId !== undefined) patch.learner_id = input.learnerId;
  if (input.registerNumber !== undefined) patch.register_number = input.registerNumber;
  await mapUniqueViolations(
    () =>
      db.transaction().execute(async (trx) => {
        const current = await lockStudent(trx, schoolId, studentId);
        if (!current) throw notFound('Không tìm thấy học sinh.');
        const before = await snapshot(trx, schoolId, studentId);
        if (patch.date_of_birth && current.current_class_id) {
          const cls = await findClass(trx, schoolId, current.current_class_id);
          if (cls) assertDateOfBirthFits(patch.date_of_birth, cls);
        }
        const self = { schoolId, id: studentId };
        if (current.is_current && patch.learner_id && patch.learner_id !== current.learner_id && (await currentWithLearnerId(trx, patch.learner_id, self))) {
          throw learnerTaken(patch.learner_id);
        }
        if (current.is_current && patch.citizen_id && patch.citizen_id !== current.citizen_id && (await currentWithCitizenId(trx, patch.citizen_id, self))) {
          throw citizenTaken(patch.citizen_id);
        }
        // Removing the Ministry id leaves the learner with a temporary code (one of the two is required).
        if (patch.learner_id === null && !current.temp_code) {
          patch.temp_code = await issueTempCode(trx, schoolId);
        }
        if (Object.keys(patch).length > 0) await updateStudent(trx, schoolId, studentId, patch);

        if (input.guardians) {
          const existing = new Map(before.guardians.map((g) => [g.id, g]));
          const kept = new Set<string>();
          const inserts: GuardianInsert[] = [];
          for (const g of input.guardians) {
            if (g.id) {
              const old = existing.get(g.id);
              if (!old) throw badRequest('guardian_not_found', 'Người giám hộ cần sửa không thuộc học sinh này. Hãy tải lại hồ sơ rồi thử lại.');
              if (kept.has(g.id)) throw badRequest('guardian_duplicate_id', 'Một người giám hộ được gửi lên hai lần.');
              kept.add(g.id);
              // user_id stays: the parent account linked to this guardian keeps its access.
              await updateGuardian(trx, guardianRow(schoolId, studentId, g, g.id, old.user_id));
            } else {
              inserts.push(guardianRow(schoolId, studentId, g, newId(), null));
            }
          }
          await deleteGuardians(
            trx,
            schoolId,
            studentId,
            before.guardians.filter((g) => !kept.has(g.id)).map((g) => g.id),
          );
          await insertGuardians(trx, inserts);
        }
        await writeAudit(
          trx,
          caller.actor,
          { action: 'student.update', entity: 'student', entityId: studentId, orgUnitId: schoolId, before, after: await snapshot(trx, schoolId, studentId) },
          caller.ip,
        );
      }),
    { learnerId: patch.learner_id, citizenId: patch.citizen_id, registerNumber: patch.register_number },
  );
  return buildProfile(db, schoolId, studentId);
}
