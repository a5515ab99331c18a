/**
 * Writes the TypeScript types of the API (paths, operations, components) generated from the
 * OpenAPI document into server/test/generated/api-types.ts, the file tests type their calls with.
 * Run it after changing a route's schema; a test fails while the committed file is stale.
 *
 *   npx tsx scripts/gen-api-types.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { API_TYPES_FILE, apiTypesSource, buildApiDocument } from '../server/test/api-document.js';

const root = path.resolve(import.meta.dirname, '..');
const { document } = await buildApiDocument();
writeFileSync(path.join(root, API_TYPES_FILE), await apiTypesSource(document));
console.log(`Đã ghi ${API_TYPES_FILE}`);
