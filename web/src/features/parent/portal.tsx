import { CloudOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Skeleton } from 'antd';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { api } from '../../api/client';
import type { Me, StudentProfile } from '../../api/types';
import { vi } from '../../i18n/vi';
import { useOfflineStamp } from '../../pwa/register';
import { stampText } from '../../pwa/sw-rules';
import { Link, navigate } from '../../router';
import { ChildAttendance, ChildResults } from './child-results';
import { DevelopmentCard } from './development-card';
import { type PortalTab, SOON, tabPath, visibleTabs } from './portal-tabs';

// The other contact-book modules' family views load only when their tab opens: the first screen
// (results) stays within the parent area's 300 KB (e2e/speed/page-weight.e2e.ts).
const FamilyAnnouncements = lazy(async () => ({ default: (await import('../announcements/family-announcements')).FamilyAnnouncements }));
const FamilyMessages = lazy(async () => ({ default: (await import('../messages/family-messages')).FamilyMessages }));
const FamilyLeaveRequests = lazy(async () => ({ default: (await import('../leave-requests/family-leave')).FamilyLeaveRequests }));

const t = vi.portal;
type Child = Me['children'][number];

// Line icons drawn here (24 px grid, the text's colour): a few hundred bytes for the eight, where
// antd's icon set costs a few kilobytes on the first screen.
const PATHS: Record<PortalTab, string> = {
  results: 'M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z',
  attendance: 'M4 6h16v14H4zM4 10h16M8 3v5M16 3v5M8 14h3v3H8z',
  announcements: 'M6 16v-5a6 6 0 0 1 12 0v5l2 2H4zM10 20.5a2 2 0 0 0 4 0',
  messages: 'M4 5h16v11H10l-6 4zM8 9.5h8M8 12.5h5',
  leave: 'M6 3h9l4 4v14H6zM15 3v4h4M9 14l2 2 4-4',
  profile: 'M3 5h18v14H3zM14 10h4M14 14h4M6 16.5c.6-1.6 1.7-2.3 3-2.3s2.4.7 3 2.3M9 12.3a1.8 1.8 0 1 0 0-3.6 1.8 1.8 0 0 0 0 3.6z',
  timetable: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 7v5l3.5 2',
  fees: 'M3 7h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H3zM3 7l12-3.5V7M16 13.5h2',
};
const TabIcon = ({ tab }: { tab: PortalTab }) => (
  <svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinejoin="round" strokeLinecap="round" aria-hidden focusable="false">
    <path d={PATHS[tab]} />
  </svg>
);

/** Whether the record is a preschool child's (from the profile the page reads anyway; null while it loads). */
export function usePreschool(schoolId: string, studentId: string): boolean | null {
  const q = useQuery({
    queryKey: ['student', schoolId, studentId],
    queryFn: ({ signal }) => api.get<StudentProfile>(`/schools/${schoolId}/students/${studentId}`, undefined, signal),
  });
  return q.data ? q.data.grade === 0 : null;
}

/**
 * The tab bar of one child's page: a grid of large targets (4 a row on a phone, one row on a
 * computer), each its own address; places not built yet say "Sắp có".
 */
export function PortalTabs({ child, tab, preschool }: { child: Child; tab: PortalTab; preschool: boolean }) {
  const tabs = visibleTabs({ self: child.self, preschool });
  return (
    <nav className="portal-tabs" aria-label={t.tabsLabel} data-testid="portal-tabs">
      {tabs.map((k) => (
        <Link
          key={k}
          to={tabPath(child.schoolId, child.studentId, k)}
          className={k === tab ? 'portal-tab portal-tab-current' : 'portal-tab'}
          aria-current={k === tab ? 'page' : undefined}
          data-testid={`portal-tab-${k}`}
        >
          <span className="portal-tab-icon" aria-hidden>
            <TabIcon tab={k} />
          </span>
          <span className="portal-tab-label">{k === 'results' && preschool ? t.tabs.development : t.tabs[k]}</span>
          {SOON.has(k) ? <span className="portal-soon">{t.soon}</span> : null}
        </Link>
      ))}
    </nav>
  );
}

/** What a tab shows. A tab the record does not have (a preschool child's attendance) leads back to the first one. */
export function PortalBody({ child, tab, preschool }: { child: Child; tab: PortalTab; preschool: boolean }) {
  const { schoolId, studentId } = child;
  const shown = visibleTabs({ self: child.self, preschool }).includes(tab);
  useEffect(() => {
    if (!shown) navigate(tabPath(schoolId, studentId, 'results'), { replace: true });
  }, [shown, schoolId, studentId]);
  if (!shown) return null;
  const lazyCard = (title: string, body: ReactNode) => (
    <Card title={title} size="small" style={{ marginBottom: 12 }}>
      <Suspense fallback={<Skeleton active paragraph={{ rows: 2 }} />}>{body}</Suspense>
    </Card>
  );
  switch (tab) {
    case 'results':
      return (
        <>
          <ChildResults schoolId={schoolId} studentId={studentId} />
          {/* Asked only for a preschool child (a student's own account may not read it: 404). */}
          {preschool ? <DevelopmentCard schoolId={schoolId} studentId={studentId} /> : null}
        </>
      );
    case 'attendance':
      return <ChildAttendance schoolId={schoolId} studentId={studentId} />;
    case 'announcements':
      return lazyCard(t.tabs.announcements, <FamilyAnnouncements schoolId={schoolId} studentId={studentId} />);
    case 'messages':
      return lazyCard(t.tabs.messages, <FamilyMessages schoolId={schoolId} studentId={studentId} />);
    case 'leave':
      return lazyCard(t.tabs.leave, <FamilyLeaveRequests schoolId={schoolId} studentId={studentId} />);
    case 'timetable':
    case 'fees':
      return (
        <Card title={t.tabs[tab]} size="small" style={{ marginBottom: 12 }} data-testid="portal-soon">
          <p className="family-none">{tab === 'timetable' ? t.timetableSoon : t.feesSoon}</p>
        </Card>
      );
    case 'profile':
      return null; // the record's cards, drawn by the profile view itself
  }
}

/**
 * Switching child on a phone: every child by full name, as buttons that wrap onto more lines
 * instead of cutting a long Vietnamese name; the current one marked. Keeps the tab when the other
 * child has it.
 */
export function ChildSwitcher({ items, current, tab }: { items: Child[]; current: Child; tab: PortalTab }) {
  if (items.length < 2) return null;
  return (
    <nav className="child-switch" aria-label={t.switchChild} data-testid="child-switch">
      {items.map((c) => {
        const on = c.schoolId === current.schoolId && c.studentId === current.studentId;
        // A tab the other child may not have (attendance of a preschool child) is sent back to results by PortalBody.
        return (
          <Link
            key={`${c.schoolId}/${c.studentId}`}
            to={tabPath(c.schoolId, c.studentId, tab)}
            className={on ? 'child-switch-item child-switch-current' : 'child-switch-item'}
            aria-current={on ? 'page' : undefined}
          >
            {c.fullName}
          </Link>
        );
      })}
    </nav>
  );
}

/** "Dữ liệu lúc 14:05 07/12/2026 — đang ngoại tuyến": shown while the phone has no network, with the date of what the page shows. */
export function OfflineNote() {
  const s = useOfflineStamp();
  if (!s.offline) return null;
  return (
    <div className="offline-note" role="status" data-testid="offline-note">
      <CloudOutlined aria-hidden /> {t.offline(s.fetchedAt ? stampText(s.fetchedAt) : null)}
    </div>
  );
}
