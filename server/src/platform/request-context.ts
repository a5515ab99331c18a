import type { FastifyRequest } from 'fastify';
import type { Role } from '../db/schema.js';
import type { Actor } from './actor.js';
import { unauthorized } from './errors.js';

/**
 * What the access hook found out about the caller for this request. `dataVersion`: the change
 * counter of the school named in the path (versioned-cache.ts), read with the session; null when
 * the path names no unit.
 */
export type RequestScope = { unitId: string | null; roles: Set<Role>; dataVersion: number | null };

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    scope: RequestScope;
  }
}

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthorized();
  return req.actor;
}

/** The unit the access hook resolved; routes with access 'unit' or 'resolve' always have one. */
export function scopedUnit(req: FastifyRequest): string {
  if (!req.scope.unitId) throw new Error('Route has no resolved org unit: check its permission declaration');
  return req.scope.unitId;
}
