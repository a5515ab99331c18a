import type { FastifyInstance } from 'fastify';
import openapiTS, { COMMENT_HEADER, type OpenAPI3, astToString } from 'openapi-typescript';
import { buildApp } from '../src/app.js';
import { openDb } from '../src/db/connection.js';
import type { DeclaredRoute } from '../src/platform/security-plugin.js';

/** Where the TypeScript types generated from the OpenAPI document are kept (committed, checked fresh by a test). */
export const API_TYPES_FILE = 'server/test/generated/api-types.ts';

/**
 * The OpenAPI document as /api/openapi.json serves it, and the routes it was made from. It depends
 * on the routes only, so an empty in-memory database is enough; soleProcess off so nothing at
 * start-up reads the tables.
 */
export async function buildApiDocument(): Promise<{ document: OpenAPI3; routes: DeclaredRoute[] }> {
  const handle = await openDb();
  let app: FastifyInstance | undefined;
  try {
    app = await buildApp(handle, { sessionCache: false, soleProcess: false });
    await app.ready();
    return { document: app.swagger() as unknown as OpenAPI3, routes: app.declaredRoutes };
  } finally {
    await app?.close();
    await handle.close();
  }
}

/** The source of API_TYPES_FILE for a document: openapi-typescript's output under a header that says how to remake it. */
export async function apiTypesSource(document: OpenAPI3): Promise<string> {
  const ast = await openapiTS(document, { silent: true });
  return `${COMMENT_HEADER}// Remake with: npx tsx scripts/gen-api-types.ts\n\n${astToString(ast)}`;
}
