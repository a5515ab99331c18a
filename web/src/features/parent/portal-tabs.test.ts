import { describe, expect, it } from 'vitest';
import type { Role } from '../../../../contracts/roles';
import { mayOpen, ROUTE_PATHS, type RoutePath } from '../../route-access';
import { PORTAL_TABS, tabOfPath, tabPath, TAB_SLUGS, visibleTabs } from './portal-tabs';

describe('the family portal’s tabs', () => {
  it('each tab has its own address, listed in the route table, and a path names back its tab', () => {
    for (const tab of PORTAL_TABS) {
      const pattern = `/con-cua-toi/:schoolId/:studentId${TAB_SLUGS[tab] ? `/${TAB_SLUGS[tab]}` : ''}`;
      expect(ROUTE_PATHS, tab).toContain(pattern);
      expect(tabOfPath(tabPath('s1', 'st1', tab))).toBe(tab);
    }
    expect(tabPath('s1', 'st1', 'announcements')).toBe('/con-cua-toi/s1/st1/thong-bao');
    expect(tabOfPath('/con-cua-toi/s1/st1/khong-co')).toBeNull();
    expect(tabOfPath('/hoc-sinh/s1')).toBeNull();
  });

  it('parents open every tab; a student’s own account every tab but messages and leave requests; staff none', () => {
    const open = (roles: Role[]) =>
      PORTAL_TABS.filter((t) => mayOpen(`/con-cua-toi/:schoolId/:studentId${TAB_SLUGS[t] ? `/${TAB_SLUGS[t]}` : ''}` as RoutePath, new Set(roles)));
    expect(open(['parent'])).toEqual([...PORTAL_TABS]);
    expect(open(['student'])).toEqual(PORTAL_TABS.filter((t) => t !== 'messages' && t !== 'leave'));
    expect(open(['homeroom_teacher'])).toEqual([]);
    expect(open(['principal'])).toEqual([]);
  });

  it('shows a student their own record without messages and leave requests, a preschool child without attendance and timetable', () => {
    expect(visibleTabs({ self: false, preschool: false })).toEqual([...PORTAL_TABS]);
    expect(visibleTabs({ self: true, preschool: false })).toEqual(['results', 'attendance', 'announcements', 'profile', 'timetable', 'fees']);
    expect(visibleTabs({ self: false, preschool: true })).toEqual(['results', 'announcements', 'messages', 'leave', 'profile', 'fees']);
  });
});
