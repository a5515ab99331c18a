import type { Kysely, Transaction } from 'kysely';
import type {
  TClassGradebooks,
  TGradebook,
  TGradebookAction,
  TSaveGradebookCells,
  TSaveGradebookResult,
} from '../../../../contracts/gradebook.js';
import {
  RULE_SET_LABELS,
  formatCell,
  joinFullName,
  parseCell,
  requiredRegularAssessments,
  ruleSetFor,
  schoolYearLabel,
  tt22Columns,
  tt22RowSummary,
  tt27Columns,
  tt27RowSummary,
  DEFAULT_TT27_OPTIONS,
  type CellValue,
  type GradebookColumn,
} from '../../../../domain/index.js';
import type { Database, GradebookState } from '../../db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { type Assignment, type Caller, type Standing, classWithStanding, termDates } from './class-standing.js';
import { exemptionMessages, gridExemptions } from './exemptions.service.js';
import { listExemptStudents } from './summer.repo.js';
import { listPublishedColumns } from './publication.repo.js';
import {
  type CellRow,
  type CellWrite,
  type GridKey,
  findCells,
  findGridState,
  findTaughtSubject,
  listClassGridStates,
  listGridCells,
  listGridStudents,
  listTaughtSubjects,
  lockGridState,
  saveOpenGridCells,
  setGridState,
  writeCells,
} from './gradebook.repo.js';

type Db = Kysely<Database>;

export const STATE_LABELS: Record<GradebookState, string> = {
  open: 'Đang nhập điểm',
  submitted: 'Đã nộp, chờ giáo viên chủ nhiệm duyệt',
  reviewed: 'Giáo viên chủ nhiệm đã duyệt, chờ hiệu trưởng khóa',
  locked: 'Đã khóa',
};
const TERM_NAME: Record<number, string> = { 1: 'học kì I', 2: 'học kì II' };

/** Read: the school's managers, the class's homeroom teacher, a teacher of the subject in the class that year. */
const canRead = (s: Standing, subject: string) => s.manager || s.homeroom || s.teaches(subject);

function actionsFor(s: Standing, subject: string, term: number, state: GradebookState) {
  const teacher = s.teaches(subject, term);
  const reviewer = s.homeroom || s.principal;
  return {
    edit: teacher && state === 'open',
    submit: teacher && state === 'open',
    reopen: teacher && state === 'submitted',
    review: reviewer && state === 'submitted',
    return: reviewer && (state === 'submitted' || state === 'reviewed'),
    lock: s.principal && (state === 'submitted' || state === 'reviewed'),
    unlock: s.principal && state === 'locked',
    // Publishing to families does not change a mark, so it is open in every state.
    publish: teacher || s.principal,
  };
}

function readOnlyReason(s: Standing, subject: string, term: number, state: GradebookState): string | null {
  if (s.teaches(subject, term)) {
    if (state === 'open') return null;
    if (state === 'locked') return 'Sổ điểm đã khóa. Muốn sửa, hãy đề nghị hiệu trưởng mở khóa (có ghi lý do).';
    return state === 'submitted' ? 'Sổ điểm đã nộp. Bấm "Rút lại" nếu cần sửa trước khi giáo viên chủ nhiệm duyệt.' : 'Sổ điểm đã được duyệt; chỉ giáo viên chủ nhiệm hoặc hiệu trưởng trả lại được.';
  }
  return `Chỉ giáo viên được phân công dạy môn này ở lớp trong ${TERM_NAME[term]} mới nhập điểm.`;
}

const teacherName = (a: Assignment | undefined) => (a ? joinFullName({ familyName: a.family_name, middleName: a.middle_name, givenName: a.given_name }) : null);

/**
 * The class, its subject as taught, and the grid's layout; 404 for what the caller may not read.
 * With `studentsOfTerm`, also the students of the class in that term, read beside the subject.
 */
export async function loadGrid(db: Db, caller: Caller, schoolId: string, classId: string, subjectCode: string, studentsOfTerm?: number) {
  const { cls, assignments, standing } = await classWithStanding(db, caller, schoolId, classId);
  const term = studentsOfTerm === undefined ? null : termDates(cls, studentsOfTerm);
  // With the term, the students exempt from the subject in it too (read beside, not after: the save is the hot path).
  const [subject, students, exemptRows] = await Promise.all([
    findTaughtSubject(db, schoolId, cls.year, cls.grade, subjectCode),
    term ? listGridStudents(db, schoolId, classId, term.from, term.to) : Promise.resolve([]),
    studentsOfTerm === undefined ? Promise.resolve([]) : listExemptStudents(db, schoolId, cls.year, subjectCode, studentsOfTerm),
  ]);
  if (!subject || !canRead(standing, subjectCode)) throw notFound('Không tìm thấy sổ điểm của môn này ở lớp.');
  const ruleSet = ruleSetFor(cls.year, cls.grade);
  if (ruleSet === 'tt27_2020') {
    // Primary (TT27/2020): every subject is graded T / H / C by checkpoint, with a periodic test
    // where Điều 7 khoản 2 asks (curriculum 'mixed' or 'comment' alike); the columns depend on the term.
    // The default options list the curriculum's compulsory subjects, so an elective the school
    // teaches (Tiếng dân tộc, Ngoại ngữ in grades 1–2) has no test: Điều 7 names compulsory ones only.
    const options = DEFAULT_TT27_OPTIONS;
    return {
      cls,
      subject,
      assignments,
      standing,
      students,
      exempt: exemptionMessages(exemptRows, subject.name),
      ruleSet,
      assessment: 'comment' as const,
      requiredRegular: 0,
      columnsFor: (term: number): GradebookColumn[] => tt27Columns(cls.grade, subjectCode, term, options),
      summaryOf: (term: number, cells: Record<string, CellValue | null>) => summaryText(tt27RowSummary(tt27Columns(cls.grade, subjectCode, term, options), cells)),
    };
  }
  if (ruleSet !== 'tt22_2021' || subject.assessmentKind === 'mixed') {
    throw new AppError(
      422,
      'gradebook_rule_set_unsupported',
      `Sổ điểm điện tử hiện nhập được cho các lớp đánh giá theo Thông tư 22/2021 (THCS, THPT) và Thông tư 27/2020 (tiểu học). Lớp ${cls.name} năm học ${schoolYearLabel(cls.year)} đánh giá theo ${RULE_SET_LABELS[ruleSet]}.`,
    );
  }
  const assessment = subject.assessmentKind === 'score' ? ('score' as const) : ('comment' as const);
  const requiredRegular = requiredRegularAssessments(subject.periodsPerYear);
  const columns = tt22Columns(assessment, requiredRegular);
  return {
    cls,
    subject,
    assignments,
    standing,
    students,
    exempt: exemptionMessages(exemptRows, subject.name),
    ruleSet,
    assessment,
    requiredRegular,
    columnsFor: (_term: number): GradebookColumn[] => columns,
    summaryOf: (_term: number, cells: Record<string, CellValue | null>) => summaryText(tt22RowSummary(assessment, requiredRegular, cells)),
  };
}

function cellValue(row: Pick<CellRow, 'score_tenths' | 'pass_fail' | 'comment' | 'subject_level'>): CellValue | null {
  if (row.score_tenths !== null) return { kind: 'score', tenths: row.score_tenths };
  if (row.pass_fail !== null) return { kind: 'pass_fail', result: row.pass_fail };
  if (row.subject_level !== null) return { kind: 'subject_level', level: row.subject_level };
  if (row.comment !== null) return { kind: 'comment', text: row.comment };
  return null;
}

function summaryText({ outcome, text }: { outcome: { status: 'ok' } | { status: 'incomplete'; reasons: string[] }; text: string }) {
  return { summary: text, summaryMissing: outcome.status === 'incomplete' ? outcome.reasons : [] };
}

export type { Caller };

export async function getGradebook(db: Db, caller: Caller, schoolId: string, classId: string, subjectCode: string, term: number): Promise<TGradebook> {
  const g = await loadGrid(db, caller, schoolId, classId, subjectCode);
  const key: GridKey = { schoolId, classId, subjectCode, term };
  const { from, to } = termDates(g.cls, term);
  const columns = g.columnsFor(term);
  const [students, cells, stateRow, published, exempt] = await Promise.all([
    listGridStudents(db, schoolId, classId, from, to),
    listGridCells(db, key),
    findGridState(db, key),
    listPublishedColumns(db, key),
    gridExemptions(db, schoolId, g.cls.year, subjectCode, g.subject.name, term),
  ]);
  const state = stateRow?.state ?? 'open';
  const byStudent = new Map<string, CellRow[]>();
  for (const c of cells) byStudent.set(c.student_id, [...(byStudent.get(c.student_id) ?? []), c]);
  const seen = new Set<string>();
  const rows = students.flatMap((s) => {
    // A student who left and came back has two enrolments: one row.
    if (seen.has(s.id)) return [];
    seen.add(s.id);
    const own = byStudent.get(s.id) ?? [];
    const values = Object.fromEntries(own.map((c) => [c.column_key, cellValue(c)]));
    return [
      {
        studentId: s.id,
        fullName: joinFullName({ familyName: s.family_name, middleName: s.middle_name, givenName: s.given_name }),
        membership: s.end_date !== null && s.end_date < to ? ('left' as const) : s.start_date > from ? ('joined' as const) : ('whole_term' as const),
        cells: Object.fromEntries(own.map((c) => [c.column_key, { value: formatCell(cellValue(c)) || null, version: c.version, correctedFrom: c.corrected_at ? c.value_at_lock ?? '' : null }])),
        ...g.summaryOf(term, values),
        exempt: exempt.get(s.id)?.label ?? null,
      },
    ];
  });
  return {
    classId,
    className: g.cls.name,
    year: g.cls.year,
    grade: g.cls.grade,
    term,
    subjectCode,
    subjectName: g.subject.name,
    ruleSetLabel: RULE_SET_LABELS[g.ruleSet],
    ruleSet: g.ruleSet,
    assessment: g.assessment,
    requiredRegular: g.requiredRegular,
    teacherName: teacherName(g.assignments.find((a) => a.subject_code === subjectCode && a.term === term)),
    state,
    stateLabel: STATE_LABELS[state],
    unlockReason: stateRow?.unlock_reason ?? null,
    columns,
    published: columns.map((c) => c.key).filter((k) => published.includes(k)),
    rows,
    actions: actionsFor(g.standing, subjectCode, term, state),
    readOnlyReason: readOnlyReason(g.standing, subjectCode, term, state),
  };
}

const NOT_OPEN: Record<Exclude<GradebookState, 'open'>, string> = {
  submitted: 'Sổ điểm đã nộp nên không sửa được. Bấm "Rút lại" để sửa tiếp, rồi nộp lại.',
  reviewed: 'Sổ điểm đã được giáo viên chủ nhiệm duyệt nên không sửa được. Nhờ giáo viên chủ nhiệm trả lại để sửa.',
  locked: 'Sổ điểm đã khóa. Muốn sửa, hãy đề nghị hiệu trưởng mở khóa (có ghi lý do); điểm sửa sau khi mở khóa được ghi là điểm sửa chữa.',
};

export type Grid = Awaited<ReturnType<typeof loadGrid>>;
type SaveResult = TSaveGradebookResult;

/**
 * Saves cells a teacher typed. Each cell is written only if it still has the version the teacher
 * saw; a cell someone else changed meanwhile comes back as a conflict with their value, and a value
 * the column does not take comes back as rejected — the other cells of the batch are saved.
 */
export async function saveCells(db: Db, caller: Caller, schoolId: string, classId: string, subjectCode: string, input: TSaveGradebookCells): Promise<SaveResult> {
  const term = input.term;
  const g = await loadGrid(db, caller, schoolId, classId, subjectCode, term);
  assertMayEnter(g, subjectCode, term);
  const key: GridKey = { schoolId, classId, subjectCode, term };
  const members = new Set(g.students.map((s) => s.id));
  const { writes, rejected } = checkedWrites(g, term, members, input, g.exempt);
  const touched = [...new Set(input.cells.map((c) => c.studentId).filter((id) => members.has(id)))];

  const saved = await saveOpenGridCells(db, key, writes, caller.actor.userId, touched);
  if (saved.state.state !== 'open') throw conflict('gradebook_not_open', NOT_OPEN[saved.state.state]);
  // A grid that was locked once and reopened: every change is a correction, kept with the value the locked grid showed.
  if (saved.state.unlock_reason !== null) return saveCorrections(db, caller, g, key, writes, rejected, touched);

  // The touched students' rows now: their cells before the statement, with what it wrote.
  const writeOf = new Map(writes.map((w) => [`${w.studentId}/${w.columnKey}`, w]));
  const now = new Map(saved.before.map((c) => [`${c.student_id}/${c.column_key}`, cellValue(c)]));
  for (const w of saved.written) {
    const sent = writeOf.get(`${w.student_id}/${w.column_key}`);
    if (sent) now.set(`${w.student_id}/${w.column_key}`, writeValue(sent));
  }
  const rowsNow = touched.map((studentId) => ({ studentId, values: Object.fromEntries([...now].filter(([id]) => id.startsWith(`${studentId}/`)).map(([id, v]) => [id.slice(studentId.length + 1), v])) }));
  return answer(g, db, key, writes, saved.written, rejected, rowsNow);
}

/** The cells of a save the grid takes, and why each of the others is refused. */
function checkedWrites(g: Grid, term: number, members: Set<string>, input: TSaveGradebookCells, exempt: Map<string, { refusal: string }>) {
  const columns = new Map<string, GradebookColumn>(g.columnsFor(term).map((c) => [c.key, c]));
  const rejected: SaveResult['rejected'] = [];
  const writes: CellWrite[] = [];
  const seen = new Set<string>();
  for (const c of input.cells) {
    const column = columns.get(c.column);
    if (!members.has(c.studentId)) {
      rejected.push({ studentId: c.studentId, column: c.column, message: `Học sinh này không học lớp ${g.cls.name} trong ${TERM_NAME[term]}.` });
      continue;
    }
    if (!column) {
      rejected.push({ studentId: c.studentId, column: c.column, message: noSuchColumn(g, c.column, term) });
      continue;
    }
    const cellId = `${c.studentId}/${c.column}`;
    if (seen.has(cellId)) {
      rejected.push({ studentId: c.studentId, column: c.column, message: 'Ô này được gửi hai lần trong cùng một lần lưu; chỉ lần đầu được lưu.' });
      continue;
    }
    seen.add(cellId);
    const parsed = parseCell(column.kind, c.value ?? '');
    if (!parsed.ok) {
      rejected.push({ studentId: c.studentId, column: c.column, message: `${column.title}: ${parsed.message}` });
      continue;
    }
    const v = parsed.value;
    // Miễn học (Điều 11): no mark, no comment for the exempt term; clearing an old entry stays possible.
    const exemption = exempt.get(c.studentId);
    if (exemption && v !== null) {
      rejected.push({ studentId: c.studentId, column: c.column, message: exemption.refusal });
      continue;
    }
    writes.push({
      studentId: c.studentId,
      columnKey: c.column,
      scoreTenths: v?.kind === 'score' ? v.tenths : null,
      passFail: v?.kind === 'pass_fail' ? v.result : null,
      comment: v?.kind === 'comment' ? v.text : null,
      subjectLevel: v?.kind === 'subject_level' ? v.level : null,
      expectedVersion: c.version,
    });
  }
  return { writes, rejected };
}

/** Why a column is not in the grid: a TT22 column sent to a primary grid (or the reverse) says which circular the class follows. */
function noSuchColumn(g: Grid, column: string, term: number): string {
  const tt22Key = /^(tx[1-9]|gk|ck|nx)$/.test(column);
  if (g.ruleSet === 'tt27_2020' && tt22Key) {
    return `Lớp ${g.cls.name} đánh giá theo ${RULE_SET_LABELS.tt27_2020} (tiểu học): không nhập điểm ${column.toUpperCase()} của Thông tư 22; hãy nhập mức T / H / C, điểm kiểm tra định kì và nhận xét.`;
  }
  if (g.ruleSet === 'tt22_2021' && !tt22Key) return `Lớp ${g.cls.name} đánh giá theo ${RULE_SET_LABELS.tt22_2021}: sổ điểm không có cột ${column} của tiểu học.`;
  return `Môn ${g.subject.name} không có cột ${column.toUpperCase()} trong ${TERM_NAME[term]}.`;
}

/** What a save answers: the cells written with their new versions, the conflicts with the value that won, the refused, each touched row's summary. */
async function answer(
  g: Grid,
  db: Db,
  key: GridKey,
  writes: CellWrite[],
  written: Array<{ student_id: string; column_key: string; version: number }>,
  rejected: SaveResult['rejected'],
  rowsNow: Array<{ studentId: string; values: Record<string, CellValue | null> }>,
): Promise<SaveResult> {
  const writeOf = new Map(writes.map((w) => [`${w.studentId}/${w.columnKey}`, w]));
  const writtenIds = new Set(written.map((w) => `${w.student_id}/${w.column_key}`));
  const lost = writes.filter((w) => !writtenIds.has(`${w.studentId}/${w.columnKey}`));
  const current = await findCells(db, key, lost);
  const currentOf = new Map(current.map((c) => [`${c.student_id}/${c.column_key}`, c]));
  return {
    saved: written.map((w) => {
      const sent = writeOf.get(`${w.student_id}/${w.column_key}`);
      return { studentId: w.student_id, column: w.column_key, value: sent ? formatCell(writeValue(sent)) || null : null, version: w.version };
    }),
    conflicts: lost.map((w) => {
      const c = currentOf.get(`${w.studentId}/${w.columnKey}`);
      return { studentId: w.studentId, column: w.columnKey, value: c ? formatCell(cellValue(c)) || null : null, version: c?.version ?? 0, updatedBy: c?.updated_by_name ?? null };
    }),
    rejected,
    summaries: rowsNow.map(({ studentId, values }) => ({ studentId, ...g.summaryOf(key.term, values) })),
  };
}

/** A save into a grid reopened after its lock: one transaction that keeps each cell's locked value and audits every change. */
async function saveCorrections(db: Db, caller: Caller, g: Grid, key: GridKey, writes: CellWrite[], rejected: SaveResult['rejected'], touched: string[]): Promise<SaveResult> {
  return db.transaction().execute(async (trx) => {
    const { correcting } = await openForWrite(trx, key);
    const written = await applyWrites(trx, caller, g, key, writes, correcting);
    const allCells = await listGridCells(trx, key, touched);
    const rowsNow = touched.map((studentId) => ({ studentId, values: Object.fromEntries(allCells.filter((c) => c.student_id === studentId).map((c) => [c.column_key, cellValue(c)])) }));
    return answer(g, trx, key, writes, written, rejected, rowsNow);
  });
}

const writeValue = (w: CellWrite) => cellValue({ score_tenths: w.scoreTenths, pass_fail: w.passFail, comment: w.comment, subject_level: w.subjectLevel });

/** Who enters marks in a grid: the teacher assigned to the class × subject × term, nobody else (403). */
export function assertMayEnter(g: Grid, subjectCode: string, term: number): void {
  if (!g.standing.teaches(subjectCode, term)) {
    throw new AppError(403, 'gradebook_not_teacher', `Chỉ giáo viên được phân công dạy ${g.subject.name} lớp ${g.cls.name} trong ${TERM_NAME[term]} mới nhập điểm.`);
  }
}

/**
 * Takes the grid's state row for the rest of the transaction (saves, imports and state changes of
 * one grid queue up behind each other, so nothing slips in while the principal locks) and refuses
 * unless the grid is open. A grid that was locked once and reopened takes every change as a correction.
 */
export async function openForWrite(trx: Transaction<Database>, key: GridKey): Promise<{ correcting: boolean }> {
  const state = await lockGridState(trx, key);
  if (state.state !== 'open') throw conflict('gradebook_not_open', NOT_OPEN[state.state]);
  return { correcting: state.unlock_reason !== null };
}

/**
 * Writes cells into a grid `openForWrite` opened, each only where its version is still the one
 * expected; a correction keeps the value the locked grid showed and is audited cell by cell.
 * Returns the cells written (the others changed under the writer).
 */
export async function applyWrites(trx: Transaction<Database>, caller: Caller, g: Grid, key: GridKey, writes: CellWrite[], correcting: boolean) {
  const columns = new Map<string, GradebookColumn>(g.columnsFor(key.term).map((c) => [c.key, c]));
  const before = correcting ? await findCells(trx, key, writes) : [];
  const beforeOf = new Map(before.map((b) => [`${b.student_id}/${b.column_key}`, b]));
  const toWrite = correcting
    ? writes.map((w) => {
        const b = beforeOf.get(`${w.studentId}/${w.columnKey}`);
        return { ...w, valueAtLock: b ? formatCell(cellValue(b)) : '' };
      })
    : writes;
  const written = await writeCells(trx, key, toWrite, caller.actor.userId, correcting);
  if (correcting) {
    const writeOf = new Map(writes.map((w) => [`${w.studentId}/${w.columnKey}`, w]));
    for (const w of written) {
      const id = `${w.student_id}/${w.column_key}`;
      const after = writeOf.get(id);
      await writeAudit(
        trx,
        caller.actor,
        {
          action: 'gradebook.correct',
          entity: 'gradebook',
          entityId: `${key.classId}:${key.subjectCode}:${key.term}`,
          orgUnitId: key.schoolId,
          targetLabel: gridLabel(g, key.term),
          before: { mark_student: w.student_id, mark_column: columns.get(w.column_key)?.title, mark_value: formatCell(cellValue(beforeOf.get(id) ?? { score_tenths: null, pass_fail: null, comment: null, subject_level: null })) },
          after: { mark_student: w.student_id, mark_column: columns.get(w.column_key)?.title, mark_value: after ? formatCell(writeValue(after)) : '' },
        },
        caller.ip,
      );
    }
  }
  return written;
}

/** "Toán — 6A2 (2025-2026), học kì I": how the audit log names a grid. */
export const gridLabel = (g: Grid, term: number) => `${g.subject.name} — ${g.cls.name} (${schoolYearLabel(g.cls.year)}), ${TERM_NAME[term]}`;

export { cellValue, TERM_NAME };

const TRANSITIONS: Record<TGradebookAction, { to: GradebookState; audit: 'gradebook.submit' | 'gradebook.reopen' | 'gradebook.review' | 'gradebook.return' | 'gradebook.lock' | 'gradebook.unlock' }> = {
  submit: { to: 'submitted', audit: 'gradebook.submit' },
  reopen: { to: 'open', audit: 'gradebook.reopen' },
  review: { to: 'reviewed', audit: 'gradebook.review' },
  return: { to: 'open', audit: 'gradebook.return' },
  lock: { to: 'locked', audit: 'gradebook.lock' },
  unlock: { to: 'open', audit: 'gradebook.unlock' },
};

const ACTION_VERB: Record<TGradebookAction, string> = { submit: 'nộp', reopen: 'rút lại', review: 'duyệt', return: 'trả lại', lock: 'khóa', unlock: 'mở khóa' };

const REFUSED: Record<TGradebookAction, string> = {
  submit: 'Chỉ giáo viên dạy môn này ở lớp nộp được sổ điểm đang nhập.',
  reopen: 'Chỉ giáo viên dạy môn này rút lại được sổ điểm đã nộp, trước khi giáo viên chủ nhiệm duyệt.',
  review: 'Chỉ giáo viên chủ nhiệm của lớp (hoặc hiệu trưởng) duyệt được sổ điểm đã nộp.',
  return: 'Chỉ giáo viên chủ nhiệm của lớp (hoặc hiệu trưởng) trả lại được sổ điểm đã nộp hoặc đã duyệt.',
  lock: 'Chỉ hiệu trưởng khóa được sổ điểm đã nộp hoặc đã duyệt.',
  unlock: 'Chỉ hiệu trưởng mở khóa được sổ điểm đã khóa.',
};

/** Submit → review → lock, and back: each step by whom the chain names, audited. */
export async function changeGradebookState(
  db: Db,
  caller: Caller,
  schoolId: string,
  classId: string,
  subjectCode: string,
  input: { term: number; action: TGradebookAction; reason?: string },
): Promise<TGradebook> {
  const g = await loadGrid(db, caller, schoolId, classId, subjectCode);
  const key: GridKey = { schoolId, classId, subjectCode, term: input.term };
  if (input.action === 'unlock' && !input.reason) throw badRequest('unlock_reason_required', 'Lý do: hãy ghi rõ vì sao cần mở khóa sổ điểm (ít nhất 5 kí tự).');
  // Who may ever take the step is a 403; the right person at the wrong moment is a 409.
  const mayTake: Record<TGradebookAction, boolean> = {
    submit: g.standing.teaches(subjectCode, input.term),
    reopen: g.standing.teaches(subjectCode, input.term),
    review: g.standing.homeroom || g.standing.principal,
    return: g.standing.homeroom || g.standing.principal,
    lock: g.standing.principal,
    unlock: g.standing.principal,
  };
  if (!mayTake[input.action]) throw new AppError(403, 'gradebook_action_forbidden', REFUSED[input.action]);
  await db.transaction().execute(async (trx) => {
    const row = await lockGridState(trx, key);
    if (!actionsFor(g.standing, subjectCode, input.term, row.state)[input.action]) {
      throw conflict('gradebook_transition_refused', `Sổ điểm đang ở trạng thái "${STATE_LABELS[row.state]}" nên chưa ${ACTION_VERB[input.action]} được.`);
    }
    const step = TRANSITIONS[input.action];
    // The unlock reason stays after a later lock: it marks the grid as corrected once.
    const reason = input.action === 'unlock' ? (input.reason ?? null) : row.unlock_reason;
    await setGridState(trx, key, step.to, caller.actor.userId, reason);
    await writeAudit(
      trx,
      caller.actor,
      {
        action: step.audit,
        entity: 'gradebook',
        entityId: `${classId}:${subjectCode}:${input.term}`,
        orgUnitId: schoolId,
        targetLabel: `${g.subject.name} — ${g.cls.name} (${schoolYearLabel(g.cls.year)}), ${TERM_NAME[input.term]}`,
        before: { gradebook_state: row.state },
        after: { gradebook_state: step.to, ...(input.action === 'unlock' ? { reason: input.reason } : {}) },
      },
      caller.ip,
    );
  });
  return getGradebook(db, caller, schoolId, classId, subjectCode, input.term);
}

/** The class's subjects with each term's state and teacher: the gradebook's front page. */
export async function getClassGradebooks(db: Db, caller: Caller, schoolId: string, classId: string): Promise<TClassGradebooks> {
  const { cls, assignments, standing } = await classWithStanding(db, caller, schoolId, classId);
  const ruleSet = ruleSetFor(cls.year, cls.grade);
  const subjects = (await listTaughtSubjects(db, schoolId, cls.year, cls.grade)).filter((s) => canRead(standing, s.code));
  if (subjects.length === 0 && !standing.manager && !standing.homeroom) throw notFound('Không tìm thấy lớp.');
  const states = await listClassGridStates(db, schoolId, classId);
  const stateOf = (subject: string, term: number) => states.find((s) => s.subject_code === subject && s.term === term)?.state ?? 'open';
  return {
    classId,
    className: cls.name,
    year: cls.year,
    grade: cls.grade,
    ruleSetLabel: RULE_SET_LABELS[ruleSet],
    supported: ruleSet === 'tt22_2021' || ruleSet === 'tt27_2020',
    subjects: subjects
      // TT22 has no 'mixed' subject; in primary every subject (mixed = level + test) has its grid.
      .filter((s) => ruleSet === 'tt27_2020' || s.assessmentKind !== 'mixed')
      .map((s) => ({
        subjectCode: s.code,
        subjectName: s.name,
        assessment: s.assessmentKind === 'score' ? ('score' as const) : ('comment' as const),
        terms: [1, 2].map((term) => {
          const state = stateOf(s.code, term);
          return {
            term,
            state,
            stateLabel: STATE_LABELS[state],
            teacherName: teacherName(assignments.find((a) => a.subject_code === s.code && a.term === term)),
            canEdit: actionsFor(standing, s.code, term, state).edit,
          };
        }),
      })),
  };
}
