/**
 * The fixed test province used by every integration test: two provinces, an abolished district
 * office, a commune office, three schools, and one account per role. Ids are constants so tests
 * can name what they mean.
 */
export const F = {
  password: 'Test@12345',
  ministry: '00000000-0000-7000-8000-000000000001',
  provinceA: '00000000-0000-7000-8000-000000000010',
  provinceB: '00000000-0000-7000-8000-000000000020',
  districtA1: '00000000-0000-7000-8000-000000000011', // abolished 2025-07-01
  communeA1: '00000000-0000-7000-8000-000000000012', // manages schoolA1, schoolA2 since 2025-07-01
  districtB1: '00000000-0000-7000-8000-000000000021',
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
};
