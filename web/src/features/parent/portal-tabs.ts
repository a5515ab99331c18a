// The family portal's tabs (portal.tsx) and their addresses: one URL per tab, so a notification's
// link opens the right place (/con-cua-toi/:schoolId/:studentId/thong-bao). Pure: tested in
// portal-tabs.test.ts against the route table (web/src/route-access.tsx).

export const PORTAL_TABS = ['results', 'attendance', 'announcements', 'messages', 'leave', 'profile', 'timetable', 'fees'] as const;
export type PortalTab = (typeof PORTAL_TABS)[number];

/** The last part of a tab's address ('' = the child's page itself, where "Kết quả" is). */
export const TAB_SLUGS: Record<PortalTab, string> = {
  results: '',
  attendance: 'diem-danh',
  announcements: 'thong-bao',
  messages: 'tin-nhan',
  leave: 'xin-nghi',
  profile: 'ho-so',
  timetable: 'thoi-khoa-bieu',
  fees: 'hoc-phi',
};

/** Places kept for what is not built yet: shown as "Sắp có" with a sentence, never an empty or failing page. */
export const SOON: ReadonlySet<PortalTab> = new Set(['timetable', 'fees']);

export const tabPath = (schoolId: string, studentId: string, tab: PortalTab) =>
  `/con-cua-toi/${encodeURIComponent(schoolId)}/${encodeURIComponent(studentId)}${TAB_SLUGS[tab] ? `/${TAB_SLUGS[tab]}` : ''}`;

/** The tab a path of the portal opens (null: not a portal path). */
export function tabOfPath(path: string): PortalTab | null {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] !== 'con-cua-toi' || parts.length < 3 || parts.length > 4) return null;
  const slug = parts[3] ?? '';
  return PORTAL_TABS.find((t) => TAB_SLUGS[t] === slug) ?? null;
}

/**
 * The tabs a record shows: a student's own account reads (no messages or leave requests: those
 * are the parent's), a preschool child has a development evaluation instead of marks and no
 * session attendance or timetable of the kind the school's grid keeps.
 */
export function visibleTabs(record: { self: boolean; preschool: boolean }): PortalTab[] {
  return PORTAL_TABS.filter((t) => {
    if (record.self && (t === 'messages' || t === 'leave')) return false;
    if (record.preschool && (t === 'attendance' || t === 'timetable')) return false;
    return true;
  });
}
