import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb } from '../../test/harness.js';
import {
  compareTables,
  type DbTables,
  enumeratedValues,
  readDbTables,
  readTsTables,
  TABLES_NOT_IN_SCHEMA_TS,
} from '../../test/schema-types.js';
import type { DbHandle } from './connection.js';
import { projectPath } from '../platform/project-root.js';

// The Kysely table types are written by hand; this keeps them honest against the migrated
// database, on whichever engine the run uses (PGlite, or PostgreSQL with DATABASE_URL).
let handle: DbHandle;
let db: DbTables;

beforeAll(async () => {
  handle = await freshDb();
  db = await readDbTables(handle.db);
});
afterAll(async () => {
  await handle.close();
});

describe('db/schema.ts against the migrated database', () => {
  it('declares every table and column with the type and nullability the database has', () => {
    const ts = readTsTables();
    expect(compareTables(ts, db)).toEqual([]);
    // Not vacuous: both sides were read in full.
    expect(ts.size).toBe(db.size - TABLES_NOT_IN_SCHEMA_TS.length);
    expect(ts.get('student')?.size).toBe(db.get('student')?.size);
    expect(ts.size).toBeGreaterThanOrEqual(23);
  });
});

describe('the comparison itself', () => {
  // A deliberately wrong schema (read by the same checker, from an in-memory file next to
  // schema.ts), compared with the real database restricted to the tables it names plus one it
  // leaves out: every kind of mismatch must be reported, naming table and column.
  const wrongSchema = `
    import type { ColumnType, Generated } from 'kysely';
    type Timestamp = ColumnType<Date, Date | string, Date | string>;
    export type Database = {
      data_version: { scope: string | null; shard: number; version: string };
      org_unit: { id: string; kind: 'ministry' | 'school' | 'galaxy'; code: string | null; created_at: Timestamp; nickname: string };
      org_unit_version: {
        unit_id: Timestamp; valid_from: string; valid_to: string; parent_id: string | null; name: string;
        school_levels: Generated<string[]>; ownership: string | null; area: 'urban' | 'rural' | null;
        province_code: string | null; address: string | null; change_reason: string | null;
      };
      guardian: {
        school_id: string; id: string; student_id: string; relation: 'father' | 'mother' | 'guardian';
        full_name: Generated<string>; phone: number | null; email: string | null; occupation: string | null;
        birth_year: number | null;
      };
      access_log: {
        school_id: string; id: Generated<number>; student_id: string; at: Timestamp; user_id: string | null;
        username: string | null; action: 'profile_view' | 'personal_data_export' | 'list_export'; ip: string | null;
      };
      staff_colours: { id: string };
    };
  `;

  it('reports each mismatch, naming table and column', () => {
    const ts = readTsTables(projectPath('server', 'src', 'db', 'schema-wrong.virtual.ts'), wrongSchema);
    const names = ['data_version', 'org_unit', 'org_unit_version', 'guardian', 'access_log', 'subject', 'schema_migration'];
    const subset: DbTables = new Map([...db].filter(([table]) => names.includes(table)));
    expect(subset.size).toBe(names.length);
    expect(compareTables(ts, subset).sort()).toEqual(
      [
        'table staff_colours: in schema.ts but not in the database',
        'table subject: in the database but not in schema.ts',
        'data_version.scope: NOT NULL in the database but schema.ts types it | null (string | null)',
        'data_version.version: is int8 in the database (reads as number) but string in schema.ts',
        "org_unit.kind: the database also allows 'commune_office', 'district_office', 'province_office', 'school_site', which schema.ts does not list",
        "org_unit.kind: schema.ts lists 'galaxy', which the database's check constraint refuses",
        'org_unit.nickname: in schema.ts but not in the database',
        'org_unit_version.unit_id: is uuid in the database (reads as string) but Date in schema.ts',
        'org_unit_version.valid_to: nullable in the database but schema.ts types it without | null (string)',
        "org_unit_version.school_levels: element the database allows only 'lower_secondary', 'preschool', 'primary', 'upper_secondary' (check constraint) but schema.ts types it as any string",
        "org_unit_version.ownership: the database allows only 'community', 'private', 'public' (check constraint) but schema.ts types it as any string",
        "org_unit_version.area: the database also allows 'island', 'mountain', which schema.ts does not list",
        'guardian.full_name: optional on insert in schema.ts (Generated<string>) but NOT NULL without a default in the database',
        'guardian.phone: is text in the database (reads as string) but number in schema.ts',
        'guardian.user_id: in the database but not in schema.ts',
        'access_log.id: GENERATED ALWAYS in the database (inserts may not set it) but schema.ts allows inserting it; use GeneratedAlways<…>',
      ].sort(),
    );
  });

  it('reads the values of a check constraint as PostgreSQL prints it back', () => {
    expect(enumeratedValues('kind', "CHECK ((kind = ANY (ARRAY['b'::text, 'a'::text])))")).toEqual(['a', 'b']);
    expect(enumeratedValues('kind', "CHECK ((kind = 'it''s'::text))")).toEqual(["it's"]);
    expect(enumeratedValues('"position"', "CHECK ((\"position\" = ANY (ARRAY['x'::text])))")).toEqual(['x']);
    expect(enumeratedValues('levels', "CHECK ((levels <@ ARRAY['p'::text, 'q'::text]))")).toEqual(['p', 'q']);
    // Not an enumeration: a range, a check on another column, a mix with other terms.
    expect(enumeratedValues('grade', 'CHECK (((grade >= 1) AND (grade <= 12)))')).toBeNull();
    expect(enumeratedValues('kind', "CHECK ((other = ANY (ARRAY['a'::text])))")).toBeNull();
    expect(enumeratedValues('kind', "CHECK ((kind = ANY (ARRAY['a'::text, upper('b'::text)])))")).toBeNull();
  });
});
