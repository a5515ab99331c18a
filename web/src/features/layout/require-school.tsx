import { Card, Empty } from 'antd';
import type { ReactNode } from 'react';
import { vi } from '../../i18n/vi';
import { useSession } from '../auth/session';
import { SchoolPicker } from './school-picker';

/** School screens need a current school; offices pick one first. Children get the id. */
export function RequireSchool({ children }: { children: (schoolId: string) => ReactNode }) {
  const s = useSession();
  if (s.school) return <>{children(s.school.id)}</>;
  return (
    <Card>
      <Empty description={vi.common.pickSchoolFirst}>
        <div style={{ maxWidth: 420, margin: '0 auto' }}>
          <SchoolPicker block />
        </div>
      </Empty>
    </Card>
  );
}
