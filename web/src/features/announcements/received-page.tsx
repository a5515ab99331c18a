import { PageHeader } from '../../components/page-header';
import { AnnouncementReader } from './family-announcements';

const t = {
  title: 'Thông báo nhận được',
  subtitle: 'Thông báo của trường, của Phòng, Sở gửi đến cán bộ, giáo viên',
  none: 'Chưa có thông báo nào gửi đến bạn.',
  notFound: 'Không tìm thấy thông báo này (có thể không gửi đến bạn).',
};

/**
 * "Thông báo nhận được": what the school's or the office's announcements to their staff brought
 * this person, newest first; one opens with its files and counts as read for the sender. An inbox
 * notice's link (`?thong-bao=<id>`) opens it directly.
 */
export function ReceivedAnnouncementsPage() {
  return (
    <>
      <PageHeader title={t.title} subtitle={t.subtitle} />
      {/* The reader is a card of its own (.ann-family), as on a child's page. */}
      <AnnouncementReader base="/me/announcements" cacheKey={['received']} words={t} heading={false} testId="received-announcements" />
    </>
  );
}
