/**
 * What must hold in the database after the server was killed mid-write:
 * - every acknowledged write is there with the acknowledged values;
 * - the one write per entity that was in flight is either wholly there or wholly absent;
 * - an import job's rows are all there (job done) or none (job unfinished);
 * - audit rows match the data one to one: each committed change has its audit row, and no audit
 *   row exists for a change that is not in the data;
 * - the database itself is sound: migrations recorded, every table readable, indexes agree with
 *   the tables.
 * The checks return problems as text (all of them, not just the first) and fold the fate of
 * in-flight writes into the ledger.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { projectPath } from '../../src/platform/project-root.js';
import { type Ledger, type World, addressOf, classAfter, learnerOfImportRow, schoolAfter } from './workload.js';

type Db = Kysely<Database>;

const UNFINISHED = new Set(['queued', 'validating', 'writing']);
export const RESTART_MESSAGE_PART = 'khởi động lại';

async function auditCount(db: Db, action: string, entityIds: string[]): Promise<number> {
  if (entityIds.length === 0) return 0;
  const r = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action)
    .where('entity_id', 'in', entityIds)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Checks the data against the ledger and settles each in-flight write as committed or not. */
export async function checkAgainstLedger(db: Db, w: World, ledger: Ledger): Promise<string[]> {
  const problems: string[] = [];
  const fail = (msg: string) => problems.push(msg);
  const allowed = (committed: number, pending: boolean) => (pending ? [committed, committed + 1] : [committed]);
  const settle = (pending: boolean, committed: boolean) => {
    if (pending) ledger.inFlight[committed ? 'committed' : 'absent'] += 1;
  };
  const transfersSeen = { requests: 0, completed: 0 };

  // Address edits: the audit rows form the chain 1..m, and the data holds value m.
  for (const t of ledger.edits) {
    const row = await db.selectFrom('student').select('address').where('school_id', '=', w.schoolA).where('id', '=', t.studentId).executeTakeFirst();
    const audits = await db
      .selectFrom('audit_log')
      .select([sql<string>`before->>'address'`.as('before'), sql<string>`after->>'address'`.as('after')])
      .where('action', '=', 'student.update')
      .where('entity_id', '=', t.studentId)
      .execute();
    const m = audits.length;
    const ok = t.pending === null ? [t.committed] : [t.committed, t.pending];
    if (!ok.includes(m)) fail(`edit ${t.studentId}: ${m} audit rows, acknowledged ${t.committed}${t.pending ? ` (+1 in flight)` : ''}`);
    if (row?.address !== addressOf(m)) fail(`edit ${t.studentId}: data "${row?.address}" but ${m} audited edits (expected "${addressOf(m)}")`);
    const afters = new Set(audits.map((a) => a.after));
    for (let n = 1; n <= m; n++) {
      if (!afters.has(addressOf(n))) fail(`edit ${t.studentId}: no audit row for edit ${n}`);
      const a = audits.find((x) => x.after === addressOf(n));
      if (a && a.before !== addressOf(n - 1)) fail(`edit ${t.studentId}: audit of edit ${n} says before="${a.before}"`);
    }
    settle(t.pending !== null, m === t.pending);
    t.committed = m;
    t.pending = null;
  }

  // Class transfers: events, audit rows and closed enrolments all count the same transfers.
  for (const t of ledger.classMoves) {
    const st = await db.selectFrom('student').select('current_class_id').where('school_id', '=', w.schoolA).where('id', '=', t.studentId).executeTakeFirst();
    const events = await db.selectFrom('student_event').select('id').where('student_id', '=', t.studentId).where('kind', '=', 'class_transfer').execute();
    const enrolments = await db.selectFrom('enrolment').select(['class_id', 'end_date']).where('school_id', '=', w.schoolA).where('student_id', '=', t.studentId).execute();
    const m = events.length;
    const audits = await auditCount(db, 'student.transfer_class', [t.studentId]);
    if (!allowed(t.committed, t.pending).includes(m)) fail(`class transfer ${t.studentId}: ${m} events, acknowledged ${t.committed}${t.pending ? ' (+1 in flight)' : ''}`);
    if (audits !== m) fail(`class transfer ${t.studentId}: ${audits} audit rows for ${m} events`);
    if (enrolments.length !== m + 1) fail(`class transfer ${t.studentId}: ${enrolments.length} enrolments for ${m} transfers`);
    const open = enrolments.filter((e) => e.end_date === null);
    if (open.length !== 1 || open[0].class_id !== st?.current_class_id) fail(`class transfer ${t.studentId}: open enrolments ${JSON.stringify(open)}, current class ${st?.current_class_id}`);
    if (st?.current_class_id !== classAfter(w, m)) fail(`class transfer ${t.studentId}: in class ${st?.current_class_id} after ${m} transfers`);
    settle(t.pending, m > t.committed);
    t.committed = m;
    t.pending = false;
  }

  // School transfers: one record per school stay, exactly one current, both halves of every move
  // present; every transfer has its two copies (one per school) saying the same thing; a request
  // acknowledged is there; a transfer completed is exactly a move.
  for (const t of ledger.schoolMoves) {
    const records = await db.selectFrom('student').select(['id', 'school_id', 'is_current', 'person_id']).where('learner_id', '=', t.learnerId).execute();
    const ids = records.map((r) => r.id);
    const m = records.length - 1;
    if (!allowed(t.committed, t.pending).includes(m)) fail(`school transfer ${t.learnerId}: ${records.length} records, acknowledged ${t.committed} transfers${t.pending ? ' (+1 in flight)' : ''}`);
    for (const id of t.ackedRecordIds) if (!ids.includes(id)) fail(`school transfer ${t.learnerId}: acknowledged record ${id} missing`);
    const current = records.filter((r) => r.is_current);
    if (current.length !== 1 || current[0].school_id !== schoolAfter(w, m)) fail(`school transfer ${t.learnerId}: current records ${JSON.stringify(current)} after ${m} transfers`);
    if (new Set(records.map((r) => r.person_id)).size !== 1) fail(`school transfer ${t.learnerId}: records of different persons`);
    const events = ids.length
      ? await db.selectFrom('student_event').select('kind').where('student_id', 'in', ids).where('kind', 'in', ['transfer_in', 'transfer_out']).execute()
      : [];
    const ins = events.filter((e) => e.kind === 'transfer_in').length;
    const outs = events.length - ins;
    const auditIn = await auditCount(db, 'student.transfer_in', ids);
    const auditOut = await auditCount(db, 'student.transfer_out', ids);
    if (ins !== m || outs !== m || auditIn !== m || auditOut !== m) {
      fail(`school transfer ${t.learnerId}: ${m} transfers but events in/out ${ins}/${outs}, audit in/out ${auditIn}/${auditOut}`);
    }
    const open = ids.length ? await db.selectFrom('enrolment').select('student_id').where('student_id', 'in', ids).where('end_date', 'is', null).execute() : [];
    if (open.length !== 1 || open[0].student_id !== current[0]?.id) fail(`school transfer ${t.learnerId}: open enrolments on ${JSON.stringify(open)}`);

    const person = records[0]?.person_id;
    const copies = person
      ? await db
          .selectFrom('school_transfer')
          .select(['school_id', 'id', 'from_school_id', 'to_school_id', 'status', 'to_student_id', 'decided_by', 'to_class_id'])
          .where('person_id', '=', person)
          .execute()
      : [];
    const byId = new Map<string, typeof copies>();
    for (const c of copies) byId.set(c.id, [...(byId.get(c.id) ?? []), c]);
    let completed = 0;
    let pendingId: string | null = null;
    for (const [id, pair] of byId) {
      const schools = pair.map((c) => c.school_id).sort();
      const expectSchools = [pair[0].from_school_id, pair[0].to_school_id].sort();
      const same = (k: 'status' | 'to_student_id' | 'decided_by' | 'to_class_id') => pair.every((c) => c[k] === pair[0][k]);
      if (pair.length !== 2 || JSON.stringify(schools) !== JSON.stringify(expectSchools) || !same('status') || !same('to_student_id') || !same('decided_by') || !same('to_class_id')) {
        fail(`school transfer ${t.learnerId}: transfer ${id} copies disagree ${JSON.stringify(pair)}`);
      }
      const status = pair[0].status;
      if (status === 'completed') {
        completed += 1;
        if (!ids.includes(pair[0].to_student_id ?? '')) fail(`school transfer ${t.learnerId}: transfer ${id} completed into a record that is not there`);
      } else if (status === 'pending') {
        if (pendingId) fail(`school transfer ${t.learnerId}: two open transfers ${pendingId} and ${id}`);
        pendingId = id;
      } else fail(`school transfer ${t.learnerId}: transfer ${id} is ${status}`);
    }
    if (completed !== m) fail(`school transfer ${t.learnerId}: ${completed} completed transfers for ${m} moves`);
    if (t.openTransferId && !byId.has(t.openTransferId)) fail(`school transfer ${t.learnerId}: acknowledged request ${t.openTransferId} missing`);
    const transferIds = [...byId.keys()];
    const requests = await auditCount(db, 'school_transfer.request', transferIds);
    const approvals = await auditCount(db, 'school_transfer.approve', transferIds);
    if (requests !== byId.size || approvals !== completed) fail(`school transfer ${t.learnerId}: ${byId.size} transfers / ${completed} completed, audit requests ${requests} / approvals ${approvals}`);

    settle(t.pending, m > t.committed);
    settle(t.requestPending, pendingId !== null);
    t.committed = m;
    t.pending = false;
    t.requestPending = false;
    t.openTransferId = pendingId;
    transfersSeen.requests += byId.size;
    transfersSeen.completed += completed;
  }

  // Creates: the student with its enrolment, admission event and audit row, or nothing.
  for (const op of ledger.creates) {
    const rows = await db.selectFrom('student').select(['id', 'school_id', 'family_name', 'middle_name', 'given_name', 'is_current']).where('learner_id', '=', op.learnerId).execute();
    if (op.state === 'acked' && (rows.length !== 1 || rows[0].id !== op.id)) {
      fail(`create ${op.learnerId}: acknowledged as ${op.id}, found ${JSON.stringify(rows)}`);
      continue;
    }
    if (rows.length > 1 || (op.state === 'absent' && rows.length > 0)) fail(`create ${op.learnerId}: ${rows.length} records (state ${op.state})`);
    const s = rows[0];
    settle(op.state === 'sent', !!s);
    if (!s) {
      op.state = 'absent';
      continue;
    }
    if ([s.family_name, s.middle_name, s.given_name].join(' ') !== op.fullName || s.school_id !== w.schoolA || !s.is_current) fail(`create ${op.learnerId}: stored ${JSON.stringify(s)}`);
    const enrol = await db.selectFrom('enrolment').select('id').where('student_id', '=', s.id).execute();
    const events = await db.selectFrom('student_event').select('id').where('student_id', '=', s.id).where('kind', '=', 'admitted').execute();
    const audits = await auditCount(db, 'student.create', [s.id]);
    if (enrol.length !== 1 || events.length !== 1 || audits !== 1) fail(`create ${op.learnerId}: half-applied (enrolments ${enrol.length}, events ${events.length}, audit rows ${audits})`);
    op.id = s.id;
    op.state = 'committed';
  }

  // Imports: a job is done with all its rows and audit rows, or it is not done and wrote nothing.
  const jobs = await db.selectFrom('import_job').select(['id', 'file_name', 'status', 'created_rows', 'message']).where('school_id', '=', w.schoolA).execute();
  const byFile = new Map(jobs.map((j) => [j.file_name, j]));
  for (const j of jobs) if (!ledger.imports.some((op) => op.fileName === j.file_name)) fail(`import job ${j.id} (${j.file_name}) was never uploaded`);
  for (const op of ledger.imports) {
    const job = byFile.get(op.fileName);
    if (op.state === 'accepted' && job?.id !== op.jobId) fail(`import ${op.fileName}: accepted as job ${op.jobId}, found ${job?.id}`);
    if (op.seenDone && job?.status !== 'done') fail(`import ${op.fileName}: was done, now ${job?.status}`);
    if (job && (job.status === 'rejected' || (job.status === 'failed' && !job.message?.includes(RESTART_MESSAGE_PART)))) {
      fail(`import ${op.fileName}: ${job.status} (${job.message})`);
    }
    const learnerIds = Array.from({ length: op.rows }, (_, i) => learnerOfImportRow(op, i));
    const students = await db.selectFrom('student').select('id').where('learner_id', 'in', learnerIds).execute();
    const rowAudits = job
      ? Number(
          (
            await db
              .selectFrom('audit_log')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('action', '=', 'student.import_create')
              .where(sql<string>`after->>'importJobId'`, '=', job.id)
              .executeTakeFirstOrThrow()
          ).n,
        )
      : 0;
    const summary = job ? await auditCount(db, 'import.students', [job.id]) : 0;
    const done = job?.status === 'done';
    const expected = done ? op.rows : 0;
    if (students.length !== expected || rowAudits !== expected || summary !== (done ? 1 : 0) || (done && job.created_rows !== op.rows)) {
      fail(`import ${op.fileName} (${job?.status ?? 'no job'}): ${students.length} students, ${rowAudits} row audits, ${summary} summary audits; expected ${expected}`);
    }
    op.outcome = done ? 'done' : 'none';
    if (!done) op.statusAtKill ??= job?.status ?? 'not uploaded';
  }

  // No audit row without its change: the totals per action equal the changes the data holds.
  const totals = await db
    .selectFrom('audit_log')
    .select(['action', (eb) => eb.fn.countAll<number>().as('n')])
    .where((eb) => eb.or([eb('action', 'like', 'student.%'), eb('action', 'like', 'school_transfer.%')]))
    .groupBy('action')
    .execute();
  const got = Object.fromEntries(totals.map((r) => [r.action, Number(r.n)]));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const want: Record<string, number> = {
    'student.create': ledger.setupCreates + ledger.creates.filter((c) => c.state === 'committed').length,
    'student.update': sum(ledger.edits.map((t) => t.committed)),
    'student.transfer_class': sum(ledger.classMoves.map((t) => t.committed)),
    'student.transfer_in': sum(ledger.schoolMoves.map((t) => t.committed)),
    'student.transfer_out': sum(ledger.schoolMoves.map((t) => t.committed)),
    'student.import_create': sum(ledger.imports.filter((op) => op.outcome === 'done').map((op) => op.rows)),
    // Every request is one audited lookup (all of the workload's lookups find their learner).
    'school_transfer.lookup': transfersSeen.requests,
    'school_transfer.request': transfersSeen.requests,
    'school_transfer.approve': transfersSeen.completed,
  };
  for (const k of Object.keys(want)) if (want[k] === 0) delete want[k];
  if (JSON.stringify(sortKeys(got)) !== JSON.stringify(sortKeys(want))) fail(`audit totals ${JSON.stringify(sortKeys(got))}, data says ${JSON.stringify(sortKeys(want))}`);
  return problems;
}

const sortKeys = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Import jobs left unfinished by the killed process must be failed (with the Vietnamese reason) once a new one runs. */
export async function checkJobsAfterRestart(w: World, ledger: Ledger): Promise<string[]> {
  const r = await w.a.request('GET', `/api/v1/schools/${w.schoolA}/imports`);
  if (r.status !== 200) return [`job list after restart: ${r.status}`];
  const items = (r.body as { items: { id: string; fileName: string; status: string; message: string | null }[] }).items;
  const problems: string[] = [];
  for (const j of items) {
    if (UNFINISHED.has(j.status)) problems.push(`import job ${j.fileName} still ${j.status} after restart`);
    const op = ledger.imports.find((o) => o.fileName === j.fileName);
    if (op?.outcome === 'none' && (j.status !== 'failed' || !j.message?.includes(RESTART_MESSAGE_PART))) {
      problems.push(`interrupted import ${j.fileName}: ${j.status} (${j.message})`);
    }
    if (op?.outcome === 'done' && j.status !== 'done') problems.push(`import ${j.fileName} was done, now ${j.status}`);
  }
  return problems;
}

// ------------------------------------------------------------------ database integrity

/** The tables the workload writes: their indexes are the ones a torn write could leave out of step. */
const WRITTEN_TABLES = ['student', 'guardian', 'enrolment', 'student_event', 'school_transfer', 'audit_log', 'import_job', 'user_session', 'app_user', 'data_version'];

const migrationFiles = (): string[] =>
  readdirSync(projectPath('server', 'src', 'db', 'migrations'))
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();

function migrationTables(): string[] {
  const names = new Set<string>(['schema_migration']);
  for (const f of migrationFiles()) {
    const text = readFileSync(projectPath('server', 'src', 'db', 'migrations', f), 'utf8');
    for (const m of text.matchAll(/create table (?:if not exists )?([a-z_]+)/gi)) names.add(m[1].toLowerCase());
  }
  return [...names].sort();
}

/**
 * The database opens and is whole: every migration recorded, every table of the migrations
 * there and readable to its end, and on each written table the primary-key index returns
 * exactly the rows a sequential scan returns. With `amcheck` (PGlite brings the extension),
 * every B-tree index of those tables is also verified against its table
 * (`bt_index_check(…, heapallindexed => true)`).
 */
export async function checkDatabaseIntegrity(db: Db, options: { amcheck: boolean }): Promise<string[]> {
  const problems: string[] = [];
  const applied = (await sql<{ name: string }>`select name from schema_migration order by name`.execute(db)).rows.map((r) => r.name);
  if (JSON.stringify(applied) !== JSON.stringify(migrationFiles())) problems.push(`migrations recorded ${JSON.stringify(applied)}`);
  const tables = (await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public' order by tablename`.execute(db)).rows.map((r) => r.tablename);
  for (const t of migrationTables()) if (!tables.includes(t)) problems.push(`table ${t} missing`);

  await db.connection().execute(async (c) => {
    for (const table of tables) {
      try {
        await sql`select count(*) from ${sql.table(table)}`.execute(c);
      } catch (err) {
        problems.push(`count(*) from ${table}: ${(err as Error).message}`);
      }
    }
    const pks = (
      await sql<{ table: string; cols: string[] }>`
        select c.relname as table, array_agg(a.attname::text order by k.ord) as cols
        from pg_index i
        join pg_class c on c.oid = i.indrelid
        cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
        join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
        where i.indisprimary and c.relnamespace = 'public'::regnamespace and c.relname in (${sql.join(WRITTEN_TABLES)})
        group by c.relname order by c.relname`.execute(c)
    ).rows;
    for (const { table, cols } of pks) {
      const keys = sql.join(cols.map((x) => sql.id(x)));
      const digest = sql`select count(*)::int as n, md5(coalesce(string_agg(k::text, '|'), '')) as h
        from (select row(${keys}) as k from ${sql.table(table)} order by ${keys}) s`;
      const plan = async () => (await sql<{ 'QUERY PLAN': string }>`explain ${digest}`.execute(c)).rows.map((r) => r['QUERY PLAN']).join('\n');
      await sql`select set_config('enable_seqscan', 'off', false), set_config('enable_bitmapscan', 'off', false), set_config('enable_sort', 'off', false)`.execute(c);
      const viaIndexPlan = await plan();
      const viaIndex = (await sql<{ n: number; h: string }>`${digest}`.execute(c)).rows[0];
      await sql`select set_config('enable_seqscan', 'on', false), set_config('enable_sort', 'on', false),
        set_config('enable_indexscan', 'off', false), set_config('enable_indexonlyscan', 'off', false)`.execute(c);
      const viaHeapPlan = await plan();
      const viaHeap = (await sql<{ n: number; h: string }>`${digest}`.execute(c)).rows[0];
      await sql`reset all`.execute(c);
      if (!/Index (Only )?Scan/.test(viaIndexPlan) || !/Seq Scan/.test(viaHeapPlan)) problems.push(`${table}: could not force index vs heap scans:\n${viaIndexPlan}\n${viaHeapPlan}`);
      if (viaIndex.n !== viaHeap.n || viaIndex.h !== viaHeap.h) problems.push(`${table}: primary-key index has ${viaIndex.n} rows, table ${viaHeap.n} (or different keys)`);
    }
    if (options.amcheck) {
      await sql`create extension if not exists amcheck`.execute(c);
      const indexes = (
        await sql<{ name: string }>`
          select c.relname as name from pg_index i
          join pg_class c on c.oid = i.indexrelid join pg_am am on am.oid = c.relam
          join pg_class t on t.oid = i.indrelid
          where am.amname = 'btree' and c.relnamespace = 'public'::regnamespace and t.relname in (${sql.join(WRITTEN_TABLES)})
          order by 1`.execute(c)
      ).rows;
      for (const { name } of indexes) {
        try {
          await sql`select bt_index_check(${sql.lit(name)}::regclass, true)`.execute(c);
        } catch (err) {
          problems.push(`amcheck ${name}: ${(err as Error).message}`);
        }
      }
      if (indexes.length === 0) problems.push('amcheck: no B-tree indexes found');
    }
  });
  return problems;
}
