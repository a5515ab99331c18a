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

  it("names sign-in's own refusals, so a client tells a wrong password from a lock", () => {
    const described = (p: string, status: string) => {
      const op = (document.paths?.[p] as Record<string, OperationObject | undefined> | undefined)?.post;
      return (op?.responses?.[status] as { description?: string } | undefined)?.description ?? '';
    };
    expect(described('/api/v1/auth/login', '401')).toContain('`invalid_credentials`');
    expect(described('/api/v1/auth/login', '423')).toMatch(/`account_locked`.*`account_backoff`/);
    expect(described('/api/v1/auth/login', '400')).not.toContain('mã riêng');
    expect(described('/api/v1/auth/change-password', '400')).toMatch(/`wrong_current_password`.*`weak_password`/);
    expect(described('/api/v1/auth/change-password', '423')).toContain('`password_change_locked`');
  });

  it('describes the import upload as a multipart body with its file field', () => {
    const op = (document.paths?.['/api/v1/schools/{schoolId}/imports'] as Record<string, OperationObject> | undefined)?.post;
    expect(op?.requestBody).toMatchObject({ content: { 'multipart/form-data': { schema: { required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } } } });
    expect((op?.responses?.['415'] as { description?: string } | undefined)?.description).toMatch(/`multipart_required`.*`not_xlsx`/);
  });

  it(`keeps ${API_TYPES_FILE} as openapi-typescript makes it from the document (npx tsx scripts/gen-api-types.ts)`, async () => {
    const committed = readFileSync(path.join(root, API_TYPES_FILE), 'utf8');
    const fresh = await apiTypesSource(document);
    expect(fresh === committed, `${API_TYPES_FILE} is stale: run npx tsx scripts/gen-api-types.ts`).toBe(true);
  });
});
