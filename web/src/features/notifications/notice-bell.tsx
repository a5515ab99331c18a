import { BellOutlined } from '@ant-design/icons';
import { Badge, Button } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Unread } from '../../api/types';
import { vi } from '../../i18n/vi';
import { navigate } from '../../router';

/** The header's bell: the unread count, read again every minute and when the window comes back; a tap opens the inbox. */
export function NoticeBell() {
  const q = useQuery({
    queryKey: ['notices-unread'],
    queryFn: ({ signal }) => api.get<Unread>('/me/notices/unread', undefined, signal),
    refetchInterval: 60_000,
    refetchOnWindowFocus: true,
    staleTime: 15_000,
  });
  const n = q.data?.unread ?? 0;
  return (
    <Button type="text" aria-label={vi.notices.bell(n)} title={vi.notices.bell(n)} data-testid="notice-bell" onClick={() => navigate('/thong-bao')}>
      <Badge count={n} size="small" overflowCount={99}>
        <BellOutlined style={{ fontSize: 18 }} />
      </Badge>
    </Button>
  );
}
