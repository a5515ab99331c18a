import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OpenAPI3, OperationObject } from 'openapi-typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_TYPES_FILE, apiTypesSource, buildApiDocument } from '../../test/api-document.js';
import type { DeclaredRoute } from '../platform/security-plugin.js';
import { operationIdOf } from './operation-id.js';

const root = path.resolve(import.meta.dirname, '../../..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

let document: OpenAPI3;
let routes: DeclaredRoute[];
beforeAll(async () => {
  ({ document, routes } = await buildApiDocument());
});

/** Every operation of the document with its method (upper case) and OpenAPI path. */
function operations(): { method: string; path: string; op: OperationObject }[] {
  return Object.entries(document.paths ?? {}).flatMap(([p, item]) =>
    METHODS.flatMap((m) => {
      const op = (item as Record<string, OperationObject | undefined>)[m];
      return op ? [{ method: m.toUpperCase(), path: p, op }] : [];
    }),
  );
}

const openapiPath = (fastifyUrl: string) => fastifyUrl.replace(/:(\w+)/g, '{$1}');

type LintProblem = { ruleId: string; severity: 'error' | 'warn'; message: string; location: { pointer: string }[] };

describe('the OpenAPI document', () => {
  it("passes Redocly's recommended rules with no error", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'openapi-lint-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      const cli = path.join(root, 'node_modules/@redocly/cli/bin/cli.js');
      const run = spawnSync(process.execPath, [cli, 'lint', file, '--extends', 'recommended', '--format', 'json'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      });
      expect(run.stdout.trimStart().startsWith('{'), `redocly lint printed no report:\n${run.stderr}`).toBe(true);
      const report = JSON.parse(run.stdout) as { totals: { errors: number; warnings: number }; problems: LintProblem[] };
      const lines = report.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`);
      // The warnings left are listed in the test output: there is no licence to name yet, and a
      // public read without input (health, session state) has no refusal to describe.
      if (lines.length > 0) console.log(`Redocly lint:\n${lines.join('\n')}`);
      expect(report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location[0]?.pointer}`)).toEqual([]);
      expect(run.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every operation with a unique operationId derived from its method and path', async () => {
    const ids = operations().map(({ method, path: p, op }) => {
      expect(op.operationId, `${method} ${p}`).toBe(operationIdOf(method, p));
      return op.operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);
    // A changed id breaks every client generated from the document: this list changes only by
    // adding routes (vitest -u), never by renaming one.
    const list = operations()
      .map(({ method, path: p, op }) => `${op.operationId} ${method} ${p}`)
      .sort()
      .join('\n');
    await expect(`${list}\n`).toMatchFileSnapshot('./operation-ids.snap.txt');
  });

  it('derives the same id from the Fastify and the OpenAPI spelling of a path', () => {
    expect(operationIdOf('GET', '/api/v1/schools/:schoolId/students/export.xlsx')).toBe('getSchoolsBySchoolIdStudentsExportXlsx');
    expect(operationIdOf('GET', '/api/v1/schools/{schoolId}/students/export.xlsx')).toBe('getSchoolsBySchoolIdStudentsExportXlsx');
    expect(operationIdOf('POST', '/api/v1/schools/:schoolId/students/:studentId/transfer-class')).toBe(
      'postSchoolsBySchoolIdStudentsByStudentIdTransferClass',
    );
    expect(operationIdOf('GET', '/api/health')).toBe('getHealth');
  });

  it('asks for the session cookie, and the CSRF header on writes, exactly where the permission does', () => {
    expect(document.components?.securitySchemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: 'ts_sid' },
      csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
    });
    const byRoute = new Map(operations().map((o) => [`${o.method} ${o.path}`, o.op]));
    expect(routes.length).toBeGreaterThan(40);
    for (const route of routes) {
      const op = byRoute.get(`${route.method} ${openapiPath(route.url)}`);
      const where = `${route.method} ${route.url}`;
      expect(op, where).toBeDefined();
      const expected =
        route.permission.access === 'public'
          ? []
          : ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method)
            ? [{ session: [], csrf: [] }]
            : [{ session: [] }];
      expect(op?.security, where).toEqual(expected);
      const statuses = Object.keys(op?.responses ?? {});
      if (route.permission.access !== 'public') expect(statuses, where).toContain('401');
      expect(statuses.some((s) => s.startsWith('2')), where).toBe(true);
    }
  });

  it('describes refusals as problem+json with the shared ProblemDetails schema', () => {
    const problem = document.components?.schemas?.ProblemDetails as { required?: string[] } | undefined;
    expect(problem?.required).toEqual(['type', 'title', 'status', 'code', 'detail']);
    for (const { method, path: p, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (!/^[45]/.test(status)) continue;
        expect(response, `${method} ${p} ${status}`).toMatchObject({
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
        });
      }
    }
  });

  it(`keeps ${API_TYPES_FILE} as openapi-typescript makes it from the document (npx tsx scripts/gen-api-types.ts)`, async () => {
    const committed = readFileSync(path.join(root, API_TYPES_FILE), 'utf8');
    const fresh = await apiTypesSource(document);
    expect(fresh === committed, `${API_TYPES_FILE} is stale: run npx tsx scripts/gen-api-types.ts`).toBe(true);
  });
});
