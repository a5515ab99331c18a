import { PlusOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Card, Empty, Typography } from 'antd';
import { viActivationNav } from '../../i18n/vi-activation';
import { SimpleList } from '../../components/simple-list';
import { vi } from '../../i18n/vi';
import { navigate } from '../../router';
import { useSession } from '../auth/session';
import { NotFound } from '../layout/status-pages';
import { StudentProfileView } from '../students/student-profile-page';
import { useRoute } from '../../router';
import { ChildSwitcher, OfflineNote, PortalBody, PortalTabs, usePreschool } from './portal';
import { tabOfPath, tabPath } from './portal-tabs';

/**
 * "Con của tôi": the children linked to this parent account (a student's account: its own
 * record); each opens the family portal (ChildProfilePage).
 */
export function ChildrenPage() {
  const { me, roles } = useSession();
  const onlySelf = me.children.length > 0 && me.children.every((c) => c.self);
  return (
    <>
      <OfflineNote />
      {/* The page header's look without antd's PageHeader: one chunk less on the parent area's first screen. */}
      <div className="page-header" style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {onlySelf ? vi.portal.titleSelf : vi.parent.title}
        </Typography.Title>
        {/* A parent links another child with the code the school printed (features/activation). */}
        {roles.has('parent') ? (
          <Button icon={<PlusOutlined />} onClick={() => navigate('/kich-hoat')} data-testid="add-child">
            {viActivationNav.addChild}
          </Button>
        ) : null}
      </div>
      {me.children.length === 0 ? (
        <Card>
          <Empty description={vi.parent.none} />
        </Card>
      ) : (
        <Card styles={{ body: { padding: 0 } }}>
          <SimpleList
            items={me.children}
            itemKey={(c) => c.studentId}
            itemTestId="child-item"
            onItemClick={(c) => navigate(tabPath(c.schoolId, c.studentId, 'results'))}
            render={(c) => (
              <>
                <Avatar icon={<UserOutlined />} style={{ background: '#eb2f96', flex: 'none' }} />
                <span style={{ flex: 1, minWidth: 0 }}>
                  <div className="list-title">{c.fullName}</div>
                  <div className="list-desc">{c.self ? vi.portal.openSelf : vi.parent.open}</div>
                </span>
                <span className="list-chevron" aria-hidden>
                  ›
                </span>
              </>
            )}
          />
        </Card>
      )}
    </>
  );
}

/**
 * The family portal: one child's page (a student's own, read only), a tab per address
 * (portal-tabs.ts): results, attendance, announcements, messages, leave requests, the record,
 * and the places kept for the timetable and fees. Above it, the switcher between children and,
 * offline, the date of what it shows.
 */
export function ChildProfilePage({ params }: { params: Record<string, string> }) {
  const { me } = useSession();
  const { path } = useRoute();
  const child = me.children.find((c) => c.schoolId === params.schoolId && c.studentId === params.studentId);
  const preschool = usePreschool(params.schoolId, params.studentId);
  // Only the children linked to this account: any other link is "not found" without asking the server.
  if (!child) {
    return <NotFound message={vi.access.notFoundChild} backTo="/con-cua-toi" />;
  }
  const tab = tabOfPath(path) ?? 'results';
  return (
    <div className="portal">
      <OfflineNote />
      <ChildSwitcher items={me.children} current={child} tab={tab} />
      <StudentProfileView
        schoolId={params.schoolId}
        studentId={params.studentId}
        canWrite={false}
        listPath="/con-cua-toi"
        notFoundText={vi.access.notFoundChild}
        onBack={me.children.length > 1 ? undefined : () => navigate('/con-cua-toi')}
        recordHidden={tab !== 'profile'}
        family={
          preschool === null ? null : (
            <>
              <PortalTabs child={child} tab={tab} preschool={preschool} />
              <PortalBody child={child} tab={tab} preschool={preschool} />
            </>
          )
        }
      />
    </div>
  );
}
