import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../db/schema.js';

/**
 * Every route under /api/v1 declares who may call it and how the org unit it touches is found.
 * app.ts refuses to start if a route has no declaration; the access-matrix test walks them all.
 *
 * - public:    anyone, signed in or not (login, health).
 * - signed_in: any signed-in user; the handler only ever touches the caller's own data.
 * - global:    roles held anywhere (e.g. system_admin, or an officer browsing the tree).
 * - unit:      roles held over the org unit named by a path parameter (covers its subtree).
 * - resolve:   roles held over the unit that `resolveUnit` finds for the target (e.g. a job's school).
 * Services add the finer rules: a teacher sees their classes, a parent their own children.
 *
 * A closed unit (a school closed or merged away, an abolished office) is read-only history: its
 * own grants stop working and only the offices above it on its last day may read it. Changes to
 * it are refused unless the route sets `allowOnClosedUnit` (docs/decisions/0005-closed-units.md).
 * `strictlyBelow`: only roles held ABOVE the unit count, not a grant on the unit itself (an office
 * reshapes the units below it, not itself).
 */
export type Permission =
  | { access: 'public' }
  | { access: 'signed_in' }
  | { access: 'global'; roles: readonly Role[] }
  | { access: 'unit'; roles: readonly Role[]; param: string; allowOnClosedUnit?: boolean; strictlyBelow?: boolean }
  | {
      access: 'resolve';
      roles: readonly Role[];
      resolveUnit: (req: FastifyRequest, db: Kysely<Database>) => Promise<string | null>;
      allowOnClosedUnit?: boolean;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: Permission;
  }
}
