import { Button, type ResultProps } from 'antd';
import { lazy, Suspense } from 'react';
import type { Role } from '../../api/types';
import { vi } from '../../i18n/vi';
import { homeFor, menuFor, routeEntry, type RoutePath } from '../../route-access';
import { navigate } from '../../router';
import { useSession } from '../auth/session';

const t = vi.access;

// antd's Result carries its 403/404/500 pictures (~8 KB compressed): a status page is rare, so they
// load when one is shown, not with the login page and every other page (budget: e2e/speed/page-weight.e2e.ts).
const LazyResult = lazy(async () => ({ default: (await import('antd/es/result')).default }));

/** antd's Result, loaded the first time one is shown. */
export function StatusResult(props: ResultProps & { 'data-testid'?: string }) {
  return (
    <Suspense fallback={null}>
      <LazyResult {...props} />
    </Suspense>
  );
}

/** The role's home, or null for an account that may open no page at all. */
function useHome(): string | null {
  const s = useSession();
  return homeFor(s.roles, s.schoolLevels);
}

function rolesText(roles: Iterable<Role>): string {
  return [...new Set([...roles].map((r) => vi.roleLabel(r)))].join(', ');
}

/**
 * The one page for "your roles cannot use this": a page the route table does not open to them
 * (`route`), or a refusal (403) the API gave. Says who the page is for and who they are, and leads home.
 */
export function NoPermission({ route, reason }: { route?: RoutePath; reason?: string }) {
  const s = useSession();
  const home = useHome();
  const entry = route ? routeEntry(route) : null;
  const lines = [
    reason ?? (entry ? t.pageFor(entry.title, rolesText(entry.roles)) : null),
    s.roles.size ? t.yourRoles(rolesText(s.roles)) : t.noRoles,
  ].filter(Boolean);
  return (
    <StatusResult
      status="403"
      title={t.noPermissionTitle}
      data-testid="no-permission"
      subTitle={lines.map((l) => (
        <div key={l}>{l}</div>
      ))}
      extra={
        home ? (
          <Button type="primary" onClick={() => navigate(home)}>
            {vi.common.home}
          </Button>
        ) : null
      }
    />
  );
}

/**
 * A page of a part the chosen school does not have (Sổ điểm at a preschool-only school, the
 * preschool evaluation at a THCS): says so by the school's name and leads home, rather than a page
 * that would only say it has nothing to show.
 */
export function NotTaught({ route }: { route: RoutePath }) {
  const s = useSession();
  const home = useHome();
  const part = routeEntry(route).part ?? 'general';
  // The school's other part, if the menu has it (Sổ điểm → the preschool evaluation and back): where the user likely meant to go.
  const other = menuFor(s.roles, s.schoolLevels).find((m) => routeEntry(m.key).part && routeEntry(m.key).part !== part);
  return (
    <StatusResult
      status="info"
      title={t.notTaughtTitle(routeEntry(route).title)}
      subTitle={t.notTaught(s.school?.name ?? '', part)}
      data-testid="not-taught"
      extra={[
        other ? (
          <Button key="other" type="primary" onClick={() => navigate(other.key)}>
            {other.label}
          </Button>
        ) : null,
        home ? (
          <Button key="home" type={other ? 'default' : 'primary'} onClick={() => navigate(home)}>
            {vi.common.home}
          </Button>
        ) : null,
      ]}
    />
  );
}

/**
 * "Không tìm thấy": a link that leads nowhere (an unknown path, a student or class that is not
 * there or not the caller's). With `backTo` it leads back to the list it came from, else home.
 */
export function NotFound({ message, backTo }: { message?: string; backTo?: string }) {
  const home = useHome();
  const target = backTo ?? home;
  return (
    <StatusResult
      status="404"
      title={t.notFoundTitle}
      subTitle={message ?? t.notFoundData}
      data-testid="not-found"
      extra={
        target ? (
          <Button type="primary" onClick={() => navigate(target)}>
            {backTo ? t.backToList : vi.common.home}
          </Button>
        ) : null
      }
    />
  );
}
