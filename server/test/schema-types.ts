import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import ts from 'typescript';
import type { Database } from '../src/db/schema.js';
import { projectPath } from '../src/platform/project-root.js';

/*
 * Reads the Kysely table types of server/src/db/schema.ts with the TypeScript type checker (the
 * same resolution tsc does: aliases, ColumnType/Generated, unions), reads the migrated database's
 * information_schema and check constraints, and lists every disagreement between the two.
 * schema.test.ts runs it on PGlite and on PostgreSQL.
 */

/** What a column's select type says, once Kysely's ColumnType is unwrapped and `| null` taken off. */
export type TsKind =
  | { kind: 'string' }
  | { kind: 'literal'; values: string[] }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'Date' }
  | { kind: 'json' }
  | { kind: 'bytes' }
  | { kind: 'array'; element: TsKind }
  | { kind: 'unsupported'; text: string };

export type TsColumn = {
  type: TsKind;
  nullable: boolean;
  /** Insertable may leave it out (Generated<…>, or `undefined` in ColumnType's insert type). */
  insertOptional: boolean;
  /** Inserts may not set it (GeneratedAlways<…>: insert type `never`). */
  insertNever: boolean;
  /** The declared type as written, for messages. */
  text: string;
};

export type TsTables = Map<string, Map<string, TsColumn>>;

export type DbColumn = {
  udtName: string;
  nullable: boolean;
  hasDefault: boolean;
  /** GENERATED ALWAYS (identity or computed): the database refuses a value on insert. */
  generatedAlways: boolean;
  /** Values allowed by a single-column check `col in (…)` (or `col <@ array[…]` for arrays). */
  allowed: string[] | null;
};

export type DbTables = Map<string, Map<string, DbColumn>>;

/**
 * The migrator's own bookkeeping table: written with raw SQL by migrator.ts, never through Kysely,
 * so it is deliberately not in `Database`.
 */
export const TABLES_NOT_IN_SCHEMA_TS = ['schema_migration'];

export const SCHEMA_TS = projectPath('server', 'src', 'db', 'schema.ts');

function compilerOptions(): ts.CompilerOptions {
  const configPath = projectPath('tsconfig.json');
  const read = ts.readConfigFile(configPath, (f) => ts.sys.readFile(f));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath));
  // schema.ts needs neither Node's nor the DOM's declarations; leaving them out halves the time.
  return { ...parsed.options, noEmit: true, types: [], lib: ['lib.es2023.d.ts'] };
}

/**
 * Reads `export type Database = { table: TableType; … }` from a schema file. `source` replaces the
 * file's text (the comparer's own tests use a deliberately wrong schema); imports still resolve
 * from the file's location.
 */
export function readTsTables(fileName: string = SCHEMA_TS, source?: string): TsTables {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  if (source !== undefined) {
    const original = { getSourceFile: host.getSourceFile.bind(host), fileExists: host.fileExists.bind(host), readFile: host.readFile.bind(host) };
    const same = (f: string) => path.resolve(f) === path.resolve(fileName);
    host.getSourceFile = (f, lang, onError, create) =>
      same(f) ? ts.createSourceFile(f, source, lang, true) : original.getSourceFile(f, lang, onError, create);
    host.fileExists = (f) => same(f) || original.fileExists(f);
    host.readFile = (f) => (same(f) ? source : original.readFile(f));
  }
  const program = ts.createProgram({ rootNames: [fileName], options, host });
  const errors = ts.getPreEmitDiagnostics(program, program.getSourceFile(fileName));
  if (errors.length > 0) {
    const text = errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n');
    throw new Error(`${fileName} does not type-check:\n${text}`);
  }
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(fileName);
  const moduleSymbol = file && checker.getSymbolAtLocation(file);
  const dbSymbol = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === 'Database');
  if (!dbSymbol) throw new Error(`${fileName} exports no type Database`);
  const tables: TsTables = new Map();
  for (const tableSymbol of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(dbSymbol))) {
    const columns = new Map<string, TsColumn>();
    for (const columnSymbol of checker.getPropertiesOfType(checker.getTypeOfSymbol(tableSymbol))) {
      columns.set(columnSymbol.name, readColumn(checker, checker.getTypeOfSymbol(columnSymbol)));
    }
    tables.set(tableSymbol.name, columns);
  }
  return tables;
}

const flatten = (t: ts.Type): ts.Type[] => (t.isUnion() ? t.types : [t]);

/** Kysely's SelectType/InsertType distribute over unions: `Timestamp | null` selects `Date | null`. */
function readColumn(checker: ts.TypeChecker, declared: ts.Type): TsColumn {
  const select: ts.Type[] = [];
  const insert: ts.Type[] = [];
  for (const member of flatten(declared)) {
    const sel = member.getProperty('__select__');
    const ins = member.getProperty('__insert__');
    select.push(...flatten(sel ? checker.getTypeOfSymbol(sel) : member));
    insert.push(...flatten(ins ? checker.getTypeOfSymbol(ins) : member));
  }
  const nullable = select.some((t) => t.flags & ts.TypeFlags.Null);
  return {
    type: classify(checker, select.filter((t) => !(t.flags & ts.TypeFlags.Null))),
    nullable,
    insertOptional: insert.some((t) => t.flags & ts.TypeFlags.Undefined),
    insertNever: insert.every((t) => t.flags & ts.TypeFlags.Never),
    text: checker.typeToString(declared),
  };
}

function classify(checker: ts.TypeChecker, members: ts.Type[]): TsKind {
  const text = members.map((t) => checker.typeToString(t)).join(' | ');
  if (members.length === 0) return { kind: 'unsupported', text: 'null' };
  if (members.every((t) => t.isStringLiteral())) {
    return { kind: 'literal', values: members.map((t) => (t as ts.StringLiteralType).value).sort() };
  }
  if (members.every((t) => t.flags & ts.TypeFlags.BooleanLiteral) && members.length === 2) return { kind: 'boolean' };
  if (members.length > 1) return { kind: 'unsupported', text };
  const [t] = members as [ts.Type];
  if (t.flags & ts.TypeFlags.String) return { kind: 'string' };
  if (t.flags & ts.TypeFlags.Number) return { kind: 'number' };
  // A json column may hold any JSON value; its select type says so with `unknown`.
  if (t.flags & ts.TypeFlags.Unknown) return { kind: 'json' };
  if (checker.isArrayType(t)) {
    const [element] = checker.getTypeArguments(t as ts.TypeReference);
    return element ? { kind: 'array', element: classify(checker, flatten(element)) } : { kind: 'unsupported', text };
  }
  if (t.getSymbol()?.name === 'Date') return { kind: 'Date' };
  // bytea: pg reads a Buffer, which is a Uint8Array.
  if (t.getSymbol()?.name === 'Uint8Array') return { kind: 'bytes' };
  return { kind: 'unsupported', text };
}

type ColumnRow = {
  table_name: string;
  column_name: string;
  udt_name: string;
  is_nullable: string;
  column_default: string | null;
  is_identity: string;
  identity_generation: string | null;
  is_generated: string;
};

type CheckRow = { table_name: string; column_name: string; column_ident: string; def: string };

/** Columns of every base table in the current schema, with the values their check constraints allow. */
export async function readDbTables(db: Kysely<Database>): Promise<DbTables> {
  const columns = await sql<ColumnRow>`
    select c.table_name, c.column_name, c.udt_name, c.is_nullable, c.column_default,
           c.is_identity, c.identity_generation, c.is_generated
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
     order by c.table_name, c.ordinal_position`.execute(db);
  const checks = await sql<CheckRow>`
    select cl.relname as table_name, a.attname as column_name, quote_ident(a.attname) as column_ident,
           pg_get_constraintdef(con.oid) as def
      from pg_constraint con
      join pg_class cl on cl.oid = con.conrelid
      join pg_namespace n on n.oid = cl.relnamespace
      join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
     where con.contype = 'c' and n.nspname = current_schema() and cardinality(con.conkey) = 1`.execute(db);
  const allowed = new Map<string, string[]>();
  for (const c of checks.rows) {
    const values = enumeratedValues(c.column_ident, c.def);
    if (values) allowed.set(`${c.table_name}.${c.column_name}`, values);
  }
  const tables: DbTables = new Map();
  for (const r of columns.rows) {
    let table = tables.get(r.table_name);
    if (!table) tables.set(r.table_name, (table = new Map()));
    table.set(r.column_name, {
      udtName: r.udt_name,
      nullable: r.is_nullable === 'YES',
      hasDefault: r.column_default !== null || r.is_identity === 'YES' || r.is_generated === 'ALWAYS',
      generatedAlways: r.identity_generation === 'ALWAYS' || r.is_generated === 'ALWAYS',
      allowed: allowed.get(`${r.table_name}.${r.column_name}`) ?? null,
    });
  }
  return tables;
}

/**
 * The values of a check that only enumerates them, as PostgreSQL prints it back:
 * `CHECK ((kind = ANY (ARRAY['a'::text, 'b'::text])))`, `CHECK ((kind = 'a'::text))`, or for an
 * array column `CHECK ((levels <@ ARRAY['a'::text, 'b'::text]))`. Any other check (ranges, several
 * columns) enumerates nothing. `columnIdent` is the column as PostgreSQL prints it (quote_ident:
 * `"position"` is quoted, being a keyword).
 */
export function enumeratedValues(columnIdent: string, def: string): string[] | null {
  const literal = /^'((?:[^']|'')*)'::[a-z ]+$/;
  const parse = (list: string): string[] | null => {
    const values: string[] = [];
    for (const item of list.split(/, (?=')/)) {
      const m = literal.exec(item);
      if (!m) return null;
      values.push(m[1].replaceAll("''", "'"));
    }
    return values.sort();
  };
  const col = columnIdent.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const anyOf = new RegExp(`^CHECK \\(\\(${col} = ANY \\(ARRAY\\[(.*)\\]\\)\\)\\)$`).exec(def);
  if (anyOf) return parse(anyOf[1]);
  const one = new RegExp(`^CHECK \\(\\(${col} = ('.*)\\)\\)$`).exec(def);
  if (one) return parse(one[1]);
  const within = new RegExp(`^CHECK \\(\\(${col} <@ ARRAY\\[(.*)\\]\\)\\)$`).exec(def);
  if (within) return parse(within[1]);
  return null;
}

/** What each PostgreSQL type reads back as through pg (with the parsers set in connection.ts). */
const READS_AS: Record<string, TsKind['kind']> = {
  text: 'string',
  varchar: 'string',
  bpchar: 'string',
  uuid: 'string',
  date: 'string', // connection.ts keeps dates as 'yyyy-mm-dd' strings
  time: 'string',
  inet: 'string',
  numeric: 'string', // connection.ts keeps numeric as a string (no rounding)
  int2: 'number',
  int4: 'number',
  int8: 'number', // connection.ts parses bigint into a number
  float4: 'number',
  float8: 'number',
  bool: 'boolean',
  timestamptz: 'Date',
  timestamp: 'Date',
  json: 'json',
  jsonb: 'json',
  bytea: 'bytes',
};

const describe = (k: TsKind): string =>
  k.kind === 'literal'
    ? k.values.map((v) => `'${v}'`).join(' | ')
    : k.kind === 'array'
      ? `${describe(k.element)}[]`
      : k.kind === 'unsupported'
        ? k.text
        : k.kind;

const quoteList = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/** Type problems of one column (or one array element); empty when the declaration is honest. */
function typeProblems(udtName: string, allowed: string[] | null, ts: TsKind): string[] {
  if (udtName.startsWith('_')) {
    if (ts.kind !== 'array') return [`is ${udtName.slice(1)}[] in the database but ${describe(ts)} in schema.ts`];
    return typeProblems(udtName.slice(1), allowed, ts.element).map((p) => `element ${p}`);
  }
  const expected = READS_AS[udtName];
  if (!expected) return [`has database type ${udtName}, which this check does not know how to compare`];
  if (ts.kind === 'literal') {
    if (expected !== 'string') return [`is ${udtName} in the database but ${describe(ts)} in schema.ts`];
    if (!allowed) return [`is typed ${describe(ts)} in schema.ts but the database accepts any ${udtName} (no check constraint)`];
    const missing = allowed.filter((v) => !ts.values.includes(v));
    const extra = ts.values.filter((v) => !allowed.includes(v));
    const out: string[] = [];
    if (missing.length) out.push(`the database also allows ${quoteList(missing)}, which schema.ts does not list`);
    if (extra.length) out.push(`schema.ts lists ${quoteList(extra)}, which the database's check constraint refuses`);
    return out;
  }
  if (ts.kind !== expected) return [`is ${udtName} in the database (reads as ${expected}) but ${describe(ts)} in schema.ts`];
  if (allowed && ts.kind === 'string') {
    return [`the database allows only ${quoteList(allowed)} (check constraint) but schema.ts types it as any string`];
  }
  return [];
}

/** Every disagreement between schema.ts and the database, one line each, naming table and column. */
export function compareTables(tsTables: TsTables, dbTables: DbTables, notInTs: string[] = TABLES_NOT_IN_SCHEMA_TS): string[] {
  const problems: string[] = [];
  for (const table of tsTables.keys()) {
    if (!dbTables.has(table)) problems.push(`table ${table}: in schema.ts but not in the database`);
  }
  for (const [table, dbColumns] of dbTables) {
    const tsColumns = tsTables.get(table);
    if (!tsColumns) {
      if (!notInTs.includes(table)) problems.push(`table ${table}: in the database but not in schema.ts`);
      continue;
    }
    for (const column of tsColumns.keys()) {
      if (!dbColumns.has(column)) problems.push(`${table}.${column}: in schema.ts but not in the database`);
    }
    for (const [column, db] of dbColumns) {
      const t = tsColumns.get(column);
      const at = `${table}.${column}`;
      if (!t) {
        problems.push(`${at}: in the database but not in schema.ts`);
        continue;
      }
      if (db.nullable && !t.nullable) problems.push(`${at}: nullable in the database but schema.ts types it without | null (${t.text})`);
      if (!db.nullable && t.nullable) problems.push(`${at}: NOT NULL in the database but schema.ts types it | null (${t.text})`);
      for (const p of typeProblems(db.udtName, db.allowed, t.type)) problems.push(`${at}: ${p}`);
      if (db.generatedAlways && !t.insertNever) {
        problems.push(`${at}: GENERATED ALWAYS in the database (inserts may not set it) but schema.ts allows inserting it; use GeneratedAlways<…>`);
      }
      if (t.insertOptional && !db.nullable && !db.hasDefault) {
        problems.push(`${at}: optional on insert in schema.ts (${t.text}) but NOT NULL without a default in the database`);
      }
    }
  }
  return problems;
}
