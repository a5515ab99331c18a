// The code-health figures of issue 9, measured the same way before and after a refactor:
// lines per folder, the largest source files, query-builder calls outside repos, non-null
// assertions outside tests and the seed. `node scripts/code-figures.mjs` prints them as Markdown.
// (Duplicate pairs come from the `duplicates` tool; the test count from `npm test`.)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const files = execFileSync('git', ['ls-files', '*.ts', '*.tsx', '*.mjs', '*.sql'], { encoding: 'utf8' }).split('\n').filter((f) => f && !f.includes('/generated/'));
const isTest = (f) => /\.(test|e2e|timing\.test)\.tsx?$/.test(f) || f.startsWith('e2e/') || f.startsWith('server/test/');
const lineCount = (f) => readFileSync(f, 'utf8').split('\n').length;

// Lines per folder: the first two path segments (server/src/modules/x counts as its module).
const folderOf = (f) => {
  const parts = f.split('/');
  if (parts[0] === 'server' && parts[1] === 'src' && parts[2] === 'modules') return parts.slice(0, 4).join('/');
  if (parts[0] === 'server' && parts[1] === 'src') return parts.slice(0, 3).join('/');
  if (parts[0] === 'web' && parts[1] === 'src' && parts[2] === 'features') return parts.slice(0, 4).join('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : parts[0];
};
const perFolder = new Map();
for (const f of files) {
  const key = folderOf(f);
  const e = perFolder.get(key) ?? { source: 0, tests: 0 };
  e[isTest(f) ? 'tests' : 'source'] += lineCount(f);
  perFolder.set(key, e);
}

const sources = files.filter((f) => !isTest(f) && /\.(ts|tsx)$/.test(f));
const largest = sources.map((f) => [f, lineCount(f)]).sort((a, b) => b[1] - a[1]).slice(0, 12);

// A query built outside a repo: a Kysely builder call or a sql`` template in a non-repo,
// non-migration, non-test source file of the server.
const QUERY_RE = /\.(selectFrom|insertInto|updateTable|deleteFrom|with)\(|\bsql[<`]/g;
const outsideRepos = [];
for (const f of sources) {
  if (!f.startsWith('server/src/') || /\.repo\.ts$/.test(f) || f.includes('/db/')) continue;
  const n = (readFileSync(f, 'utf8').match(QUERY_RE) ?? []).length;
  if (n) outsideRepos.push([f, n]);
}
outsideRepos.sort((a, b) => b[1] - a[1]);

// Non-null assertions (`x!.y`, `x!)`, `x!;` …) outside tests and the demo seed.
const NON_NULL_RE = /[\w\])]!(?=[.;,)\]\s[])(?!=)/g;
let nonNull = 0;
const nonNullFiles = [];
for (const f of sources) {
  if (f.includes('/demo/')) continue;
  const text = readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '').replace(/'[^'\n]*'|"[^"\n]*"|`[^`]*`/g, "''");
  const n = (text.match(NON_NULL_RE) ?? []).length;
  if (n) nonNullFiles.push([f, n]);
  nonNull += n;
}

const out = [];
out.push(`## Code figures (${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()})`, '');
out.push('| folder | source lines | test lines |', '|---|---|---|');
for (const [k, v] of [...perFolder].sort((a, b) => b[1].source - a[1].source)) out.push(`| ${k} | ${v.source} | ${v.tests} |`);
out.push('', '| largest source files | lines |', '|---|---|');
for (const [f, n] of largest) out.push(`| ${f} | ${n} |`);
out.push('', `Query-builder calls outside repos: ${outsideRepos.reduce((s, [, n]) => s + n, 0)} in ${outsideRepos.length} files`, '');
for (const [f, n] of outsideRepos) out.push(`- ${f}: ${n}`);
out.push('', `Non-null assertions outside tests and the seed: ${nonNull} in ${nonNullFiles.length} files`);
console.log(out.join('\n'));
