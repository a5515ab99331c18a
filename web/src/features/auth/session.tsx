import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, retryDelayMs, setCsrfToken, setPasswordChangeRequiredHandler, setUnauthorizedHandler, shouldRetry } from '../../api/client';
import type { Me, Role, SessionState } from '../../api/types';

import { FAMILY_ROLES, OFFICE_ROLES, SCHOOL_READ_ROLES } from '../../../../contracts/roles';
import type { SchoolLevel } from '../../route-access';
import { clearKeptData } from '../../pwa/register';

// The server's role groups (contracts/roles.ts): pages and menus use the same names as its routes.
export { OFFICE_ROLES, SCHOOL_READ_ROLES };
export const TREE_ADMIN_ROLES: Role[] = ['system_admin', 'province_officer'];
// Most powerful first: the header shows the first role the user holds.
const ROLE_ORDER: Role[] = [
  'system_admin',
  'province_officer',
  'district_officer',
  'principal',
  'school_staff',
  'homeroom_teacher',
  'subject_teacher',
  'parent',
  'student',
];

/**
 * The signed-in user, or null when signed out. Asked of `/auth/session`, which answers "signed
 * out" with a 200: a 401 from `/auth/me` is logged as an error by the browser on every visit to
 * the login page. Errors propagate.
 */
export function useMeQuery() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async ({ signal }) => {
      const { me } = await api.get<SessionState>('/auth/session', undefined, signal);
      setCsrfToken(me?.csrfToken ?? null);
      return me;
    },
    staleTime: Number.POSITIVE_INFINITY,
    // Only a busy server (503) is asked again, after the Retry-After it gave: on a report-card
    // evening the first page of a parent beyond the server's rate waits a few seconds, then opens.
    retry: (n, e) => e instanceof ApiError && e.status === 503 && shouldRetry(n, e),
    retryDelay: retryDelayMs,
  });
}

export function useSignedIn() {
  const qc = useQueryClient();
  return useCallback(
    (me: Me | null) => {
      setCsrfToken(me?.csrfToken ?? null);
      // Keep the ['me'] query object (its observer drives the login gate); drop everyone else's data.
      qc.setQueryData(['me'], me);
      if (!me) {
        qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
        // And what the service worker kept for this account on the phone (pwa/sw.ts): nothing stays for the next person.
        clearKeptData();
      }
    },
    [qc],
  );
}

type SchoolRef = { id: string; name: string };

export type Session = {
  me: Me;
  roles: Set<Role>;
  primaryRole: Role | null;
  primaryUnitName: string | null;
  has: (roles: Role[]) => boolean;
  isOffice: boolean;
  isTreeAdmin: boolean;
  isFamily: boolean;
  schoolOptions: SchoolRef[];
  school: SchoolRef | null;
  setSchool: (s: SchoolRef | null) => void;
  /**
   * The chosen school's levels (its record's and its classes'), which decide the pages the menu
   * offers (route-access.tsx); null for an office (every level below it) or when not known.
   */
  schoolLevels: SchoolLevel[] | null;
  /** May change records of the current school (the server has the last word). */
  canWrite: boolean;
  /** The unit an admin screen starts on: the current school, else the first granted unit. */
  homeUnitId: string | null;
};

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

const storageKey = (userId: string) => `truongso.school.${userId}`;

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  const signedIn = useSignedIn();
  const qc = useQueryClient();
  useEffect(() => {
    setUnauthorizedHandler(() => signedIn(null));
    // The account got a temporary password meanwhile: reload who we are, the gate shows the form.
    setPasswordChangeRequiredHandler(() => void qc.invalidateQueries({ queryKey: ['me'] }));
    return () => {
      setUnauthorizedHandler(null);
      setPasswordChangeRequiredHandler(null);
    };
  }, [signedIn, qc]);

  const roles = useMemo(() => new Set(me.grants.map((g) => g.role)), [me]);
  const has = useCallback((rs: Role[]) => rs.some((r) => roles.has(r)), [roles]);
  const isOffice = has(OFFICE_ROLES);

  const schoolOptions = useMemo(() => {
    const map = new Map<string, SchoolRef>();
    for (const g of me.grants) {
      if (g.orgUnitKind === 'school' && SCHOOL_READ_ROLES.includes(g.role)) map.set(g.orgUnitId, { id: g.orgUnitId, name: g.orgUnitName });
    }
    if (me.staff && !map.has(me.staff.schoolId)) {
      const g = me.grants.find((x) => x.orgUnitId === me.staff?.schoolId);
      map.set(me.staff.schoolId, { id: me.staff.schoolId, name: g?.orgUnitName ?? '' });
    }
    return [...map.values()];
  }, [me]);

  const [school, setSchoolState] = useState<SchoolRef | null>(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey(me.userId)) ?? 'null') as SchoolRef | null;
      if (saved && (isOffice || schoolOptions.some((o) => o.id === saved.id))) return saved;
    } catch {
      /* a corrupt value: fall back to the default */
    }
    return schoolOptions[0] ?? null;
  });
  const setSchool = useCallback(
    (s: SchoolRef | null) => {
      setSchoolState(s);
      if (s) localStorage.setItem(storageKey(me.userId), JSON.stringify(s));
      else localStorage.removeItem(storageKey(me.userId));
    },
    [me.userId],
  );

  const value = useMemo<Session>(() => {
    const primary = ROLE_ORDER.map((r) => me.grants.find((g) => g.role === r)).find(Boolean) ?? null;
    const canWrite =
      !!school &&
      me.grants.some((g) => g.role === 'system_admin' || (['principal', 'school_staff'].includes(g.role) && g.orgUnitId === school.id));
    const isFamily = !has(SCHOOL_READ_ROLES) && has(FAMILY_ROLES);
    const levels = school && !isOffice ? [...new Set(me.grants.filter((g) => g.orgUnitId === school.id).flatMap((g) => g.schoolLevels))] : [];
    return {
      me,
      roles,
      primaryRole: (primary?.role as Role) ?? null,
      primaryUnitName: primary?.orgUnitName ?? null,
      has,
      isOffice,
      isTreeAdmin: has(TREE_ADMIN_ROLES),
      isFamily,
      schoolOptions,
      school,
      setSchool,
      schoolLevels: levels.length > 0 ? levels : null,
      canWrite,
      homeUnitId: school?.id ?? primary?.orgUnitId ?? null,
    };
  }, [me, roles, has, isOffice, schoolOptions, school, setSchool]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
