import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Routes wire, services hold the rules, repos hold the queries (docs/ARCHITECTURE.md). This reads
 * the sources, no database: a service or routes file that builds a query, or routes that reach a
 * repo past the service, fail here; so does a query built in platform/, demo/ or main.ts outside
 * a `*.repo.ts`. A service may still open a transaction and hand it to repos.
 */

const MODULES = dirname(fileURLToPath(import.meta.url));
const SERVER_SRC = dirname(MODULES);

/** Kysely's query starters: called on a Kysely, a transaction or a query creator. */
const QUERY_STARTERS = new Set(['selectFrom', 'selectNoFrom', 'insertInto', 'replaceInto', 'updateTable', 'deleteFrom', 'mergeInto', 'with', 'withRecursive', 'executeQuery']);

/** What a non-repo file does that belongs in a repo, one line per finding. */
function layeringProblems(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const isRoutes = fileName.endsWith('.routes.ts');
  const problems: string[] = [];
  const at = (node: ts.Node) => `${fileName}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && QUERY_STARTERS.has(node.expression.name.text)) {
      problems.push(`${at(node)} builds a query (.${node.expression.name.text}): move it into a repo (*.repo.ts)`);
    }
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) {
      const from = node.moduleSpecifier.text;
      const bindings = node.importClause?.namedBindings;
      const values = bindings && ts.isNamedImports(bindings) ? bindings.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text) : [];
      const whole = !!node.importClause?.name || (!!bindings && ts.isNamespaceImport(bindings));
      if (values.includes('sql')) problems.push(`${at(node)} imports sql from ${from}: raw SQL belongs in a repo (*.repo.ts)`);
      if (isRoutes && /\.repo(\.js)?$/.test(from) && (whole || values.length > 0)) {
        problems.push(`${at(node)} imports ${from}: routes call the service, not the repo`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

function checkedFiles(): string[] {
  const files: string[] = [];
  for (const dir of readdirSync(MODULES, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(join(MODULES, dir.name))) {
      if (/\.(service|routes)\.ts$/.test(f)) files.push(join(MODULES, dir.name, f));
    }
  }
  return files.sort();
}

/** The shared code outside the modules: platform/ and demo/ (but their tests and repos), and main.ts. */
function sharedFiles(): string[] {
  const files = [join(SERVER_SRC, 'main.ts')];
  for (const dir of ['platform', 'demo']) {
    for (const f of readdirSync(join(SERVER_SRC, dir))) {
      if (f.endsWith('.ts') && !/\.(test|repo)\.ts$/.test(f)) files.push(join(SERVER_SRC, dir, f));
    }
  }
  return files.sort();
}

describe('layering: routes wire, services hold the rules, repos hold the queries', () => {
  it('no service or routes file builds a query, and no routes file reaches a repo', () => {
    const files = checkedFiles();
    expect(files.length).toBeGreaterThan(10);
    const problems = files.flatMap((f) => layeringProblems(relative(MODULES, f), readFileSync(f, 'utf8')));
    expect(problems).toEqual([]);
  });

  it('platform/, demo/ and main.ts build no query outside their repos', () => {
    const files = sharedFiles();
    expect(files.length).toBeGreaterThan(30);
    const problems = files.flatMap((f) => layeringProblems(relative(SERVER_SRC, f), readFileSync(f, 'utf8')));
    expect(problems).toEqual([]);
  });

  it('the check finds each kind of query, and lets type imports and transactions through', () => {
    const service = [
      "import { type Kysely, type Transaction } from 'kysely';",
      "import type { sql as typeOnly } from 'kysely';",
      'await db.transaction().execute(async (trx) => saveThing(trx, row));',
    ].join('\n');
    expect(layeringProblems('x/x.service.ts', service)).toEqual([]);
    const bad = [
      "import { type Kysely, sql } from 'kysely';",
      "await db.selectFrom('student').selectAll().execute();",
      "await trx.insertInto('staff').values(row).execute();",
      "await trx.updateTable('class').set(set).execute();",
      "await trx.deleteFrom('guardian').execute();",
      'await db.selectNoFrom((eb) => eb.val(1).as("one")).execute();',
      "await db.with('w', (q) => q).selectFrom('w').execute();",
    ].join('\n');
    expect(layeringProblems('x/x.service.ts', bad).map((p) => p.split(' ')[0])).toEqual([
      'x/x.service.ts:1',
      'x/x.service.ts:2',
      'x/x.service.ts:3',
      'x/x.service.ts:4',
      'x/x.service.ts:5',
      'x/x.service.ts:6',
      'x/x.service.ts:7',
      'x/x.service.ts:7',
    ]);
    expect(layeringProblems('x/x.routes.ts', "import { firstGrantUnit } from './admin.repo.js';")).toHaveLength(1);
    expect(layeringProblems('x/x.routes.ts', "import type { Row } from './admin.repo.js';")).toEqual([]);
  });
});
