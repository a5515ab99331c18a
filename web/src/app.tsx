import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, Button, ConfigProvider, Spin } from 'antd';
import viVN from 'antd/locale/vi_VN';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import { type ComponentType, lazy, Suspense, useEffect } from 'react';
import { errorText, retryDelayMs, shouldRetry } from './api/client';
import { usePrefersReducedMotion } from './components/use-reduced-motion';
import { LoginPage } from './features/auth/login-page';
import { SessionProvider, useMeQuery, useSession } from './features/auth/session';
import { NoPermission, NotFound, NotTaught, StatusResult } from './features/layout/status-pages';
import { vi } from './i18n/vi';
import { homeFor, mayOpen, ROUTE_PATHS, type RoutePath, schoolHasPart } from './route-access';
import { matchPath, navigate, useRoute } from './router';

dayjs.locale('vi');

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (n, e) => shouldRetry(n, e),
      retryDelay: retryDelayMs,
      refetchOnWindowFocus: false,
      // Asked even when the phone says it is offline: the service worker (pwa/sw.ts) answers a
      // family's reads from what it kept, with their date; retries wait for the network.
      networkMode: 'offlineFirst',
    },
  },
});

export type PageProps = { params: Record<string, string> };
const page = <T,>(load: () => Promise<T>, name: keyof T) =>
  lazy(async () => ({ default: (await load())[name] as ComponentType<PageProps> }));

// The signed-in shell (menus, school picker, password form) loads after sign-in: the login page
// downloads only what it draws (budget: docs/benchmarks.md, e2e/speed/page-weight.e2e.ts).
const AppLayout = lazy(async () => ({ default: (await import('./features/layout/app-layout')).AppLayout }));
const ChangePasswordModal = lazy(async () => ({ default: (await import('./features/auth/change-password')).ChangePasswordModal }));

const DashboardPage = page(() => import('./features/dashboard/dashboard-page'), 'DashboardPage');
const OrgTreePage = page(() => import('./features/org/org-tree-page'), 'OrgTreePage');
const StudentListPage = page(() => import('./features/students/student-list-page'), 'StudentListPage');
const StudentProfilePage = page(() => import('./features/students/student-profile-page'), 'StudentProfilePage');
const ClassListPage = page(() => import('./features/classes/class-list-page'), 'ClassListPage');
const GradebookPage = page(() => import('./features/gradebook/gradebook-page'), 'GradebookPage');
const GradebookGridPage = page(() => import('./features/gradebook/gradebook-grid-page'), 'GradebookGridPage');
const ResultsPage = page(() => import('./features/results/results-page'), 'ResultsPage');
const AttendancePage = page(() => import('./features/results/attendance-page'), 'AttendancePage');
const PreschoolPage = page(() => import('./features/preschool/preschool-page'), 'PreschoolPage');
const StaffPage = page(() => import('./features/staff/staff-page'), 'StaffPage');
const AssignmentsPage = page(() => import('./features/assignments/assignments-page'), 'AssignmentsPage');
const ImportPage = page(() => import('./features/imports/import-page'), 'ImportPage');
const UsersPage = page(() => import('./features/admin/users-page'), 'UsersPage');
const AuditPage = page(() => import('./features/admin/audit-page'), 'AuditPage');
const AnonymisationPage = page(() => import('./features/privacy/anonymisation-page'), 'AnonymisationPage');
const TransfersPage = page(() => import('./features/transfers/transfers-page'), 'TransfersPage');
const AnnouncementsPage = page(() => import('./features/announcements/announcements-page'), 'AnnouncementsPage');
const ReceivedAnnouncementsPage = page(() => import('./features/announcements/received-page'), 'ReceivedAnnouncementsPage');
const MessagesPage = page(() => import('./features/messages/messages-page'), 'MessagesPage');
const ReportedMessagesPage = page(() => import('./features/messages/reported-page'), 'ReportedMessagesPage');
const LeaveRequestsPage = page(() => import('./features/leave-requests/leave-requests-page'), 'LeaveRequestsPage');
const ChildrenPage = page(() => import('./features/parent/children-page'), 'ChildrenPage');
const ChildProfilePage = page(() => import('./features/parent/children-page'), 'ChildProfilePage');
const SchoolActivationPage = page(() => import('./features/activation/school-activation-page'), 'SchoolActivationPage');
// The family's activation page: open without signing in (from the login page) and to a signed-in parent ("Thêm con").
const ActivationPage = lazy(async () => ({ default: (await import('./features/activation/activation-page')).ActivationPage }));
/** Where a family activates: outside the signed-in shell, whoever is signed in. */
export const ACTIVATION_PATH = '/kich-hoat';
const InboxPage = page(() => import('./features/notifications/inbox-page'), 'InboxPage');
const NoticeSettingsPage = page(() => import('./features/notifications/settings-page'), 'NoticeSettingsPage');
const SentFailuresPage = page(() => import('./features/notifications/failures-page'), 'SentFailuresPage');

// Paths are Vietnamese slugs; the server falls back to index.html for every one of them. Who may
// open each one is in route-access.tsx (the table the menu reads too); every path there needs a page here.
const PAGES: Record<RoutePath, ComponentType<PageProps>> = {
  '/tong-quan': DashboardPage,
  '/cay-don-vi': OrgTreePage,
  '/hoc-sinh': StudentListPage,
  '/hoc-sinh/:id': StudentProfilePage,
  '/lop-hoc': ClassListPage,
  '/so-diem': GradebookPage,
  '/so-diem/:classId/:subjectCode': GradebookGridPage,
  '/ket-qua': ResultsPage,
  '/diem-danh': AttendancePage,
  '/danh-gia-tre': PreschoolPage,
  '/can-bo': StaffPage,
  '/phan-cong': AssignmentsPage,
  '/nhap-du-lieu': ImportPage,
  '/nguoi-dung': UsersPage,
  '/nhat-ky': AuditPage,
  '/an-danh': AnonymisationPage,
  '/chuyen-truong': TransfersPage,
  '/thong-bao': AnnouncementsPage,
  '/thong-bao-nhan': ReceivedAnnouncementsPage,
  '/tin-nhan': MessagesPage,
  '/don-xin-nghi': LeaveRequestsPage,
  '/tin-nhan-bao-cao': ReportedMessagesPage,
  '/con-cua-toi': ChildrenPage,
  '/con-cua-toi/:schoolId/:studentId': ChildProfilePage,
  '/kich-hoat-so-lien-lac': SchoolActivationPage,
  '/hop-thu': InboxPage,
  '/hop-thu/cai-dat': NoticeSettingsPage,
  '/hop-thu/chua-gui-duoc': SentFailuresPage,
  '/con-cua-toi/:schoolId/:studentId/diem-danh': ChildProfilePage,
  '/con-cua-toi/:schoolId/:studentId/thong-bao': ChildProfilePage,
  '/con-cua-toi/:schoolId/:studentId/tin-nhan': ChildProfilePage,
  '/con-cua-toi/:schoolId/:studentId/xin-nghi': ChildProfilePage,
  '/con-cua-toi/:schoolId/:studentId/ho-so': ChildProfilePage,
  '/con-cua-toi/:schoolId/:studentId/thoi-khoa-bieu': ChildProfilePage,
  '/con-cua-toi/:schoolId/:studentId/hoc-phi': ChildProfilePage,
};

function Routes() {
  const { path } = useRoute();
  const s = useSession();
  const home = homeFor(s.roles, s.schoolLevels);
  useEffect(() => {
    if ((path === '/' || path === '/dang-nhap') && home) navigate(home, { replace: true });
  }, [path, home]);
  for (const route of ROUTE_PATHS) {
    const params = matchPath(route, path);
    if (params) {
      // The gate: a page the caller's roles cannot use shows the one no-permission page, never
      // the page's shell (which would only fail, or offer buttons the API refuses).
      if (!mayOpen(route, s.roles)) return <NoPermission route={route} />;
      // A page of a part the chosen school does not have says so, instead of an empty page.
      if (!schoolHasPart(route, s.schoolLevels)) return <NotTaught route={route} />;
      const C = PAGES[route];
      return <C params={params} />;
    }
  }
  if ((path === '/' || path === '/dang-nhap') && home) return null;
  return <NotFound message={vi.access.notFoundPage} />;
}

const PageSpinner = () => (
  <div className="page-spinner">
    <Spin size="large" />
  </div>
);

function AuthGate() {
  const me = useMeQuery();
  const { path } = useRoute();
  if (me.isLoading) return <PageSpinner />;
  if (path === ACTIVATION_PATH && !me.isError) {
    return (
      <Suspense fallback={<PageSpinner />}>
        <ActivationPage me={me.data ?? null} />
      </Suspense>
    );
  }
  if (me.isError)
    return (
      <StatusResult
        status="warning"
        title={vi.errors.loadFailed}
        subTitle={errorText(me.error)}
        extra={<Button onClick={() => void me.refetch()}>{vi.common.reload}</Button>}
      />
    );
  if (!me.data) return <LoginPage />;
  // A temporary password opens nothing but the form to replace it (the API refuses the rest):
  // no menus or pages behind it that would only fail.
  if (me.data.mustChangePassword) {
    return (
      <div className="login-screen" data-testid="password-change-gate">
        <Suspense fallback={<PageSpinner />}>
          <ChangePasswordModal open forced />
        </Suspense>
      </div>
    );
  }
  return (
    <SessionProvider me={me.data} key={me.data.userId}>
      <Suspense fallback={<PageSpinner />}>
        <AppLayout>
          <Suspense fallback={<PageSpinner />}>
            <Routes />
          </Suspense>
        </AppLayout>
      </Suspense>
    </SessionProvider>
  );
}

export function Root() {
  const reduceMotion = usePrefersReducedMotion();
  return (
    <ConfigProvider
      locale={viVN}
      form={{ validateMessages: vi.validateMessages }}
      theme={{
        token: {
          motion: !reduceMotion,
          colorPrimary: '#0b6bcb',
          // antd takes links and hover shades from other seeds (#1677ff: 4.1:1 on white); these keep 4.5:1.
          colorLink: '#0b6bcb',
          colorInfo: '#0b6bcb',
          colorPrimaryHover: '#0a5fb4',
          // antd's red (#ff4d4f) is 3.3:1 on white: danger buttons and error texts need 4.5:1.
          colorError: '#cf1322',
          borderRadius: 8,
          // WCAG AA asks 4.5:1 for text. antd's grey text (45 % black, 3.4:1 on white) and its
          // placeholders (25 %) fall short; these greys reach it on white and on the page's #f4f6f9.
          colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
          colorTextDescription: 'rgba(0, 0, 0, 0.6)',
          colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
          fontFamily:
            "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, 'Apple Color Emoji', 'Segoe UI Emoji', sans-serif",
        },
      }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <AuthGate />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
