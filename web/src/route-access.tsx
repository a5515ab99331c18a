import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BookOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  EyeInvisibleOutlined,
  FormOutlined,
  HeartOutlined,
  IdcardOutlined,
  SafetyCertificateOutlined,
  SwapOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import {
  FAMILY_ROLES,
  GRADEBOOK_ROLES,
  OFFICE_ROLES,
  PRIVACY_OFFICER_ROLES,
  RESULTS_READ_ROLES,
  type Role,
  SCHOOL_READ_ROLES,
  SCHOOL_WRITE_ROLES,
  TRANSFER_LIST_ROLES,
  USER_MANAGER_ROLES,
} from '../../contracts/roles';
import { vi } from './i18n/vi';

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
  '/so-diem': { roles: GRADEBOOK_ROLES, title: vi.nav.gradebook, menu: <FormOutlined /> },
  '/so-diem/:classId/:subjectCode': { roles: GRADEBOOK_ROLES, title: vi.gradebook.gridTitle },
  // A class's results: its homeroom teacher, the school's managers and the offices above, read only (the server answers who may rate, close, publish).
  '/ket-qua': { roles: RESULTS_READ_ROLES, title: vi.nav.results, menu: <BarChartOutlined /> },
  // Attendance by session: the homeroom teacher and managers enter it, the class's subject teachers read it.
  '/diem-danh': { roles: GRADEBOOK_ROLES, title: vi.nav.attendance, menu: <CalendarOutlined /> },
  // A preschool class's development evaluation and measurements: its teacher and the school's managers enter them, the offices above read.
  '/danh-gia-tre': { roles: RESULTS_READ_ROLES, title: vi.nav.preschool, menu: <CheckSquareOutlined /> },
  // Managers and offices get the personal records, teachers the directory (decision 0006).
  '/can-bo': { roles: SCHOOL_READ_ROLES, title: vi.nav.staff, menu: <IdcardOutlined /> },
  '/phan-cong': { roles: SCHOOL_READ_ROLES, title: vi.nav.assignments, menu: <SafetyCertificateOutlined /> },
  '/nhap-du-lieu': { roles: SCHOOL_WRITE_ROLES, title: vi.nav.imports, menu: <CloudUploadOutlined /> },
  '/chuyen-truong': { roles: TRANSFER_LIST_ROLES, title: vi.nav.transfers, menu: <SwapOutlined /> },
  '/nguoi-dung': { roles: USER_MANAGER_ROLES, title: vi.nav.users, menu: <UserOutlined /> },
  '/nhat-ky': { roles: USER_MANAGER_ROLES, title: vi.nav.audit, menu: <AuditOutlined /> },
  '/an-danh': { roles: PRIVACY_OFFICER_ROLES, title: vi.nav.anonymisation, menu: <EyeInvisibleOutlined /> },
  '/con-cua-toi': { roles: FAMILY_ROLES, title: vi.nav.myChildren, menu: <HeartOutlined /> },
  '/con-cua-toi/:schoolId/:studentId': { roles: FAMILY_ROLES, title: vi.profile.title },
} satisfies Record<string, { roles: Role[]; title: string; menu?: ReactNode }>;

export type RoutePath = keyof typeof ROUTE_ACCESS;
type Entry = { roles: Role[]; title: string; menu?: ReactNode };

export const ROUTE_PATHS = Object.keys(ROUTE_ACCESS) as RoutePath[];

export const routeEntry = (path: RoutePath): Entry => ROUTE_ACCESS[path];

/** May someone holding `held` open this page? */
export const mayOpen = (path: RoutePath, held: ReadonlySet<Role>): boolean => routeEntry(path).roles.some((r) => held.has(r));

/** The menu a role sees: the table's menu entries it may open, in table order. */
export function menuFor(held: ReadonlySet<Role>): { key: RoutePath; icon: ReactNode; label: string }[] {
  return ROUTE_PATHS.filter((p) => routeEntry(p).menu && mayOpen(p, held)).map((p) => ({ key: p, icon: routeEntry(p).menu, label: routeEntry(p).title }));
}

/** Where "Về trang chủ" leads: the first page of the menu the role may open (null: none at all). */
export const homeFor = (held: ReadonlySet<Role>): RoutePath | null => menuFor(held)[0]?.key ?? null;
