// Prints the score of the last `npm run mutation` from its JSON report: killed / total per file
// and per scope function, then every surviving mutant (file:line, mutator, replacement).
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const report = JSON.parse(readFileSync(path.join(root, 'reports/mutation/mutation.json'), 'utf8'));

// The scope functions the services use, reported on their own (their target is ≥ 90 % killed).
const SCOPE_FUNCTIONS = [
  ['server/src/platform/access.ts', 'export async function rolesOver('],
  ['server/src/platform/access.ts', 'export async function teacherClassIds('],
  ['server/src/platform/access.ts', 'export async function schoolView('],
  ['server/src/platform/access.ts', 'export async function isGuardianOf('],
  ['server/src/modules/org/org.service.ts', 'export async function visibleTree('],
  ['server/src/modules/students/students-profile.service.ts', 'export async function assertCanSee('],
];

const DETECTED = new Set(['Killed', 'Timeout']);
const INVALID = new Set(['CompileError', 'RuntimeError', 'Ignored']);

function tally(mutants) {
  const valid = mutants.filter((m) => !INVALID.has(m.status));
  const detected = valid.filter((m) => DETECTED.has(m.status)).length;
  const by = (s) => mutants.filter((m) => m.status === s).length;
  const pct = valid.length ? ((100 * detected) / valid.length).toFixed(1) : '—';
  return `${detected} / ${valid.length} killed (${pct} %)  [killed ${by('Killed')}, timeout ${by('Timeout')}, survived ${by('Survived')}, no coverage ${by('NoCoverage')}, ignored ${by('Ignored')}, errors ${by('CompileError') + by('RuntimeError')}]`;
}

function functionLines(source, declaration) {
  const lines = source.split('\n');
  const first = lines.findIndex((l) => l.startsWith(declaration));
  const last = lines.findIndex((l, i) => i > first && l === '}');
  return first < 0 ? null : [first + 1, last + 1];
}

const files = Object.entries(report.files).map(([name, f]) => [path.relative(root, path.resolve(root, name)), f]);
console.log('\nMutation score (killed = killed + timed out; total = all mutants less compile errors and ignored)');
const all = [];
for (const [name, f] of files) {
  all.push(...f.mutants);
  console.log(`  ${name.padEnd(52)} ${tally(f.mutants)}`);
}
console.log(`  ${'all'.padEnd(52)} ${tally(all)}`);

console.log('\nScope functions');
const scope = [];
for (const [file, decl] of SCOPE_FUNCTIONS) {
  const f = files.find(([n]) => n === file)?.[1];
  const range = f && functionLines(f.source, decl);
  if (!range) {
    console.log(`  ${decl} — not in the report`);
    continue;
  }
  const mutants = f.mutants.filter((m) => m.location.start.line >= range[0] && m.location.start.line <= range[1]);
  scope.push(...mutants);
  const name = decl.replace('export async function ', '').replace('(', '');
  console.log(`  ${`${path.basename(file)} ${name}`.padEnd(52)} ${tally(mutants)}`);
}
const accessFile = files.find(([n]) => n === 'server/src/platform/access.ts')?.[1]?.mutants ?? [];
const outside = files.filter(([n]) => n !== 'server/src/platform/access.ts' && SCOPE_FUNCTIONS.some(([f]) => f === n)).flatMap(([, f]) => f.mutants);
console.log(`  ${'access.ts + visibleTree + assertCanSee'.padEnd(52)} ${tally([...accessFile, ...outside])}`);

const survivors = files.flatMap(([name, f]) => f.mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage').map((m) => ({ name, m, line: f.source.split('\n')[m.location.start.line - 1] })));
console.log(`\nSurvivors (${survivors.length})`);
for (const { name, m, line } of survivors) {
  console.log(`  ${name}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? '')}`);
  console.log(`      ${line?.trim().slice(0, 150)}`);
}
