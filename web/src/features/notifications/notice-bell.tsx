import { BellOutlined } from '@ant-design/icons';
import { Button } from 'antd';
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
    <Button type="text" aria-label={vi.notices.bell(n)} title={vi.notices.bell(n)} data-testid="notice-bell" onClick={() => navigate('/hop-thu')}>
      {/* A plain count, not antd's Badge: the header is in the parent area's 300 KB. */}
      <span className="notice-bell">
        <BellOutlined style={{ fontSize: 18 }} />
        {n > 0 ? (
          <span className="notice-count" aria-hidden>
            {n > 99 ? '99+' : n}
          </span>
        ) : null}
      </span>
    </Button>
  );
}
