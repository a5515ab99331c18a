// The staff planner without a database: rows and the school's staff in, a plan out.
import { describe, expect, it } from 'vitest';
import { splitFullName } from '../../../../domain/index.js';
import type { StaffCandidate } from './staff-import.js';
import { type ExistingStaff, type StaffContext, planStaffImport } from './staff-plan.js';

function candidate(row: number, fullName: string, over: Partial<StaffCandidate> = {}): StaffCandidate {
  return {
    row,
    staffCode: null,
    ...splitFullName(fullName),
    fullName,
    dateOfBirth: null,
    sex: null,
    position: null,
    qualificationCode: null,
    contractTypeCode: null,
    subjectCodes: null,
    phone: null,
    email: null,
    citizenId: null,
    ethnicityCode: null,
    ...over,
  };
}

function stored(id: string, fullName: string, over: Partial<ExistingStaff> = {}): ExistingStaff {
  const { familyName, middleName, givenName } = splitFullName(fullName);
  return {
    id,
    staff_code: null,
    family_name: familyName,
    middle_name: middleName,
    given_name: givenName,
    date_of_birth: null,
    sex: null,
    position: 'teacher',
    qualification_code: null,
    contract_type_code: null,
    subject_codes: [],
    phone: null,
    email: null,
    citizen_id: null,
    ethnicity_code: null,
    ...over,
  };
}

const context = (existing: ExistingStaff[]): StaffContext => ({ existing, nameHeader: 'Họ và tên' });

describe('staff planner', () => {
  it('creates the unknown, leaves the identical alone and updates only what changed (blank cells keep the stored value)', () => {
    const plan = planStaffImport(
      [
        candidate(2, 'Đỗ Thị Mai', { staffCode: 'GV101', phone: '0911111111' }),
        candidate(3, 'Vũ Văn Long', { staffCode: 'GV102' }),
        candidate(4, 'Ngô Thị Hằng', { position: 'staff', subjectCodes: ['toan'] }),
      ],
      context([
        stored('mai', 'Đỗ Thị Mai', { staff_code: 'GV101', phone: '0912345678', email: 'mai@truong.edu.vn', subject_codes: ['toan', 'tin_hoc'] }),
        stored('long', 'Vũ Văn Long', { staff_code: 'GV102', position: 'vice_principal', date_of_birth: '1979-01-03' }),
      ]),
    );
    expect(plan.issues).toEqual([]);
    expect(plan.unchanged).toEqual([3]);
    expect(plan.updates.map((u) => [u.row, u.id, u.changed, u.before])).toEqual([[2, 'mai', ['phone'], { phone: '0912345678' }]]);
    expect(plan.updates[0]!.values).toMatchObject({ phone: '0911111111', email: 'mai@truong.edu.vn', subject_codes: ['toan', 'tin_hoc'] });
    expect(plan.creates.map((c) => [c.row, c.values.position, c.values.subject_codes, c.values.staff_code])).toEqual([[4, 'staff', ['toan'], null]]);
    expect(plan.creates[0]!.values).toMatchObject({ family_name: 'Ngô', given_name: 'Hằng', search_text: 'ngo thi hang' });
  });

  it('without a matching staff code, finds the person by name and date of birth; a row without a date finds one whose record has it', () => {
    const plan = planStaffImport(
      [
        candidate(2, 'Phan Văn Tài', { staffCode: 'GV201', dateOfBirth: '1990-01-01' }),
        candidate(3, 'Lý Thị Thu', { email: 'thu@truong.edu.vn' }),
      ],
      context([stored('tai', 'Phan Văn Tài', { date_of_birth: '1990-01-01' }), stored('thu', 'Lý Thị Thu', { date_of_birth: '1985-06-07' })]),
    );
    expect(plan.creates).toEqual([]);
    expect(plan.updates.map((u) => [u.id, u.changed, u.values.date_of_birth])).toEqual([
      ['tai', ['staff_code'], '1990-01-01'],
      ['thu', ['email'], '1985-06-07'],
    ]);
  });

  it('a staff code only takes a person without one; ambiguous names and two rows for one person are errors on the name column', () => {
    const plan = planStaffImport(
      [
        candidate(2, 'Phan Văn Tài', { staffCode: 'GV301' }),
        candidate(3, 'Bùi Văn Nam'),
        candidate(4, 'Trịnh Thị Lan', { staffCode: 'GV401' }),
        candidate(5, 'Trịnh Thị Lan'),
      ],
      context([
        stored('tai', 'Phan Văn Tài', { staff_code: 'GV300' }),
        stored('nam1', 'Bùi Văn Nam'),
        stored('nam2', 'Bùi Văn Nam'),
        stored('lan', 'Trịnh Thị Lan', { staff_code: 'GV401' }),
      ]),
    );
    expect(plan.creates.map((c) => c.row)).toEqual([2]);
    expect(plan.unchanged).toEqual([4]);
    expect(plan.issues).toEqual([
      { row: 3, column: 'Họ và tên', value: 'Bùi Văn Nam', message: 'Có 2 cán bộ cùng họ tên và ngày sinh; hãy ghi Mã cán bộ để phân biệt', severity: 'error' },
      { row: 5, column: 'Họ và tên', value: 'Trịnh Thị Lan', message: 'Dòng này và dòng 4 cùng khớp với một cán bộ đã có', severity: 'error' },
    ]);
  });
});
