import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  BookOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  EyeInvisibleOutlined,
  FlagOutlined,
  FormOutlined,
  NotificationOutlined,
  HeartOutlined,
  IdcardOutlined,
  InboxOutlined,
  KeyOutlined,
  MessageOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SwapOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { z } from 'zod';
import type { ZSchoolLevel } from '../../contracts/common';
import {
  ACTIVATION_SCHOOL_ROLES,
  ANNOUNCEMENT_SENDER_ROLES,
  FAMILY_ROLES,
  GRADEBOOK_ROLES,
  OFFICE_ROLES,
  PRIVACY_OFFICER_ROLES,
  ROLES,
  RESULTS_READ_ROLES,
  type Role,
  SCHOOL_READ_ROLES,
  SCHOOL_WRITE_ROLES,
  TRANSFER_LIST_ROLES,
  USER_MANAGER_ROLES,
} from '../../contracts/roles';
import { vi } from './i18n/vi';
import { viActivationNav } from './i18n/vi-activation';

/** Every account that is not a family's: staff of a school or an office, the administrator. */
const STAFF_ROLES: Role[] = ROLES.filter((r) => !FAMILY_ROLES.includes(r));
/** A child's guardians only (messages and leave requests): a student's own account reads, it does not write for itself. */
const PARENT_ROLES: Role[] = ['parent'];

/**
 * Every page of the app, who may open it and how it shows in the menu: the ONE table the menu
 * (app-layout.tsx) and the route gate (app.tsx) both read, so a role never sees a menu entry that
 * leads to "no permission", nor reaches by URL a page its menu hides. The role groups are the ones
 * the server's routes declare (contracts/roles.ts): a page is open to the roles that may call the
 * API it is built on; the server still has the last word on every record.
 * Order = menu order; app.tsx must give every path a component (its type says so).
 */
export const ROUTE_ACCESS = {
  // Offices get their unit's overview, schools the school's figures, teachers their classes'.
  '/tong-quan': { roles: SCHOOL_READ_ROLES, title: vi.nav.dashboard, menu: <DashboardOutlined /> },
  // The tree is for the offices that run it; a school's people see their school, not the province.
  '/cay-don-vi': { roles: OFFICE_ROLES, title: vi.nav.orgTree, menu: <ApartmentOutlined /> },
  '/hoc-sinh': { roles: SCHOOL_READ_ROLES, title: vi.nav.students, menu: <TeamOutlined /> },
  '/hoc-sinh/:id': { roles: SCHOOL_READ_ROLES, title: vi.profile.title },
  '/lop-hoc': { roles: SCHOOL_READ_ROLES, title: vi.nav.classes, menu: <BookOutlined /> },
  // The school's managers read every grid, teachers their classes' (the server decides who enters, reviews, locks).
  // General education only (lớp 1–12): a preschool-only school has no grid, results or attendance of this kind.
  '/so-diem': { roles: GRADEBOOK_ROLES, title: vi.nav.gradebook, menu: <FormOutlined />, part: 'general' },
  '/so-diem/:classId/:subjectCode': { roles: GRADEBOOK_ROLES, title: vi.gradebook.gridTitle, part: 'general' },
  // A class's results: its homeroom teacher, the school's managers and the offices above, read only (the server answers who may rate, close, publish).
  // Not a subject teacher's: the page is about the classes one leads, and one who leads none could only read "Bạn chưa chủ nhiệm lớp nào".
  '/ket-qua': { roles: RESULTS_READ_ROLES.filter((r) => r !== 'subject_teacher'), title: vi.nav.results, menu: <BarChartOutlined />, part: 'general' },
  // Attendance by session: the homeroom teacher and managers enter it, the class's subject teachers read it.
  '/diem-danh': { roles: GRADEBOOK_ROLES, title: vi.nav.attendance, menu: <CalendarOutlined />, part: 'general' },
  // A preschool class's development evaluation and measurements: its teacher and the school's managers enter them, the offices above read.
  '/danh-gia-tre': { roles: RESULTS_READ_ROLES, title: vi.nav.preschool, menu: <CheckSquareOutlined />, part: 'preschool' },
  // Managers and offices get the personal records, teachers the directory (decision 0006).
  '/can-bo': { roles: SCHOOL_READ_ROLES, title: vi.nav.staff, menu: <IdcardOutlined /> },
  '/phan-cong': { roles: SCHOOL_READ_ROLES, title: vi.nav.assignments, menu: <SafetyCertificateOutlined /> },
  '/nhap-du-lieu': { roles: SCHOOL_WRITE_ROLES, title: vi.nav.imports, menu: <CloudUploadOutlined /> },
  '/chuyen-truong': { roles: TRANSFER_LIST_ROLES, title: vi.nav.transfers, menu: <SwapOutlined /> },
  '/nguoi-dung': { roles: USER_MANAGER_ROLES, title: vi.nav.users, menu: <UserOutlined /> },
  '/nhat-ky': { roles: USER_MANAGER_ROLES, title: vi.nav.audit, menu: <AuditOutlined /> },
  '/an-danh': { roles: PRIVACY_OFFICER_ROLES, title: vi.nav.anonymisation, menu: <EyeInvisibleOutlined /> },
  // Announcements: a school's principal and staff, its homeroom teachers (their class), an office's officers (announcements.service.ts).
  '/thong-bao': { roles: ANNOUNCEMENT_SENDER_ROLES, title: vi.nav.announcements, menu: <NotificationOutlined /> },
  // What the school's or the office's announcements to their staff brought this person (any staff account).
  '/thong-bao-nhan': { roles: STAFF_ROLES, title: vi.nav.receivedAnnouncements, menu: <InboxOutlined /> },
  // The contact book (issue 11): a teacher's threads with their classes' families, the homeroom teacher's leave requests, the principal's reported messages.
  '/tin-nhan': { roles: ['homeroom_teacher', 'subject_teacher'], title: vi.nav.messages, menu: <MessageOutlined />, part: 'general' },
  '/don-xin-nghi': { roles: ['homeroom_teacher'], title: vi.nav.leaveRequests, menu: <ScheduleOutlined />, part: 'general' },
  '/tin-nhan-bao-cao': { roles: ['principal'], title: vi.nav.reportedMessages, menu: <FlagOutlined /> },
  '/con-cua-toi': { roles: FAMILY_ROLES, title: vi.nav.myChildren, menu: <HeartOutlined /> },
  // The family portal (features/parent/portal.tsx): one address per tab of a child's record (portal-tabs.ts), so a
  // notification's link opens the right tab. Messages and leave requests are the parent's: a student's own account reads.
  '/con-cua-toi/:schoolId/:studentId': { roles: FAMILY_ROLES, title: vi.portal.tabs.results },
  '/con-cua-toi/:schoolId/:studentId/diem-danh': { roles: FAMILY_ROLES, title: vi.portal.tabs.attendance },
  '/con-cua-toi/:schoolId/:studentId/thong-bao': { roles: FAMILY_ROLES, title: vi.portal.tabs.announcements },
  '/con-cua-toi/:schoolId/:studentId/tin-nhan': { roles: PARENT_ROLES, title: vi.portal.tabs.messages },
  '/con-cua-toi/:schoolId/:studentId/xin-nghi': { roles: PARENT_ROLES, title: vi.portal.tabs.leave },
  '/con-cua-toi/:schoolId/:studentId/ho-so': { roles: FAMILY_ROLES, title: vi.profile.title },
  '/con-cua-toi/:schoolId/:studentId/thoi-khoa-bieu': { roles: FAMILY_ROLES, title: vi.portal.tabs.timetable },
  '/con-cua-toi/:schoolId/:studentId/hoc-phi': { roles: FAMILY_ROLES, title: vi.portal.tabs.fees },
  // Linking families: the school's managers for any class, a homeroom teacher for their own (the server decides per class).
  '/kich-hoat-so-lien-lac': { roles: ACTIVATION_SCHOOL_ROLES, title: viActivationNav.schoolTitle, menu: <KeyOutlined /> },
  // The contact book's notices: every signed-in person's own inbox, settings and what they sent that did not arrive.
  '/hop-thu': { roles: [...ROLES], title: vi.notices.title, menu: <BellOutlined /> },
  '/hop-thu/cai-dat': { roles: [...ROLES], title: vi.notices.settings },
  '/hop-thu/chua-gui-duoc': { roles: [...ROLES], title: vi.notices.failures },
} satisfies Record<string, Entry>;

/** The part of a school a page is about: its preschool classes (mầm non) or its general-education ones (lớp 1–12). */
export type SchoolPart = 'preschool' | 'general';
type Entry = { roles: Role[]; title: string; menu?: ReactNode; part?: SchoolPart };
export type SchoolLevel = z.infer<typeof ZSchoolLevel>;

export type RoutePath = keyof typeof ROUTE_ACCESS;

export const ROUTE_PATHS = Object.keys(ROUTE_ACCESS) as RoutePath[];

export const routeEntry = (path: RoutePath): Entry => ROUTE_ACCESS[path];

/** May someone holding `held` open this page? */
export const mayOpen = (path: RoutePath, held: ReadonlySet<Role>): boolean => routeEntry(path).roles.some((r) => held.has(r));

/**
 * Does the chosen school have the part of school this page is about? `levels` are the school's
 * levels as /auth/me tells them (declared, or of the classes it keeps); null when not known or not
 * to be limited (an office, whose schools below have every level; a school without levels or
 * classes yet): then every page shows, as before.
 */
export function schoolHasPart(path: RoutePath, levels: readonly SchoolLevel[] | null): boolean {
  const part = routeEntry(path).part;
  if (!part || levels === null || levels.length === 0) return true;
  return part === 'preschool' ? levels.includes('preschool') : levels.some((l) => l !== 'preschool');
}

/** The menu a role sees at the chosen school: the table's menu entries it may open and the school has, in table order. */
export function menuFor(held: ReadonlySet<Role>, levels: readonly SchoolLevel[] | null = null): { key: RoutePath; icon: ReactNode; label: string }[] {
  return ROUTE_PATHS.filter((p) => routeEntry(p).menu && mayOpen(p, held) && schoolHasPart(p, levels)).map((p) => ({
    key: p,
    icon: routeEntry(p).menu,
    label: routeEntry(p).title,
  }));
}

/** Where "Về trang chủ" leads: the first page of the menu the role may open (null: none at all). */
export const homeFor = (held: ReadonlySet<Role>, levels: readonly SchoolLevel[] | null = null): RoutePath | null => menuFor(held, levels)[0]?.key ?? null;
