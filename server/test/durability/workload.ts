/**
 * Concurrent writes over HTTP and the ledger of what was sent and what was acknowledged.
 *
 * Every entity is written by ONE worker, one request at a time, so after a kill each entity has
 * at most one write whose fate is unknown (sent, no answer). The checks in invariants.ts decide
 * that fate from the database and fold it into the ledger before the next cycle.
 */
import { makeStudentWorkbook } from '../../../bench/fixtures/make-student-xlsx.js';
import { type ApiClient, NoAnswer, type Reply } from './http-client.js';

export const IMPORT_ROWS = 100;

const importOptions = (k: number) => ({ rows: IMPORT_ROWS, classNames: ['6A1', '6A2'], firstLearnerId: 980_000_000 + k * 1000, seed: k + 1, citizenIds: false });

/**
 * Import file k: new learners 098kkk0000…, built one file ahead so a kill never lands while
 * the test itself is busy writing a workbook.
 */
export class ImportFiles {
  private readonly files = new Map<number, Promise<Buffer>>([[0, makeStudentWorkbook(importOptions(0))]]);
  take(k: number): Promise<Buffer> {
    const file = this.files.get(k) ?? makeStudentWorkbook(importOptions(k));
    this.files.delete(k);
    if (!this.files.has(k + 1)) this.files.set(k + 1, makeStudentWorkbook(importOptions(k + 1)));
    return file;
  }
}

export type World = {
  /**
   * Principal of school A (the demo school) and of school B (another THCS): a school transfer is
   * asked for by the receiving school's principal and approved by the sending school's.
   */
  a: ApiClient;
  b: ApiClient;
  schoolA: string;
  schoolB: string;
  /** Two grade-6 classes of A (class transfers go back and forth) and one of B. */
  classesA: [string, string];
  classB: string;
  year: number;
  today: string;
  importFiles: ImportFiles;
};

/** A student whose address is rewritten: value n is "Số n, đường Bền Vững". */
export type EditTarget = { studentId: string; committed: number; pending: number | null };
/** A student moved between classesA[0] and classesA[1]: after k transfers it sits in classesA[k % 2]. */
export type ClassTarget = { studentId: string; committed: number; pending: boolean };
/**
 * A learner moved between schools: after k transfers the current record is in A (k even) or B (k odd).
 * Each transfer is two writes: the receiving school's request, then the sending school's approval
 * (the record moves only then). `openTransferId` is a request known to exist and not yet approved.
 */
export type SchoolTarget = {
  learnerId: string;
  dateOfBirth: string;
  committed: number;
  /** An approval was sent and no answer came (the server was killed). */
  pending: boolean;
  /** A request was sent and no answer came. */
  requestPending: boolean;
  openTransferId: string | null;
  ackedRecordIds: string[];
};
export type CreateOp = { learnerId: string; fullName: string; state: 'sent' | 'acked' | 'committed' | 'absent'; id?: string };
export type ImportOp = {
  fileName: string;
  firstLearnerId: number;
  rows: number;
  state: 'sent' | 'accepted';
  jobId?: string;
  /** Seen as done by polling before a kill: must stay done. */
  seenDone: boolean;
  /** Last status the poll saw (the test times some kills on it). */
  lastSeen?: string;
  /** Decided by the checks: all rows written, or none. */
  outcome?: 'done' | 'none';
  /** The job's status as the killed process left it, when that was not done. */
  statusAtKill?: string;
};

export type Ledger = {
  edits: EditTarget[];
  classMoves: ClassTarget[];
  schoolMoves: SchoolTarget[];
  creates: CreateOp[];
  imports: ImportOp[];
  /** student.create audit rows written by the setup (targets created through the API). */
  setupCreates: number;
  /** Anything a live server answered that a correct server would not (non-2xx, lost connection while running). */
  errors: string[];
  /** Writes in flight at a kill, as the checks found them: committed (no answer came) or absent. */
  inFlight: { committed: number; absent: number };
  /** Acknowledged writes, per kind, over all cycles. */
  acked: Record<'edit' | 'create' | 'classMove' | 'schoolMoveRequest' | 'schoolMove' | 'upload', number>;
};

export const addressOf = (n: number): string => `Số ${n}, đường Bền Vững`;
export const learnerOfImportRow = (op: Pick<ImportOp, 'firstLearnerId'>, i: number): string => String(op.firstLearnerId + i).padStart(10, '0');

const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Khoa', 'Lan', 'Minh', 'Ngọc', 'Phúc', 'Quân', 'Sơn', 'Thảo', 'Vy'];

/** Creates the students the workers own, through the API (acknowledged before any kill). */
export async function setupTargets(w: World, counts: { edits: number; classMoves: number; schoolMoves: number }): Promise<Ledger> {
  const ledger: Ledger = {
    edits: [],
    classMoves: [],
    schoolMoves: [],
    creates: [],
    imports: [],
    setupCreates: 0,
    errors: [],
    inFlight: { committed: 0, absent: 0 },
    acked: { edit: 0, create: 0, classMove: 0, schoolMoveRequest: 0, schoolMove: 0, upload: 0 },
  };
  const create = async (i: number, extra: Record<string, unknown>) => {
    const r = await w.a.request('POST', `/api/v1/schools/${w.schoolA}/students`, {
      fullName: `Trần Bền ${GIVEN[i % GIVEN.length]}`,
      dateOfBirth: `2014-0${1 + (i % 9)}-1${i % 10}`,
      sex: i % 2 ? 'female' : 'male',
      classId: w.classesA[0],
      admissionDate: w.today,
      ...extra,
    });
    if (r.status !== 200) throw new Error(`setup create: ${r.status} ${JSON.stringify(r.body)}`);
    ledger.setupCreates += 1;
    return r.body as { id: string; dateOfBirth: string; learnerId: string | null };
  };
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const [edits, classMoves, schoolMoves] = await Promise.all([
    Promise.all(range(counts.edits).map((i) => create(i, { address: addressOf(0) }))),
    Promise.all(range(counts.classMoves).map((i) => create(100 + i, {}))),
    Promise.all(range(counts.schoolMoves).map((i) => create(200 + i, { learnerId: `097000${String(i + 1).padStart(4, '0')}` }))),
  ]);
  ledger.edits = edits.map((s) => ({ studentId: s.id, committed: 0, pending: null }));
  ledger.classMoves = classMoves.map((s) => ({ studentId: s.id, committed: 0, pending: false }));
  ledger.schoolMoves = schoolMoves.map((s) => {
    if (!s.learnerId) throw new Error(`setup create: student ${s.id} came back without the learner id it was given`);
    return { learnerId: s.learnerId, dateOfBirth: s.dateOfBirth, committed: 0, pending: false, requestPending: false, openTransferId: null, ackedRecordIds: [s.id] };
  });
  return ledger;
}

export const classAfter = (w: World, transfers: number): string => w.classesA[transfers % 2];
export const schoolAfter = (w: World, transfers: number): string => (transfers % 2 === 0 ? w.schoolA : w.schoolB);

/** Runs the writers against one server process until `stop` resolves and the requests in flight end. */
export async function runWorkload(w: World, ledger: Ledger, stop: Promise<void>): Promise<void> {
  let running = true;
  void stop.then(() => {
    running = false;
  });
  /** One request: the answer, or null when none came because the server was killed. */
  const attempt = async (label: string, call: () => Promise<Reply>, expected: number): Promise<Reply | null> => {
    try {
      const r = await call();
      if (r.status !== expected) ledger.errors.push(`${label}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      return r;
    } catch (err) {
      if (!(err instanceof NoAnswer)) throw err;
      if (running) ledger.errors.push(`${label}: no answer while the server was up (${err.message})`);
      return null;
    }
  };

  // A pause between one worker's writes, as a person at a form makes: without it five writers
  // keep PGlite's single connection so busy that an import job queued behind them crawls.
  // Resolves to whether the workers should go on.
  const pause = () => new Promise<boolean>((resolve) => setTimeout(() => resolve(running), 80 + Math.random() * 170));

  const editor = async (targets: EditTarget[]) => {
    for (let i = 0; running; i++) {
      if (i > 0 && !(await pause())) return;
      const t = targets[i % targets.length];
      const n = t.committed + 1;
      t.pending = n;
      const r = await attempt('edit', () => w.a.request('PATCH', `/api/v1/schools/${w.schoolA}/students/${t.studentId}`, { address: addressOf(n) }), 200);
      if (!r) return;
      t.pending = null;
      if (r.status !== 200) return;
      if ((r.body as { address: string }).address !== addressOf(n)) ledger.errors.push(`edit ${t.studentId}: answered ${JSON.stringify(r.body)}`);
      t.committed = n;
      ledger.acked.edit += 1;
    }
  };

  const classMover = async () => {
    for (let i = 0; running; i++) {
      if (i > 0 && !(await pause())) return;
      const t = ledger.classMoves[i % ledger.classMoves.length];
      t.pending = true;
      const to = classAfter(w, t.committed + 1);
      const r = await attempt('class transfer', () => w.a.request('POST', `/api/v1/schools/${w.schoolA}/students/${t.studentId}/transfer-class`, { toClassId: to, effectiveDate: w.today }), 200);
      if (!r) return;
      t.pending = false;
      if (r.status !== 200) return;
      t.committed += 1;
      ledger.acked.classMove += 1;
    }
  };

  const schoolMover = async () => {
    for (let i = 0; running; i++) {
      if (i > 0 && !(await pause())) return;
      const t = ledger.schoolMoves[i % ledger.schoolMoves.length];
      const next = t.committed + 1;
      // Odd transfers go A → B (B asks, A approves), even ones come back.
      const [receiver, receiving, cls, sender, sending] =
        next % 2 === 1 ? [w.b, w.schoolB, w.classB, w.a, w.schoolA] : [w.a, w.schoolA, w.classesA[0], w.b, w.schoolB];
      if (!t.openTransferId) {
        t.requestPending = true;
        const asked = await attempt(
          'school transfer request',
          () => receiver.request('POST', `/api/v1/schools/${receiving}/transfers/requests`, { learnerId: t.learnerId, dateOfBirth: t.dateOfBirth, toClassId: cls, effectiveDate: w.today }),
          200,
        );
        if (!asked) return;
        t.requestPending = false;
        if (asked.status !== 200) return;
        t.openTransferId = (asked.body as { id: string }).id;
        ledger.acked.schoolMoveRequest += 1;
        if (!(await pause())) return;
      }
      t.pending = true;
      const r = await attempt('school transfer approval', () => sender.request('POST', `/api/v1/schools/${sending}/transfers/${t.openTransferId}/approve`), 200);
      if (!r) return;
      t.pending = false;
      if (r.status !== 200) return;
      t.committed = next;
      t.openTransferId = null;
      t.ackedRecordIds.push((r.body as { toStudentId: string }).toStudentId);
      ledger.acked.schoolMove += 1;
    }
  };

  const creator = async () => {
    for (let i = 0; running; i++) {
      if (i > 0 && !(await pause())) return;
      const n = ledger.creates.length;
      const op: CreateOp = { learnerId: `0990${String(n).padStart(6, '0')}`, fullName: `Lê Bền ${GIVEN[n % GIVEN.length]}`, state: 'sent' };
      ledger.creates.push(op);
      const r = await attempt(
        'create',
        () =>
          w.a.request('POST', `/api/v1/schools/${w.schoolA}/students`, {
            fullName: op.fullName,
            dateOfBirth: '2014-05-20',
            sex: n % 2 ? 'female' : 'male',
            classId: w.classesA[1],
            admissionDate: w.today,
            learnerId: op.learnerId,
          }),
        200,
      );
      if (!r) return;
      if (r.status !== 200) {
        op.state = 'absent';
        return;
      }
      op.state = 'acked';
      op.id = (r.body as { id: string }).id;
      ledger.acked.create += 1;
    }
  };

  const importer = async () => {
    while (running) {
      const k = ledger.imports.length;
      const { firstLearnerId, rows } = importOptions(k);
      const op: ImportOp = { fileName: `ben-vung-${k}.xlsx`, firstLearnerId, rows, state: 'sent', seenDone: false };
      const file = await w.importFiles.take(k);
      if (!running) return;
      ledger.imports.push(op);
      const qs = new URLSearchParams({ kind: 'students', mode: 'all_or_nothing', year: String(w.year) });
      const r = await attempt('import upload', () => w.a.upload(`/api/v1/schools/${w.schoolA}/imports?${qs}`, op.fileName, file), 202);
      if (!r || r.status !== 202) return;
      op.state = 'accepted';
      op.jobId = (r.body as { id: string }).id;
      ledger.acked.upload += 1;
      for (;;) {
        await new Promise((res) => setTimeout(res, 40));
        const p = await attempt('import poll', () => w.a.request('GET', `/api/v1/schools/${w.schoolA}/imports/${op.jobId}`), 200);
        if (!p || p.status !== 200) return;
        const job = p.body as { status: string; message: string | null };
        op.lastSeen = job.status;
        if (job.status === 'done') {
          op.seenDone = true;
          break;
        }
        if (job.status === 'failed' || job.status === 'rejected') {
          ledger.errors.push(`import ${op.fileName}: ${job.status} ${job.message}`);
          return;
        }
      }
    }
  };

  const half = Math.ceil(ledger.edits.length / 2);
  await Promise.all([editor(ledger.edits.slice(0, half)), editor(ledger.edits.slice(half)), classMover(), schoolMover(), creator(), importer()]);
}
