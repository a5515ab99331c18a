// The student planner without a database: rows and the school's students in, a plan out.
import { describe, expect, it } from 'vitest';
import { nameSortKey, searchFold, splitFullName } from '../../../../domain/index.js';
import { sheetOf } from './plan.test-helpers.js';
import { STUDENT_SHEET, type StudentCandidate, validateStudentRows } from './student-import.js';
import { type ExistingStudent, type StudentContext, type StudentSnapshot, planStudentImport } from './student-plan.js';

const SCHOOL = 'school-a';
const C5A1 = 'class-5a1-2024';
const C6A1 = 'class-6a1';
const C6A2 = 'class-6a2';

function candidate(row: number, over: Partial<StudentCandidate> & { fullName?: string } = {}): StudentCandidate {
  const fullName = over.fullName ?? 'Nguyễn Văn An';
  const parts = splitFullName(fullName);
  const dob = over.dateOfBirth ?? '2014-03-02';
  return {
    row,
    learnerId: null,
    tempCode: null,
    citizenId: null,
    registerNumber: null,
    ...parts,
    fullName,
    sortKey: nameSortKey(parts),
    searchText: searchFold(fullName),
    nameDobKey: `${searchFold(fullName)}|${dob}`,
    dateOfBirth: dob,
    sex: 'male',
    ethnicityCode: '01',
    statusCode: null,
    classId: C6A1,
    className: '6A1',
    birthplace: null,
    address: null,
    father: null,
    mother: null,
    guardian: null,
    ...over,
  };
}

function stored(id: string, over: Partial<ExistingStudent> = {}): ExistingStudent {
  return {
    id,
    person_id: `person-${id}`,
    learner_id: null,
    temp_code: null,
    citizen_id: null,
    register_number: null,
    family_name: 'Nguyễn',
    middle_name: 'Văn',
    given_name: 'An',
    date_of_birth: '2014-03-02',
    sex: 'male',
    ethnicity_code: '01',
    status_code: '01',
    status_date: '2025-09-05',
    birthplace: null,
    address: null,
    current_class_id: C6A1,
    is_current: true,
    ...over,
  };
}

function context(students: ExistingStudent[], more: Partial<StudentSnapshot> = {}, allowIdentityChanges = false): StudentContext {
  return {
    snapshot: {
      schoolId: SCHOOL,
      students,
      guardians: [],
      learnerIdsElsewhere: new Set(),
      citizenOwners: new Map(),
      formerRecords: new Map(),
      classYears: new Map([[C5A1, 2024], [C6A1, 2025], [C6A2, 2025]]),
      ...more,
    },
    statusDate: '2025-09-05',
    allowIdentityChanges,
    headers: { learnerId: 'Mã định danh', citizenId: 'Số định danh cá nhân', registerNumber: 'Số đăng bộ', name: 'Họ và tên', dob: 'Ngày sinh', sex: 'Giới tính' },
  };
}

describe('student planner: creates', () => {
  it('a row matching nobody is created; one without any id gets its temporary code from the issuer when written', () => {
    const plan = planStudentImport(
      [
        candidate(2, { learnerId: '0100000001' }),
        candidate(3, { fullName: 'Trần Thị Bình' }),
        candidate(4, { fullName: 'Lê Văn Cường', tempCode: 'TMP-01001001-000007' }),
      ],
      context([]),
    );
    expect(plan.issues).toEqual([]);
    expect(plan.updates).toEqual([]);
    expect(plan.unchanged).toEqual([]);
    expect(plan.creates.map((c) => [c.candidate.row, c.needsTempCode, c.row.learner_id, c.row.temp_code])).toEqual([
      [2, false, '0100000001', null],
      [3, true, null, null],
      [4, false, null, 'TMP-01001001-000007'],
    ]);
    expect(plan.creates.every((c) => c.row.status_date === '2025-09-05' && c.row.status_code === '01' && c.personId === null)).toBe(true);
  });

  it('a learner id that continues a record of a school the learner left keeps that person', () => {
    const formerRecords = new Map([
      ['0100000009', { personId: 'person-old', schoolId: 'school-b', family_name: 'Nguyễn', middle_name: 'Văn', given_name: 'An', date_of_birth: '2014-03-02', sex: 'male' as const }],
    ]);
    const plan = planStudentImport([candidate(2, { learnerId: '0100000009' })], context([], { formerRecords }));
    expect(plan.creates.map((c) => c.personId)).toEqual(['person-old']);
  });
});

describe('student planner: updates and unchanged rows', () => {
  it('a matched student identical to the row is unchanged; a changed one is an update naming only the changed columns', () => {
    const same = stored('s1', { learner_id: '0100000001', birthplace: 'Hà Nội' });
    const moved = stored('s2', { learner_id: '0100000002', given_name: 'Bình', address: '1 Lê Lợi' });
    const plan = planStudentImport(
      [
        // A blank cell (birthplace null) keeps the stored value: no change.
        candidate(2, { learnerId: '0100000001' }),
        candidate(3, { learnerId: '0100000002', fullName: 'Nguyễn Văn Bình', address: '2 Lê Lợi' }),
      ],
      context([same, moved]),
    );
    expect(plan.issues).toEqual([]);
    expect(plan.creates).toEqual([]);
    expect(plan.unchanged).toEqual([2]);
    expect(plan.updates.map((u) => [u.candidate.row, u.existing.id, u.changed, u.classMove, u.statusChanged])).toEqual([[3, 's2', ['address'], null, false]]);
    expect(plan.updates[0]!.row).toMatchObject({ address: '2 Lê Lợi', birthplace: null, status_date: '2025-09-05' });
  });

  it('a new guardian alone makes an update', () => {
    const plan = planStudentImport([candidate(2, { learnerId: '0100000001', father: { name: 'Nguyễn Văn Ba', phone: '0912345678' } })], context([stored('s1', { learner_id: '0100000001' })]));
    expect(plan.unchanged).toEqual([]);
    expect(plan.updates.map((u) => [u.changed, u.guardians])).toEqual([[[], [{ op: 'insert', relation: 'father', name: 'Nguyễn Văn Ba', phone: '0912345678' }]]]);
  });

  it('a class of a later year is a promotion, another class of the same year a class transfer; a new status starts at the status date', () => {
    const plan = planStudentImport(
      [
        candidate(2, { learnerId: '0100000001' }),
        candidate(3, { learnerId: '0100000002', fullName: 'Nguyễn Văn Bình', statusCode: '02' }),
      ],
      context([
        stored('s1', { learner_id: '0100000001', current_class_id: C5A1 }),
        stored('s2', { learner_id: '0100000002', given_name: 'Bình', current_class_id: C6A2, status_date: '2024-09-05' }),
      ]),
    );
    expect(plan.updates.map((u) => [u.existing.id, u.classMove, u.statusChanged])).toEqual([
      ['s1', { from: C5A1, to: C6A1, kind: 'promoted' }, false],
      ['s2', { from: C6A2, to: C6A1, kind: 'class_transfer' }, true],
    ]);
    expect(plan.updates[1]!.row.status_date).toBe('2025-09-05');
  });

  it('a row without ids matches by name and date of birth; a new learner id fills in the id of a student who had none', () => {
    const plan = planStudentImport(
      [candidate(2, { learnerId: '0100000001' }), candidate(3, { fullName: 'Trần Thị Bình', sex: 'female' })],
      context([stored('s1', { temp_code: 'TMP-01001001-000001' }), stored('s2', { family_name: 'Trần', middle_name: 'Thị', given_name: 'Bình', sex: 'female' })]),
    );
    expect(plan.creates).toEqual([]);
    expect(plan.updates.map((u) => [u.existing.id, u.changed, u.row.temp_code])).toEqual([['s1', ['learner_id'], 'TMP-01001001-000001']]);
    expect(plan.unchanged).toEqual([3]);
  });

  it('the same full name split differently is no change: the stored split stays', () => {
    const plan = planStudentImport(
      [candidate(2, { learnerId: '0100000001', fullName: 'Âu Dương Bình', familyName: 'Âu Dương', middleName: '', givenName: 'Bình' })],
      context([stored('s1', { learner_id: '0100000001', family_name: 'Âu', middle_name: 'Dương', given_name: 'Bình' })]),
    );
    expect(plan.issues).toEqual([]);
    expect(plan.unchanged).toEqual([2]);
  });
});

describe('student planner: conflicts', () => {
  const IDENTITY = 'Không khớp thông tin nhận dạng: mã định danh 0100000001 trong tệp là của học sinh Nguyễn Văn An (sinh ngày 02/03/2014, Nam) của trường, nhưng tệp ghi họ tên "Nguyễn Văn Anh" (trường đang ghi "Nguyễn Văn An").';

  it('an identity conflict is refused, naming the student as the school knows them; allowed, it is an update that says so', () => {
    const rows = [candidate(2, { learnerId: '0100000001', fullName: 'Nguyễn Văn Anh' })];
    const students = [stored('s1', { learner_id: '0100000001' })];
    const refused = planStudentImport(rows, context(students));
    expect(refused.creates.length + refused.updates.length + refused.unchanged.length).toBe(0);
    expect(refused.issues).toEqual([{ row: 2, column: 'Họ và tên', value: 'Nguyễn Văn Anh', message: expect.stringContaining(IDENTITY) as string, severity: 'error' }]);

    const allowed = planStudentImport(rows, context(students, {}, true));
    expect(allowed.issues).toEqual([]);
    expect(allowed.updates.map((u) => [u.identityChanged, u.changed, u.row.given_name])).toEqual([[['name'], ['given_name'], 'Anh']]);
  });

  it('ids held elsewhere, two rows for one student, ambiguous names and a departed temporary code are errors on those rows', () => {
    const plan = planStudentImport(
      [
        candidate(2, { learnerId: '0100000005' }),
        candidate(3, { fullName: 'Trần Thị Bình', sex: 'female', learnerId: '0100000002' }),
        candidate(4, { fullName: 'Trần Thị Bình', sex: 'female' }),
        candidate(5, { fullName: 'Lê Văn Cường' }),
        candidate(6, { fullName: 'Phạm Văn Dũng', tempCode: 'TMP-01001001-000003' }),
        candidate(7, { fullName: 'Hoàng Văn Em', citizenId: '001201001234' }),
      ],
      context(
        [
          stored('b', { family_name: 'Trần', middle_name: 'Thị', given_name: 'Bình', sex: 'female', learner_id: '0100000002' }),
          stored('c1', { family_name: 'Lê', middle_name: 'Văn', given_name: 'Cường' }),
          stored('c2', { family_name: 'Lê', middle_name: 'Văn', given_name: 'Cường' }),
          stored('d', { family_name: 'Phạm', middle_name: 'Văn', given_name: 'Dũng', temp_code: 'TMP-01001001-000003', is_current: false }),
        ],
        { learnerIdsElsewhere: new Set(['0100000005']), citizenOwners: new Map([['001201001234', { schoolId: SCHOOL, studentId: 'c1' }]]) },
      ),
    );
    expect(plan.issues.map((i) => [i.row, i.column, i.message])).toEqual([
      [2, 'Mã định danh', 'Mã định danh đã thuộc một học sinh đang học ở trường khác; hãy làm thủ tục chuyển trường'],
      [4, 'Họ và tên', 'Dòng này và dòng 3 cùng khớp với một học sinh đã có trong trường; hãy kiểm tra mã định danh'],
      [5, 'Họ và tên', 'Có 2 học sinh cùng họ tên và ngày sinh trong trường; hãy ghi mã định danh để phân biệt'],
      [6, 'Mã định danh', 'Mã tạm này thuộc học sinh đã rời trường; hãy xóa mã tạm nếu đây là học sinh mới'],
      [7, 'Số định danh cá nhân', 'Số định danh cá nhân đã thuộc một học sinh khác của trường; hãy kiểm tra lại'],
    ]);
    expect(plan.issues.every((i) => i.severity === 'error')).toBe(true);
    expect(plan.unchanged).toEqual([3]);
    expect(plan.creates).toEqual([]);
  });

  it("another school's former record with another identity is refused without naming anyone", () => {
    const formerRecords = new Map([
      ['0100000009', { personId: 'p', schoolId: 'school-b', family_name: 'Đỗ', middle_name: 'Thị', given_name: 'Hoa', date_of_birth: '2014-01-01', sex: 'female' as const }],
    ]);
    const plan = planStudentImport([candidate(2, { learnerId: '0100000009' })], context([], { formerRecords }));
    expect(plan.creates).toEqual([]);
    expect(plan.issues).toHaveLength(1);
    expect(plan.issues[0]).toMatchObject({ row: 2, column: 'Mã định danh', value: '0100000009' });
    expect(plan.issues[0]!.message).not.toMatch(/Hoa|school-b|ngày sinh 01\/01/);
  });
});

describe('student rows: validation warnings carry on into the plan', () => {
  it('an id that lost its leading zero is padded with a warning, and the row is still planned', () => {
    const sheet = sheetOf(
      STUDENT_SHEET,
      ['Mã định danh', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Lớp'],
      [[100000001, 'Nguyễn Văn An', '02/03/2014', 'Nam', 'Kinh', '6A1']],
    );
    const { candidates, issues } = validateStudentRows(sheet, {
      year: 2025,
      today: '2025-10-01',
      classes: [{ id: C6A1, name: '6A1', grade: 6, year: 2025 }],
      ethnicities: [{ code: '01', name: 'Kinh' }],
      statuses: [{ code: '01', name: 'Đang học' }],
    });
    expect(issues).toEqual([
      { row: 2, column: 'Mã định danh', value: '100000001', message: expect.stringMatching(/^Đã thêm số 0 ở đầu/) as string, severity: 'warning' },
    ]);
    const plan = planStudentImport(candidates, context([]));
    expect(plan.creates.map((c) => c.row.learner_id)).toEqual(['0100000001']);
  });
});
