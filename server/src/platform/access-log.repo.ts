import { type Kysely, type Transaction, sql } from 'kysely';
import { preparedAs } from '../db/connection.js';
import type { Database } from '../db/schema.js';

export type AccessAction = 'profile_view' | 'personal_data_export' | 'list_export';

/** One access-log line. */
export type AccessRow = { schoolId: string; studentId: string; userId: string; username: string; action: AccessAction; ip: string | null };

type Db = Kysely<Database> | Transaction<Database>;

/** Several lines in one statement of fixed text (prepared once per connection). */
export async function insertAccessRows(db: Db, rows: readonly AccessRow[]): Promise<void> {
  const col = <K extends keyof AccessRow>(k: K) => sql.val(rows.map((r) => r[k]));
  await sql`${sql.raw(preparedAs('access_log_insert'))}
    insert into access_log (school_id, student_id, user_id, username, action, ip)
    select * from unnest(${col('schoolId')}::uuid[], ${col('studentId')}::uuid[], ${col('userId')}::uuid[],
                         ${col('username')}::text[], ${col('action')}::text[], ${col('ip')}::text[])`.execute(db);
}

/** One line per student with the same reader and action, the ids travelling as one array parameter. */
export async function insertAccessRowsPerStudent(
  db: Db,
  line: Omit<AccessRow, 'studentId'>,
  studentIds: readonly string[],
): Promise<void> {
  await sql`
    insert into access_log (school_id, student_id, user_id, username, action, ip)
    select ${line.schoolId}::uuid, sid, ${line.userId}::uuid, ${line.username}, ${line.action}, ${line.ip}
    from unnest(${sql.val(studentIds)}::uuid[]) as sid`.execute(db);
}
