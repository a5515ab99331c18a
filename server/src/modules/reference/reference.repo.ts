import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database>;

export async function codeListItems(db: Db, list: string) {
  return db
    .selectFrom('code_list_item')
    .select(['code', 'name', 'parent_code'])
    .where('list', '=', list)
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
}

export async function allSubjects(db: Db) {
  return db.selectFrom('subject').select(['code', 'name']).orderBy('sort_order').orderBy('code').execute();
}
