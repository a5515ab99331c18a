import { PlusOutlined, RightOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Card, Empty } from 'antd';
import { viActivationNav } from '../../i18n/vi-activation';
import { SimpleList } from '../../components/simple-list';
import { vi } from '../../i18n/vi';
import { navigate } from '../../router';
import { PageHeader } from '../../components/page-header';
import { useSession } from '../auth/session';
import { NotFound } from '../layout/status-pages';
import { StudentProfileView } from '../students/student-profile-page';
import { DevelopmentCard } from './development-card';
import { ChildResults } from './child-results';

/** "Con của tôi": the children linked to this parent account; a child's profile, with a preschool child's development and measurements. */
export function ChildrenPage() {
  const { me, roles } = useSession();
  const isParent = roles.has('parent');
  return (
    <>
      <PageHeader
        title={vi.parent.title}
        extra={
          isParent ? (
            <Button icon={<PlusOutlined />} onClick={() => navigate('/kich-hoat')} data-testid="add-child">
              {viActivationNav.addChild}
            </Button>
          ) : null
        }
      />
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
            onItemClick={(c) => navigate(`/con-cua-toi/${c.schoolId}/${c.studentId}`)}
            render={(c) => (
              <>
                <Avatar icon={<UserOutlined />} style={{ background: '#eb2f96', flex: 'none' }} />
                <span style={{ flex: 1, minWidth: 0 }}>
                  <div className="list-title">{c.fullName}</div>
                  <div className="list-desc">{vi.parent.open}</div>
                </span>
                <RightOutlined aria-hidden />
              </>
            )}
          />
        </Card>
      )}
    </>
  );
}

export function ChildProfilePage({ params }: { params: Record<string, string> }) {
  const { me } = useSession();
  // Only the children linked to this account: any other link is "not found" without asking the server.
  if (!me.children.some((c) => c.schoolId === params.schoolId && c.studentId === params.studentId)) {
    return <NotFound message={vi.access.notFoundChild} backTo="/con-cua-toi" />;
  }
  return (
    <StudentProfileView
      schoolId={params.schoolId}
      studentId={params.studentId}
      canWrite={false}
      listPath="/con-cua-toi"
      notFoundText={vi.access.notFoundChild}
      onBack={() => navigate('/con-cua-toi')}
      family={
        <>
          <ChildResults schoolId={params.schoolId} studentId={params.studentId} />
          <DevelopmentCard schoolId={params.schoolId} studentId={params.studentId} />
        </>
      }
    />
  );
}
