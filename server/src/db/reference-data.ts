import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { CURRICULUM, SUBJECTS } from '../../../domain/curriculum/gdpt-2018.js';
import { projectPath } from '../platform/project-root.js';
import type { Database } from './schema.js';

const referenceDir = projectPath('server', 'src', 'db', 'reference');

/** Tables this loader fills on every database: they hold no one's data (a restore replaces them). */
export const REFERENCE_TABLES = ['code_list_item', 'subject', 'curriculum_subject'];

type CodeListFile = { lists: Record<string, { code: string; name: string; parent?: string }[]> };

let codeNames: Map<string, string> | null = null;
/**
 * The name of a code in a Ministry code list ("DM_DAN_TOC", "01" → "Kinh"), or null when the list
 * has no such code: from the same file the database's code_list_item is loaded from, read once, so
 * checking a code on every admission or naming one in the audit log costs no query.
 */
export function codeListName(list: string, code: string): string | null {
  if (!codeNames) {
    const data = JSON.parse(readFileSync(path.join(referenceDir, 'code-lists.json'), 'utf8')) as CodeListFile;
    codeNames = new Map(Object.entries(data.lists).flatMap(([l, items]) => items.map((i) => [`${l}:${i.code}`, i.name] as const)));
  }
  return codeNames.get(`${list}:${code}`) ?? null;
}

/**
 * Loads the Ministry code lists (sector database, shared/data/sector-db) and the GDPT 2018
 * subject catalog once. Idempotent: does nothing when they are already there.
 */
export async function loadReferenceData(db: Kysely<Database>): Promise<void> {
  const has = await db.selectFrom('code_list_item').select('code').limit(1).executeTakeFirst();
  if (has) return;
  const files = ['code-lists.json', 'admin-units.json'];
  await db.transaction().execute(async (trx) => {
    for (const file of files) {
      const data = JSON.parse(readFileSync(path.join(referenceDir, file), 'utf8')) as CodeListFile;
      const rows = Object.entries(data.lists).flatMap(([list, items]) =>
        items.map((item, i) => ({ list, code: item.code, name: item.name, parent_code: item.parent ?? null, sort_order: i })),
      );
      // One JSON parameter per file: ~12,000 administrative units in one statement instead of
      // thousands of bound parameters (start-up time on PGlite).
      await sql`
        insert into code_list_item (list, code, name, parent_code, sort_order)
        select r.list, r.code, r.name, r.parent_code, r.sort_order
          from json_to_recordset(${JSON.stringify(rows)}::json)
            as r(list text, code text, name text, parent_code text, sort_order int)
        on conflict do nothing`.execute(trx);
    }
    await trx
      .insertInto('subject')
      .values(SUBJECTS.map((s) => ({ code: s.code, name: s.name, moet_code: null, sort_order: s.sortOrder })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    await trx
      .insertInto('curriculum_subject')
      .values(
        CURRICULUM.map((c) => ({
          grade: c.grade,
          subject_code: c.subjectCode,
          periods_per_year: c.periodsPerYear,
          assessment_kind: c.assessmentKind,
          is_elective: c.isElective,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  });
}
