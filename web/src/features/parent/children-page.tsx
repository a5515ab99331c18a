import { RightOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Card, Empty } from 'antd';
import { SimpleList } from '../../components/simple-list';
import { vi } from '../../i18n/vi';
import { navigate } from '../../router';
import { PageHeader } from '../../components/page-header';
import { useSession } from '../auth/session';
import { StudentProfileView } from '../students/student-profile-page';

/** "Con của tôi": the children linked to this parent account. */
export function ChildrenPage() {
  const { me } = useSession();
  return (
    <>
      <PageHeader title={vi.parent.title} />
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
  return <StudentProfileView schoolId={params.schoolId} studentId={params.studentId} canWrite={false} onBack={() => navigate('/con-cua-toi')} />;
}
