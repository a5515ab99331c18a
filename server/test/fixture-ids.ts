/**
 * The fixed test province used by every integration test: two provinces, an abolished district
 * office, two commune offices, schools in every relation the access policy distinguishes (same
 * office, other office, other province, closed, moved before / after the move date), and one
 * account per role. Ids are constants so tests can name what they mean.
 */
export const F = {
  password: 'Test@12345',
  ministry: '00000000-0000-7000-8000-000000000001',
  provinceA: '00000000-0000-7000-8000-000000000010',
  provinceB: '00000000-0000-7000-8000-000000000020',
  districtA1: '00000000-0000-7000-8000-000000000011', // abolished 2025-07-01
  communeA1: '00000000-0000-7000-8000-000000000012', // manages schoolA1, schoolA2 since 2025-07-01
  districtB1: '00000000-0000-7000-8000-000000000021',
  communeA2: '00000000-0000-7000-8000-000000000013', // since 2025-07-01, province A
  districtG: '00000000-0000-7000-8000-000000000022', // province A until 2024-01-01, then province B
  // More schools, each with a class, a student, a principal and a teacher (see fixtures.ts, SCHOOL_KITS).
  schoolA3: '00000000-0000-7000-8000-000000000103', // THCS under communeA2: other office, same province
  schoolA4: '00000000-0000-7000-8000-000000000104', // THCS under districtA1 → communeA1, CLOSED 2026-01-01
  schoolG: '00000000-0000-7000-8000-000000000105', // THCS under districtG (one version), CLOSED 2025-06-01: province B held it last
  schoolM1: '00000000-0000-7000-8000-000000000106', // TH communeA2 → communeA1 on 2026-03-01 (moved, in the past)
  schoolM2: '00000000-0000-7000-8000-000000000107', // TH communeA1 → communeA2 on 2099-09-01 (move in the future)
  schoolA1: '00000000-0000-7000-8000-000000000101', // THCS, under districtA1 → communeA1
  schoolA2: '00000000-0000-7000-8000-000000000102', // TH, under districtA1 → communeA1
  schoolB1: '00000000-0000-7000-8000-000000000201', // THPT under provinceB
  siteA1: '00000000-0000-7000-8000-000000000111',
  year: 2025,
  // staff of schoolA1
  principalA1: '00000000-0000-7000-8000-000000001001',
  teacherHomeroom: '00000000-0000-7000-8000-000000001002', // homeroom of 6A1, teaches Ngữ văn 6A1
  teacherMath: '00000000-0000-7000-8000-000000001003', // teaches Toán 6A2 only
  principalB1: '00000000-0000-7000-8000-000000002001',
  // classes
  class6A1: '00000000-0000-7000-8000-000000003001',
  class6A2: '00000000-0000-7000-8000-000000003002',
  class10B1: '00000000-0000-7000-8000-000000003101',
  // students
  studentAn: '00000000-0000-7000-8000-000000004001', // 6A1, child of parentA
  studentBinh: '00000000-0000-7000-8000-000000004002', // 6A1
  studentCuong: '00000000-0000-7000-8000-000000004003', // 6A2, child of parentC
  studentB1: '00000000-0000-7000-8000-000000004101', // schoolB1 10B1
  // users
  users: {
    admin: '00000000-0000-7000-8000-000000009001',
    soA: '00000000-0000-7000-8000-000000009002',
    soB: '00000000-0000-7000-8000-000000009003',
    communeA: '00000000-0000-7000-8000-000000009004',
    principalA1: '00000000-0000-7000-8000-000000009005',
    principalB1: '00000000-0000-7000-8000-000000009006',
    staffA1: '00000000-0000-7000-8000-000000009007',
    homeroomA1: '00000000-0000-7000-8000-000000009008',
    mathA1: '00000000-0000-7000-8000-000000009009',
    parentA: '00000000-0000-7000-8000-000000009010',
    parentC: '00000000-0000-7000-8000-000000009011',
    studentAn: '00000000-0000-7000-8000-000000009012',
    communeA2: '00000000-0000-7000-8000-000000009013',
    districtA1: '00000000-0000-7000-8000-000000009014', // officer of the abolished district office
    principalA3: '00000000-0000-7000-8000-000000009015',
    principalA4: '00000000-0000-7000-8000-000000009016', // principal of the closed school
  },
} as const;

/** Usernames of the fixture accounts, by the key in F.users. */
export const USERNAMES: Record<keyof typeof F.users, string> = {
  admin: 'admin',
  soA: 'so.a',
  soB: 'so.b',
  communeA: 'xa.a',
  principalA1: 'ht.a1',
  principalB1: 'ht.b1',
  staffA1: 'nv.a1',
  homeroomA1: 'gvcn.a1',
  mathA1: 'gv.a1',
  parentA: 'ph.an',
  parentC: 'ph.cuong',
  studentAn: 'hs.an',
  communeA2: 'xa.a2',
  districtA1: 'phong.a1',
  principalA3: 'ht.a3',
  principalA4: 'ht.a4',
};

/**
 * What each extra school holds (fixtures.ts writes it): ids derived from the school's last three
 * digits, so school 103 has class …3103-…, student …4103, etc. Names are unique across the fixture
 * so a test can look for them in any answer.
 */
export type SchoolKit = {
  schoolId: string;
  principalStaffId: string;
  teacherStaffId: string;
  classId: string;
  studentId: string;
  assignmentId: string;
  guardianId: string;
  schoolName: string;
  className: string;
  grade: number;
  student: { family: string; middle: string; given: string; learnerId: string; dob: string; sex: 'male' | 'female' };
  guardianPhone: string;
  principal: { family: string; middle: string; given: string; phone: string; dob: string };
  teacher: { family: string; middle: string; given: string };
};

function kit(n: string, schoolName: string, className: string, grade: number, student: SchoolKit['student'], guardianPhone: string, principal: SchoolKit['principal'], teacher: SchoolKit['teacher']): SchoolKit {
  return {
    schoolId: `00000000-0000-7000-8000-000000000${n}`,
    principalStaffId: `00000000-0000-7000-8000-000000021${n}`,
    teacherStaffId: `00000000-0000-7000-8000-000000022${n}`,
    classId: `00000000-0000-7000-8000-000000023${n}`,
    studentId: `00000000-0000-7000-8000-000000024${n}`,
    assignmentId: `00000000-0000-7000-8000-000000025${n}`,
    guardianId: `00000000-0000-7000-8000-000000027${n}`,
    schoolName,
    className,
    grade,
    student,
    guardianPhone,
    principal,
    teacher,
  };
}

export const KITS = {
  A3: kit('103', 'Trường THCS Trần Phú', '6B1', 6, { family: 'Trịnh', middle: 'Văn', given: 'Khoa', learnerId: '0100000103', dob: '2014-05-11', sex: 'male' }, '0911000103', { family: 'Mai', middle: 'Văn', given: 'Sơn', phone: '0922000103', dob: '1978-02-03' }, { family: 'Đinh', middle: 'Thị', given: 'Hạnh' }),
  A4: kit('104', 'Trường THCS Hòa Bình', '7C1', 7, { family: 'Lục', middle: 'Thị', given: 'Mến', learnerId: '0100000104', dob: '2013-09-21', sex: 'female' }, '0911000104', { family: 'Tạ', middle: 'Quang', given: 'Vinh', phone: '0922000104', dob: '1975-06-30' }, { family: 'Kiều', middle: 'Văn', given: 'Lâm' }),
  G: kit('105', 'Trường THCS Biên Giới', '8D1', 8, { family: 'Giàng', middle: 'A', given: 'Páo', learnerId: '0100000105', dob: '2012-12-01', sex: 'male' }, '0911000105', { family: 'Hầu', middle: 'Văn', given: 'Chư', phone: '0922000105', dob: '1980-01-15' }, { family: 'Sùng', middle: 'Thị', given: 'Dợ' }),
  M1: kit('106', 'Trường Tiểu học Sông Cầu', '3E1', 3, { family: 'Bế', middle: 'Văn', given: 'Tài', learnerId: '0100000106', dob: '2017-04-08', sex: 'male' }, '0911000106', { family: 'Nông', middle: 'Thị', given: 'Xuyến', phone: '0922000106', dob: '1983-11-11' }, { family: 'Hà', middle: 'Văn', given: 'Quý' }),
  M2: kit('107', 'Trường Tiểu học Núi Thành', '4G1', 4, { family: 'Quách', middle: 'Thị', given: 'Yến', learnerId: '0100000107', dob: '2016-08-25', sex: 'female' }, '0911000107', { family: 'Lương', middle: 'Văn', given: 'Bảo', phone: '0922000107', dob: '1979-07-07' }, { family: 'Vi', middle: 'Thị', given: 'Ngọc' }),
} as const satisfies Record<string, SchoolKit>;
