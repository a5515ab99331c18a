import type { FastifyInstance } from 'fastify';
import { authRoutes } from './auth/auth.routes.js';
import { orgRoutes } from './org/org.routes.js';

/** Every feature module, mounted under /api/v1. */
export async function registerFeatureModules(app: FastifyInstance): Promise<void> {
  await app.register(authRoutes);
  await app.register(orgRoutes);
}
