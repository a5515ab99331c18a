import type { Role } from '../src/db/schema.js';
import type { Permission } from '../src/platform/permissions.js';
import { F } from './fixture-ids.js';

// What the route-table-driven tests (access matrix, hostile input) need to call any route as any
// fixture account against a target inside school A1 (province A) or school B1 (province B).

export type Who = keyof typeof F.users;
export const ACCOUNTS = Object.keys(F.users) as Who[];

/** Units each fixture account's grants cover today (their granted unit and everything below). */
export const COVERS: Record<Who, string[]> = {
  admin: ['*'],
  soA: [F.provinceA, F.communeA1, F.schoolA1, F.schoolA2, F.siteA1],
  soB: [F.provinceB, F.districtB1, F.schoolB1, F.districtG],
  communeA: [F.communeA1, F.schoolA1, F.schoolA2, F.siteA1],
  principalA1: [F.schoolA1, F.siteA1],
  principalB1: [F.schoolB1],
  staffA1: [F.schoolA1, F.siteA1],
  homeroomA1: [F.schoolA1, F.siteA1],
  mathA1: [F.schoolA1, F.siteA1],
  parentA: [F.schoolA1, F.siteA1],
  parentC: [F.schoolA1, F.siteA1],
  studentAn: [F.schoolA1, F.siteA1],
  communeA2: [F.communeA2, F.schoolA3],
  districtA1: [],
  principalA3: [F.schoolA3],
  principalA4: [],
};
export const ROLE_OF: Record<Who, Role> = {
  admin: 'system_admin',
  soA: 'province_officer',
  soB: 'province_officer',
  communeA: 'district_officer',
  principalA1: 'principal',
  principalB1: 'principal',
  staffA1: 'school_staff',
  homeroomA1: 'homeroom_teacher',
  mathA1: 'subject_teacher',
  parentA: 'parent',
  parentC: 'parent',
  studentAn: 'student',
  communeA2: 'district_officer',
  districtA1: 'district_officer',
  principalA3: 'principal',
  principalA4: 'principal',
};

export type Target = 'A' | 'B';
/** Path parameters and body fields that point into one school. */
export const TARGET: Record<Target, Record<string, string>> = {
  A: {
    schoolId: F.schoolA1,
    unitId: F.schoolA1,
    studentId: F.studentBinh,
    classId: F.class6A1,
    staffId: F.teacherMath,
    assignmentId: '00000000-0000-7000-8000-000000005002',
    userId: F.users.homeroomA1,
    grantId: '00000000-0000-7000-8000-000000009507',
    jobId: '00000000-0000-7000-8000-00000000aaaa',
    transferId: '00000000-0000-7000-8000-00000000cccc',
    announcementId: '00000000-0000-7000-8000-00000000a0a1',
    attachmentId: '00000000-0000-7000-8000-00000000a0a2',
    threadId: '00000000-0000-7000-8000-00000000c001',
    messageId: '00000000-0000-7000-8000-00000000c002',
    requestId: '00000000-0000-7000-8000-00000000c003',
    kind: 'students',
    list: 'DM_DAN_TOC',
    parentId: F.communeA1,
    orgUnitId: F.schoolA1,
    subjectCode: 'toan',
  },
  B: {
    schoolId: F.schoolB1,
    unitId: F.schoolB1,
    studentId: F.studentB1,
    classId: F.class10B1,
    staffId: F.principalB1,
    assignmentId: '00000000-0000-7000-8000-000000005999',
    userId: F.users.principalB1,
    grantId: '00000000-0000-7000-8000-000000009505',
    jobId: '00000000-0000-7000-8000-00000000bbbb',
    transferId: '00000000-0000-7000-8000-00000000dddd',
    announcementId: '00000000-0000-7000-8000-00000000b0b1',
    attachmentId: '00000000-0000-7000-8000-00000000b0b2',
    threadId: '00000000-0000-7000-8000-00000000d001',
    messageId: '00000000-0000-7000-8000-00000000d002',
    requestId: '00000000-0000-7000-8000-00000000d003',
    kind: 'students',
    list: 'DM_DAN_TOC',
    parentId: F.provinceB,
    orgUnitId: F.schoolB1,
    subjectCode: 'toan',
  },
};
export const TARGET_UNIT: Record<Target, string> = { A: F.schoolA1, B: F.schoolB1 };

/** Strings that must never appear in an answer that refuses access to the target. */
export const SECRETS: Record<Target, string[]> = {
  A: ['Lê Lợi', 'Bình', 'Nguyễn Văn An', '0100000002', 'Hoàng Quốc Cường', 'Phạm Minh Đức'],
  B: ['Quang Trung', 'Lò Thị Dung', '0200000001', 'Võ Thị Lan'],
};

export function fillPath(url: string, t: Target): string {
  return `/api${url.replace(/^\/api/, '')}`.replace(/:(\w+)/g, (_, name: string) => TARGET[t][name] ?? name);
}

export function expectedByDeclaration(p: Permission, who: Who | 'anonymous', t: Target): 'allow' | 'deny' | 'skip' {
  if (p.access === 'public') return 'skip';
  if (who === 'anonymous') return 'deny';
  if (p.access === 'signed_in') return 'allow';
  const role = ROLE_OF[who];
  if (!p.roles.includes(role)) return 'deny';
  if (p.access === 'global') return 'allow';
  const covers = COVERS[who];
  return covers.includes('*') || covers.includes(TARGET_UNIT[t]) ? 'allow' : 'deny';
}

