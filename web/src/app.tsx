import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, Button, ConfigProvider, Result, Spin } from 'antd';
import viVN from 'antd/locale/vi_VN';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import { type ComponentType, lazy, Suspense, useEffect } from 'react';
import { ApiError, errorText } from './api/client';
import { ChangePasswordModal } from './features/auth/change-password';
import { LoginPage } from './features/auth/login-page';
import { SessionProvider, useMeQuery, useSession } from './features/auth/session';
import { AppLayout } from './features/layout/app-layout';
import { vi } from './i18n/vi';
import { matchPath, navigate, useRoute } from './router';

dayjs.locale('vi');

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (n, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && n < 2,
      refetchOnWindowFocus: false,
    },
  },
});

export type PageProps = { params: Record<string, string> };
const page = <T,>(load: () => Promise<T>, name: keyof T) =>
  lazy(async () => ({ default: (await load())[name] as ComponentType<PageProps> }));

const DashboardPage = page(() => import('./features/dashboard/dashboard-page'), 'DashboardPage');
const OrgTreePage = page(() => import('./features/org/org-tree-page'), 'OrgTreePage');
const StudentListPage = page(() => import('./features/students/student-list-page'), 'StudentListPage');
const StudentProfilePage = page(() => import('./features/students/student-profile-page'), 'StudentProfilePage');
const ClassListPage = page(() => import('./features/classes/class-list-page'), 'ClassListPage');
const StaffPage = page(() => import('./features/staff/staff-page'), 'StaffPage');
const AssignmentsPage = page(() => import('./features/assignments/assignments-page'), 'AssignmentsPage');
const ImportPage = page(() => import('./features/imports/import-page'), 'ImportPage');
const UsersPage = page(() => import('./features/admin/users-page'), 'UsersPage');
const AuditPage = page(() => import('./features/admin/audit-page'), 'AuditPage');
const AnonymisationPage = page(() => import('./features/privacy/anonymisation-page'), 'AnonymisationPage');
const TransfersPage = page(() => import('./features/transfers/transfers-page'), 'TransfersPage');
const ChildrenPage = page(() => import('./features/parent/children-page'), 'ChildrenPage');
const ChildProfilePage = page(() => import('./features/parent/children-page'), 'ChildProfilePage');

// Paths are Vietnamese slugs; the server falls back to index.html for every one of them.
const ROUTES: { path: string; component: ComponentType<PageProps> }[] = [
  { path: '/tong-quan', component: DashboardPage },
  { path: '/cay-don-vi', component: OrgTreePage },
  { path: '/hoc-sinh', component: StudentListPage },
  { path: '/hoc-sinh/:id', component: StudentProfilePage },
  { path: '/lop-hoc', component: ClassListPage },
  { path: '/can-bo', component: StaffPage },
  { path: '/phan-cong', component: AssignmentsPage },
  { path: '/nhap-du-lieu', component: ImportPage },
  { path: '/nguoi-dung', component: UsersPage },
  { path: '/nhat-ky', component: AuditPage },
  { path: '/an-danh', component: AnonymisationPage },
  { path: '/chuyen-truong', component: TransfersPage },
  { path: '/con-cua-toi', component: ChildrenPage },
  { path: '/con-cua-toi/:schoolId/:studentId', component: ChildProfilePage },
];

function homeFor(s: ReturnType<typeof useSession>): string {
  if (s.isFamily) return '/con-cua-toi';
  return '/tong-quan';
}

function Routes() {
  const { path } = useRoute();
  const s = useSession();
  const home = homeFor(s);
  useEffect(() => {
    if (path === '/' || path === '/dang-nhap') navigate(home, { replace: true });
  }, [path, home]);
  for (const r of ROUTES) {
    const params = matchPath(r.path, path);
    if (params) {
      const C = r.component;
      return <C params={params} />;
    }
  }
  if (path === '/' || path === '/dang-nhap') return null;
  return (
    <Result
      status="404"
      title="404"
      subTitle={vi.common.notFoundPage}
      extra={
        <Button type="primary" onClick={() => navigate(home)}>
          {vi.common.home}
        </Button>
      }
    />
  );
}

const PageSpinner = () => (
  <div className="page-spinner">
    <Spin size="large" />
  </div>
);

function AuthGate() {
  const me = useMeQuery();
  if (me.isLoading) return <PageSpinner />;
  if (me.isError)
    return (
      <Result
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
        <ChangePasswordModal open forced />
      </div>
    );
  }
  return (
    <SessionProvider me={me.data} key={me.data.userId}>
      <AppLayout>
        <Suspense fallback={<PageSpinner />}>
          <Routes />
        </Suspense>
      </AppLayout>
    </SessionProvider>
  );
}

export function Root() {
  return (
    <ConfigProvider
      locale={viVN}
      theme={{
        token: {
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
