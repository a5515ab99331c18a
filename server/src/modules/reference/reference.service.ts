import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { notFound } from '../../platform/errors.js';
import { allSubjects, codeListItems } from './reference.repo.js';

type Db = Kysely<Database>;

/** Ministry code-list names are UPPER_SNAKE (DM_DAN_TOC, HOC_KY_SME…); anything else is not a list. */
export const CODE_LIST_NAME_RE = /^[A-Z_]+$/;

export async function getCodeList(db: Db, list: string) {
  const unknownList = () => notFound(`Không có danh mục "${list}". Hãy kiểm tra lại tên danh mục (ví dụ DM_DAN_TOC).`);
  // Only a well-formed name is echoed back; anything else is not repeated to the caller.
  if (!CODE_LIST_NAME_RE.test(list) || list.length > 60) throw notFound('Tên danh mục không hợp lệ (ví dụ DM_DAN_TOC).');
  const rows = await codeListItems(db, list);
  if (rows.length === 0) throw unknownList();
  return rows.map((r) => ({ code: r.code, name: r.name, parentCode: r.parent_code }));
}

export async function listSubjects(db: Db) {
  return allSubjects(db);
}
