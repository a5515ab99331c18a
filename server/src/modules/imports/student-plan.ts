/**
 * The student import's planner: decides, for every valid row, whether it updates a student of
 * the school, creates one, or changes nothing, and finds the conflicts only the database can
 * reveal (ids held elsewhere, identity conflicts, two rows for one student). Pure: the context
 * comes from student-import.repo.ts, and the plan is written there.
 */
import { formatVnDate, nameSortKey, searchFold } from '../../../../domain/index.js';
import type { Sex, StudentRow } from '../../db/schema.js';
import type { ImportPlan } from './pipeline.js';
import type { ImportIssue } from './sheet-columns.js';
import type { StudentCandidate } from './student-import.js';

export type ExistingStudent = Pick<
  StudentRow,
  'id' | 'person_id' | 'learner_id' | 'temp_code' | 'citizen_id' | 'register_number' | 'family_name' | 'middle_name' | 'given_name' | 'date_of_birth' | 'sex' | 'ethnicity_code' | 'status_code' | 'status_date' | 'birthplace' | 'address' | 'current_class_id' | 'is_current'
>;

export type ExistingGuardian = { id: string; student_id: string; relation: GuardianRelation; full_name: string; phone: string | null };
export type GuardianRelation = 'father' | 'mother' | 'guardian';

export type StudentSnapshot = {
  schoolId: string;
  /** Every student row of this school (current or not). */
  students: ExistingStudent[];
  guardians: ExistingGuardian[];
  /** Learner ids from the file that belong to a CURRENT student of another school. */
  learnerIdsElsewhere: Set<string>;
  /** Citizen ids from the file → the current student holding it (any school). */
  citizenOwners: Map<string, { schoolId: string; studentId: string }>;
  /**
   * Learner ids from the file seen on NON-current rows (a school the learner left): a new row
   * keeps the same person, provided it is the same person (see the identity rule).
   */
  formerRecords: Map<string, FormerRecord>;
  /** Year of every class of the school (to tell a class change from a promotion). */
  classYears: Map<string, number>;
};

/** The latest earlier record of a learner id, as far as the identity rule needs it. */
export type FormerRecord = {
  personId: string;
  schoolId: string;
  family_name: string;
  middle_name: string;
  given_name: string;
  date_of_birth: string;
  sex: Sex;
};

/**
 * Who a student is, for the import: full name, date of birth, sex. A file may fill in or change
 * everything else about a matched student, but never these on its own: a row whose key (learner
 * id, temporary code, or name + date of birth) finds a student whose identity differs is an
 * identity conflict — refused unless the upload explicitly allows identity changes.
 */
export type IdentityField = 'name' | 'date_of_birth' | 'sex';

type Identity = { family_name: string; middle_name: string; given_name: string; date_of_birth: string; sex: Sex };

const joinName = (p: { family_name: string; middle_name: string; given_name: string }) =>
  [p.family_name, p.middle_name, p.given_name].filter((x) => x !== '').join(' ');

/** Identity fields on which the row and the stored student differ (names compared as written, after normalisation). */
export function identityDiff(stored: Identity, c: StudentCandidate): IdentityField[] {
  const out: IdentityField[] = [];
  if (joinName(stored) !== c.fullName) out.push('name');
  if (stored.date_of_birth !== c.dateOfBirth) out.push('date_of_birth');
  if (stored.sex !== c.sex) out.push('sex');
  return out;
}

const SEX_LABEL: Record<Sex, string> = { male: 'Nam', female: 'Nữ' };

/** "Nguyễn Văn An (sinh ngày 02/03/2014, Nam)": the student as the school knows them. */
const describeStudent = (s: Identity) => `${joinName(s)} (sinh ngày ${formatVnDate(s.date_of_birth)}, ${SEX_LABEL[s.sex]})`;

/** "họ tên "Nguyễn Văn Anh" (trường đang ghi "Nguyễn Văn An"); ngày sinh …" */
function describeDiff(stored: Identity, c: StudentCandidate, diff: IdentityField[]): string {
  const parts = diff.map((f) =>
    f === 'name'
      ? `họ tên "${c.fullName}" (trường đang ghi "${joinName(stored)}")`
      : f === 'date_of_birth'
        ? `ngày sinh ${formatVnDate(c.dateOfBirth)} (trường đang ghi ${formatVnDate(stored.date_of_birth)})`
        : `giới tính ${SEX_LABEL[c.sex]} (trường đang ghi ${SEX_LABEL[stored.sex]})`,
  );
  return parts.join('; ');
}

export const IDENTITY_MODE_LABEL = 'Cho phép sửa họ tên / ngày sinh / giới tính theo tệp';

/** The columns of a student record that an import writes. */
export type StudentValues = Pick<
  StudentRow,
  'learner_id' | 'temp_code' | 'citizen_id' | 'register_number' | 'family_name' | 'middle_name' | 'given_name' | 'name_sort_key' | 'search_text' | 'date_of_birth' | 'sex' | 'ethnicity_code' | 'status_code' | 'status_date' | 'birthplace' | 'address' | 'current_class_id'
>;

export type GuardianWrite =
  | { op: 'insert'; relation: GuardianRelation; name: string; phone: string | null }
  | { op: 'update'; id: string; relation: GuardianRelation; name: string; phone: string | null; before: { name: string; phone: string | null } };

export type PlannedCreate = { candidate: StudentCandidate; personId: string | null; needsTempCode: boolean; row: StudentValues; guardians: GuardianWrite[] };

export type PlannedUpdate = {
  candidate: StudentCandidate;
  existing: ExistingStudent;
  /** The full row after the update (unchanged columns keep their stored value). */
  row: StudentValues;
  changed: (keyof StudentValues)[];
  /** Identity fields this update changes: only ever non-empty when the upload allowed it. */
  identityChanged: IdentityField[];
  classMove: { from: string | null; to: string; kind: 'class_transfer' | 'promoted' } | null;
  statusChanged: boolean;
  guardians: GuardianWrite[];
};

export type StudentPlan = ImportPlan<PlannedCreate, PlannedUpdate>;

function guardianWrites(c: StudentCandidate, existing: ExistingGuardian[]): GuardianWrite[] {
  const out: GuardianWrite[] = [];
  for (const relation of ['father', 'mother', 'guardian'] as const) {
    const g = c[relation];
    if (!g) continue;
    const cur = existing.find((e) => e.relation === relation);
    if (!cur) out.push({ op: 'insert', relation, name: g.name, phone: g.phone });
    else if (cur.full_name !== g.name || (g.phone !== null && cur.phone !== g.phone)) {
      out.push({ op: 'update', id: cur.id, relation, name: g.name, phone: g.phone ?? cur.phone, before: { name: cur.full_name, phone: cur.phone } });
    }
  }
  return out;
}

export type StudentContext = {
  snapshot: StudentSnapshot;
  /** The date new enrolments, events and changed statuses start (see studentStartDate). */
  statusDate: string;
  /** The uploader asked for (and may use) "Cho phép sửa họ tên / ngày sinh / giới tính theo tệp". */
  allowIdentityChanges?: boolean;
  /** The file's own headers, for messages. */
  headers: { learnerId: string; citizenId: string; registerNumber?: string; name: string; dob?: string; sex?: string };
};

/**
 * Decides, for every valid row, whether it updates an existing student of the school, creates
 * one, or changes nothing, and finds conflicts only the database can reveal.
 *
 * Match order: learner id → temporary code → (full name + date of birth). A row with a
 * learner id that is not yet stored may match a student who has no learner id yet by name
 * and date of birth (that is how Ministry ids get filled in); a row without any id matches a
 * current student by name and date of birth when exactly one has them.
 *
 * Whatever matched, the student's identity (full name, date of birth, sex) must agree with the
 * row unless ctx.allowIdentityChanges (see identityDiff); the same holds for a learner id that
 * continues an earlier school's record, and there it holds in every mode.
 */
export function planStudentImport(candidates: StudentCandidate[], ctx: StudentContext): StudentPlan {
  const snap = ctx.snapshot;
  const issues: ImportIssue[] = [];
  const allowIdentity = ctx.allowIdentityChanges === true;
  const current = snap.students.filter((s) => s.is_current);
  const byLearner = new Map(current.filter((s) => s.learner_id).map((s) => [s.learner_id as string, s]));
  const byTemp = new Map(snap.students.filter((s) => s.temp_code).map((s) => [s.temp_code as string, s]));
  // Every row of the school holds its số đăng bộ (a learner who left keeps theirs: the register is not reused).
  const byRegister = new Map(snap.students.filter((s) => s.register_number).map((s) => [s.register_number as string, s]));
  const byNameDob = new Map<string, ExistingStudent[]>();
  for (const s of current) {
    const k = `${searchFold([s.family_name, s.middle_name, s.given_name].filter(Boolean).join(' '))}|${s.date_of_birth}`;
    const list = byNameDob.get(k);
    if (list) list.push(s);
    else byNameDob.set(k, [s]);
  }
  const guardiansOf = new Map<string, ExistingGuardian[]>();
  for (const g of snap.guardians) {
    const list = guardiansOf.get(g.student_id);
    if (list) list.push(g);
    else guardiansOf.set(g.student_id, [g]);
  }
  const claimed = new Map<string, number>(); // existing student id → file row
  const creates: PlannedCreate[] = [];
  const updates: PlannedUpdate[] = [];
  const unchanged: number[] = [];

  const err = (c: StudentCandidate, column: string, value: string | null, message: string) =>
    issues.push({ row: c.row, column, value, message, severity: 'error' });
  // The conflict is reported on the first differing field, with the file's value there.
  const conflictAt = (c: StudentCandidate, diff: IdentityField[]): [string, string] => {
    const f = diff[0];
    if (f === 'date_of_birth') return [ctx.headers.dob ?? 'Ngày sinh', formatVnDate(c.dateOfBirth)];
    if (f === 'sex') return [ctx.headers.sex ?? 'Giới tính', SEX_LABEL[c.sex]];
    return [ctx.headers.name, c.fullName];
  };

  for (const c of candidates) {
    let match: ExistingStudent | undefined;
    let matchedBy: 'learnerId' | 'tempCode' | 'nameDob' = 'nameDob';
    let fail = false;
    if (c.learnerId) {
      match = byLearner.get(c.learnerId);
      if (match) matchedBy = 'learnerId';
      if (!match && snap.learnerIdsElsewhere.has(c.learnerId)) {
        err(c, ctx.headers.learnerId, c.learnerId, 'Mã định danh đã thuộc một học sinh đang học ở trường khác; hãy làm thủ tục chuyển trường');
        fail = true;
      }
      if (!match && !fail) {
        const same = (byNameDob.get(c.nameDobKey) ?? []).filter((s) => !s.learner_id);
        if (same.length === 1) match = same[0];
      }
    } else if (c.tempCode) {
      match = byTemp.get(c.tempCode);
      matchedBy = 'tempCode';
      if (match && !match.is_current) {
        err(c, ctx.headers.learnerId, c.tempCode, 'Mã tạm này thuộc học sinh đã rời trường; hãy xóa mã tạm nếu đây là học sinh mới');
        fail = true;
      }
    } else {
      const same = byNameDob.get(c.nameDobKey) ?? [];
      if (same.length > 1) {
        err(c, ctx.headers.name, c.fullName, `Có ${same.length} học sinh cùng họ tên và ngày sinh trong trường; hãy ghi mã định danh để phân biệt`);
        fail = true;
      } else match = same[0];
    }
    if (!fail && match) {
      const other = claimed.get(match.id);
      if (other !== undefined) {
        err(c, ctx.headers.name, c.fullName, `Dòng này và dòng ${other} cùng khớp với một học sinh đã có trong trường; hãy kiểm tra mã định danh`);
        fail = true;
      } else if (c.learnerId && match.learner_id && match.learner_id !== c.learnerId) {
        err(c, ctx.headers.learnerId, c.learnerId, `Học sinh này đã có mã định danh ${match.learner_id} khác với mã trong tệp`);
        fail = true;
      }
    }
    // Identity rule, for a student of this school the row would update.
    let identityChanged: IdentityField[] = [];
    if (!fail && match) {
      const diff = identityDiff(match, c);
      if (diff.length > 0 && !allowIdentity) {
        const key =
          matchedBy === 'learnerId'
            ? `mã định danh ${c.learnerId} trong tệp là của học sinh ${describeStudent(match)} của trường`
            : matchedBy === 'tempCode'
              ? `mã tạm ${c.tempCode} trong tệp là của học sinh ${describeStudent(match)} của trường`
              : `họ tên (không kể dấu, hoa thường) và ngày sinh trong tệp khớp với học sinh ${describeStudent(match)} của trường`;
        const [column, value] = conflictAt(c, diff);
        err(
          c,
          column,
          value,
          `Không khớp thông tin nhận dạng: ${key}, nhưng tệp ghi ${describeDiff(match, c, diff)}. Chưa ghi gì cho dòng này (không ghi đè). ` +
            `Nếu mã hoặc thông tin trong tệp bị nhầm, hãy sửa tệp; nếu tệp đúng (ví dụ đã sửa theo giấy khai sinh), hiệu trưởng tải tệp lên lại với tùy chọn "${IDENTITY_MODE_LABEL}".`,
        );
        fail = true;
      } else identityChanged = diff;
    }
    // A new row that continues the record of a learner who left a school must be that learner.
    const former = !fail && !match && c.learnerId ? snap.formerRecords.get(c.learnerId) : undefined;
    if (former) {
      const diff = identityDiff(former, c);
      if (diff.length > 0) {
        if (former.schoolId === snap.schoolId) {
          const [column, value] = conflictAt(c, diff);
          err(
            c,
            column,
            value,
            `Không khớp thông tin nhận dạng: mã định danh ${c.learnerId} là của học sinh ${describeStudent(former)} đã từng học ở trường, nhưng tệp ghi ${describeDiff(former, c, diff)}. Chưa ghi gì cho dòng này. ` +
              'Hãy kiểm tra lại mã định danh; nếu đúng là học sinh này trở lại trường, hãy ghi họ tên, ngày sinh, giới tính như hồ sơ cũ, nhập xong rồi sửa trên hồ sơ học sinh.',
          );
        } else {
          // Another school's record: say nothing that identifies it, not even which field differs.
          err(
            c,
            ctx.headers.learnerId,
            c.learnerId,
            'Mã định danh này đã có trong hệ thống cho một học sinh có họ tên, ngày sinh hoặc giới tính khác với tệp; chưa ghi gì cho dòng này. ' +
              'Hãy kiểm tra lại mã định danh; nếu mã đúng, hãy đối chiếu với trường cũ của học sinh hoặc phòng/sở giáo dục.',
          );
        }
        fail = true;
      }
    }
    if (!fail && c.citizenId) {
      const owner = snap.citizenOwners.get(c.citizenId);
      if (owner && owner.studentId !== match?.id) {
        err(
          c,
          ctx.headers.citizenId,
          c.citizenId,
          owner.schoolId === snap.schoolId
            ? 'Số định danh cá nhân đã thuộc một học sinh khác của trường; hãy kiểm tra lại'
            : 'Số định danh cá nhân đã thuộc một học sinh đang học ở trường khác; hãy làm thủ tục chuyển trường',
        );
        fail = true;
      }
    }
    if (!fail && c.registerNumber) {
      const owner = byRegister.get(c.registerNumber);
      if (owner && owner.id !== match?.id) {
        err(c, ctx.headers.registerNumber ?? 'Số đăng bộ', c.registerNumber, 'Số đăng bộ đã là của một học sinh khác của trường; hãy kiểm tra lại');
        fail = true;
      }
    }
    if (fail) continue;

    if (!match) {
      creates.push({
        candidate: c,
        personId: former?.personId ?? null,
        // A learner with neither id gets a temporary code when the plan is written (modules/students/temp-codes.ts).
        needsTempCode: !c.learnerId && !c.tempCode,
        row: {
          learner_id: c.learnerId,
          temp_code: c.learnerId ? null : c.tempCode,
          citizen_id: c.citizenId,
          register_number: c.registerNumber,
          family_name: c.familyName,
          middle_name: c.middleName,
          given_name: c.givenName,
          name_sort_key: c.sortKey,
          search_text: c.searchText,
          date_of_birth: c.dateOfBirth,
          sex: c.sex,
          ethnicity_code: c.ethnicityCode ?? '01',
          status_code: c.statusCode ?? '01',
          status_date: ctx.statusDate,
          birthplace: c.birthplace,
          address: c.address,
          current_class_id: c.classId,
        },
        guardians: guardianWrites(c, []),
      });
      continue;
    }

    claimed.set(match.id, c.row);
    const m = match;
    // The same full name split differently ("Âu Dương | Bình" vs "Âu | Dương | Bình") is not a
    // change of name: the stored split stays.
    const keepName = !identityChanged.includes('name');
    const nameParts = keepName
      ? { familyName: m.family_name, middleName: m.middle_name, givenName: m.given_name }
      : { familyName: c.familyName, middleName: c.middleName, givenName: c.givenName };
    const row: StudentValues = {
      learner_id: c.learnerId ?? m.learner_id,
      temp_code: m.temp_code,
      citizen_id: c.citizenId ?? m.citizen_id,
      register_number: c.registerNumber ?? m.register_number,
      family_name: nameParts.familyName,
      middle_name: nameParts.middleName,
      given_name: nameParts.givenName,
      name_sort_key: keepName ? nameSortKey(nameParts) : c.sortKey,
      search_text: keepName ? searchFold(joinName(m)) : c.searchText,
      date_of_birth: c.dateOfBirth,
      sex: c.sex,
      ethnicity_code: c.ethnicityCode ?? m.ethnicity_code,
      status_code: c.statusCode ?? m.status_code,
      status_date: m.status_date,
      birthplace: c.birthplace ?? m.birthplace,
      address: c.address ?? m.address,
      current_class_id: c.classId,
    };
    const statusChanged = row.status_code !== m.status_code;
    if (statusChanged) row.status_date = ctx.statusDate;
    const compared: (keyof StudentValues)[] = [
      'learner_id', 'citizen_id', 'register_number', 'family_name', 'middle_name', 'given_name', 'date_of_birth', 'sex', 'ethnicity_code',
      'status_code', 'birthplace', 'address', 'current_class_id',
    ];
    const changed = compared.filter((k) => row[k] !== m[k as keyof ExistingStudent]);
    let classMove: PlannedUpdate['classMove'] = null;
    if (row.current_class_id !== m.current_class_id) {
      const fromYear = m.current_class_id ? snap.classYears.get(m.current_class_id) : undefined;
      const toYear = snap.classYears.get(c.classId);
      classMove = {
        from: m.current_class_id,
        to: c.classId,
        kind: fromYear !== undefined && toYear !== undefined && fromYear < toYear ? 'promoted' : 'class_transfer',
      };
    }
    const guardians = guardianWrites(c, guardiansOf.get(m.id) ?? []);
    if (changed.length === 0 && guardians.length === 0) {
      unchanged.push(c.row);
      continue;
    }
    updates.push({ candidate: c, existing: m, row, changed, identityChanged, classMove, statusChanged, guardians });
  }
  issues.sort((a, b) => a.row - b.row);
  return { creates, updates, unchanged, issues };
}

/** The student fields shown in audit rows and in the import summary. */
export function auditView(row: StudentValues, keys?: (keyof StudentValues)[]): Record<string, unknown> {
  const pick = keys ?? (Object.keys(row) as (keyof StudentValues)[]).filter((k) => k !== 'name_sort_key' && k !== 'search_text');
  return Object.fromEntries(pick.map((k) => [k, row[k]]));
}
