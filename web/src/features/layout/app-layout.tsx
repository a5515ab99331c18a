import { KeyOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { App, Avatar, Button, Dropdown, Grid, Layout, Menu, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { lazy, type ReactNode, Suspense, useMemo, useState } from 'react';
import { menuFor } from '../../route-access';
import { api } from '../../api/client';
import type { Ok } from '../../api/types';
import { vi } from '../../i18n/vi';
import { navigate, useRoute } from '../../router';
import { ChangePasswordModal } from '../auth/change-password';
import { useSession, useSignedIn } from '../auth/session';
import { NoticeBell } from '../notifications/notice-bell';

// Only staff and offices choose a school; a parent's shell does not download the tree picker.
const SchoolPicker = lazy(async () => ({ default: (await import('./school-picker')).SchoolPicker }));

/** The menu of the signed-in roles at the chosen school: the route table's entries they may open and the school has (route-access.tsx). */
export function useMenuItems() {
  const { roles, schoolLevels } = useSession();
  return useMemo(() => {
    const items = menuFor(roles, schoolLevels);
    // A student's own account opens its own record there, not "my children".
    const selfOnly = roles.has('student') && !roles.has('parent');
    return selfOnly ? items.map((i) => (i.key === '/con-cua-toi' ? { ...i, label: vi.portal.titleSelf } : i)) : items;
  }, [roles, schoolLevels]);
}

// The phone's menu drawer loads when it is first opened: every page's first screen (the parent
// area's 300 KB above all, e2e/speed/page-weight.e2e.ts) does without its code.
const Drawer = lazy(async () => ({ default: (await import('antd/es/drawer')).default }));

export function AppLayout({ children }: { children: ReactNode }) {
  const s = useSession();
  const screens = Grid.useBreakpoint();
  const desktop = !!screens.lg;
  const [drawer, setDrawerState] = useState(false);
  const [drawerUsed, setDrawerUsed] = useState(false);
  const setDrawer = (open: boolean) => {
    if (open) setDrawerUsed(true);
    setDrawerState(open);
  };
  const [pwOpen, setPwOpen] = useState(false);
  const { path } = useRoute();
  const items = useMenuItems();
  const signedIn = useSignedIn();
  const { message } = App.useApp();
  const selected = items.find((i) => path === i.key || path.startsWith(`${i.key}/`))?.key;
  const showPicker = !s.isFamily && (s.isOffice || s.schoolOptions.length > 0);
  const canSwitch = !s.isFamily && (s.isOffice || s.schoolOptions.length > 1);

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={selected ? [selected] : []}
      items={items}
      onClick={(e) => {
        setDrawer(false);
        navigate(e.key);
      }}
      style={{ borderInlineEnd: 0 }}
    />
  );

  const logout = async () => {
    try {
      await api.post<Ok>('/auth/logout');
    } catch {
      /* the session may already be gone; signing out locally is what matters */
    }
    signedIn(null);
    navigate('/', { replace: true });
    message.info(vi.account.loggedOut);
  };

  const roleText = s.primaryRole ? vi.roleLabel(s.primaryRole) : '';
  const userMenu: MenuProps = {
    items: [
      {
        key: 'who',
        disabled: true,
        label: (
          <div className="user-menu-who">
            <div className="user-menu-name">{s.me.displayName}</div>
            <div>{roleText}</div>
            {s.primaryUnitName ? <div>{s.primaryUnitName}</div> : null}
          </div>
        ),
      },
      { type: 'divider' },
      { key: 'pw', icon: <KeyOutlined />, label: vi.account.changePassword },
      { key: 'logout', icon: <LogoutOutlined />, label: vi.account.logout, danger: true },
    ],
    onClick: (e) => {
      if (e.key === 'pw') setPwOpen(true);
      if (e.key === 'logout') void logout();
    },
  };

  const brand = (
    <a
      className="brand"
      href="/"
      onClick={(e) => {
        e.preventDefault();
        setDrawer(false);
        navigate('/');
      }}
    >
      <img src="/favicon.svg" alt="" width={28} height={28} />
      <span>{vi.product}</span>
    </a>
  );

  return (
    <Layout className="app-shell">
      {desktop ? (
        <Layout.Sider width={264} theme="light" className="app-sider">
          <div className="sider-brand">{brand}</div>
          {menu}
        </Layout.Sider>
      ) : !drawerUsed ? null : (
        <Suspense fallback={null}>
        <Drawer placement="left" open={drawer} onClose={() => setDrawer(false)} size={280} title={brand} styles={{ body: { padding: 0 } }}>
          {canSwitch ? (
            <div style={{ padding: 12 }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {vi.nav.school}
              </Typography.Text>
              <Suspense fallback={null}>
                <SchoolPicker block />
              </Suspense>
            </div>
          ) : null}
          {menu}
        </Drawer>
        </Suspense>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header className="app-header">
          {!desktop ? <Button type="text" aria-label={vi.nav.menu} icon={<MenuOutlined />} onClick={() => setDrawer(true)} /> : null}
          {!desktop ? brand : null}
          {desktop && showPicker ? (
            <Suspense fallback={null}>
              <SchoolPicker />
            </Suspense>
          ) : null}
          <div style={{ flex: 1 }} />
          <NoticeBell />
          <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
            <Button type="text" className="user-button" data-testid="user-menu">
              <Avatar size="small" icon={<UserOutlined />} style={{ background: '#0b6bcb' }} />
              {screens.md ? (
                <span className="user-lines">
                  <span className="user-name">{s.me.displayName}</span>
                  <span className="user-role">
                    {roleText}
                    {s.primaryUnitName ? ` · ${s.primaryUnitName}` : ''}
                  </span>
                </span>
              ) : null}
            </Button>
          </Dropdown>
        </Layout.Header>
        {!desktop && canSwitch && s.school ? (
          <button type="button" className="mobile-school" onClick={() => setDrawer(true)}>
            {s.school.name}
          </button>
        ) : null}
        <Layout.Content className="app-content">{children}</Layout.Content>
      </Layout>
      <ChangePasswordModal open={pwOpen} onClose={() => setPwOpen(false)} />
    </Layout>
  );
}
