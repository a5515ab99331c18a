/**
 * Importing a class × subject × term grid from the .xlsx its export writes (export, fill in
 * Excel, import). The file goes through the same rule as a save from the grid: only the assigned
 * teacher enters, only into an open grid (the state row taken for the transaction; underneath, the
 * trigger refuses a locked grid), every value through the domain's `parseCell`, a grid that was
 * unlocked once takes every change as a correction with the locked value kept and audited.
 *
 * All or nothing: a row for a student who is not in the class, an unknown or doubled row, a value
 * the column does not take → the whole file is refused (422) with the list of what to fix, by the
 * row and column Excel shows; nothing is written.
 *
 * No silent overwrite. The export writes, in a hidden last column, the version of every cell it
 * showed. A cell of the file whose stored value changed since that version (someone else, another
 * tab, a second import) and that the file would change is a conflict: the import is refused (409)
 * naming the cell, the value now stored and who stored it, unless the request says overwrite=true.
 * A file without the column (made by hand, or the column deleted) has no versions to go by, so the
 * stricter rule stands: a cell that holds a mark different from the file's is a conflict.
 * Versions rather than "current value ≠ file value" alone, because the teacher correcting their
 * own mark in Excel is the ordinary case and must not read as a conflict.
 *
 * An empty cell clears a stored mark only when the file shows the teacher deleted it: the export
 * wrote the cell's version as one holding a value (not marked empty, gradebook-file.ts) and the
 * mark has that version still. The same rule as a save: a mark changed after the export is a
 * conflict (never silently lost), a locked grid refuses the clear as any change. Every other empty
 * cell is "nothing entered" and keeps the stored mark (a column left blank, a row someone started
 * to fill, a file made by hand without the version column).
 */
import type { Kysely } from 'kysely';
import type { TGradebookImportIssue, TGradebookImportResult } from '../../../../contracts/gradebook.js';
import { formatCell, joinFullName, parseCell, searchFold, type CellValue } from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, conflict } from '../../platform/errors.js';
import { readWorkbookRows, type SheetRow } from '../imports/xlsx-rows.js';
import { assertXlsxUpload } from '../imports/zip-guard.js';
import { type Caller, termDates } from './class-standing.js';
import { MAX_FILE_ROWS, isExemptText, readGridRows, type FileRow } from './gradebook-file.js';
import { type CellWrite, type GridKey, findCells, listGridCells, listGridStudents } from './gradebook.repo.js';
import { gridExemptions } from './exemptions.service.js';
import { TERM_NAME, applyWrites, assertMayEnter, cellValue, getGradebook, gridLabel, loadGrid, openForWrite } from './gradebook.service.js';

type Db = Kysely<Database>;

/** The issues listed in a refusal's detail; all of them are in `issues`. */
const ISSUES_IN_DETAIL = 20;

/** The first visible sheet's rows (the export writes one), up to a class's worth and some (or `maxRows`: the legacy results import). */
export async function firstSheetRows(file: Buffer, maxRows = MAX_FILE_ROWS): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  let sheets = 0;
  await readWorkbookRows(file, {
    onSheet: () => {
      sheets++;
    },
    onRow: (row) => {
      rows.push(row);
      return rows.length <= maxRows + 20;
    },
    onSheetEnd: () => {},
    done: () => sheets >= 1,
  });
  return rows;
}

const where = (i: TGradebookImportIssue) => `Dòng ${i.row}${i.column ? `, cột ${i.column}` : ''}`;

/** The first issues as lines "Dòng 5, cột TX2: …" for a refusal's detail (all of them are in `issues`). */
export function issueLines(issues: TGradebookImportIssue[]): string {
  const shown = issues.slice(0, ISSUES_IN_DETAIL).map((i) => `${where(i)}: ${i.message}`);
  const more = issues.length > ISSUES_IN_DETAIL ? [`… và ${issues.length - ISSUES_IN_DETAIL} lỗi khác (xem danh sách đầy đủ).`] : [];
  return [...shown, ...more].join('\n');
}

/** A file refused whole (422) with every issue by row and column; `code` and `nothingWritten` for the imports other than the grid's. */
export function refuse(issues: TGradebookImportIssue[], code = 'gradebook_import_invalid', nothingWritten = 'chưa có điểm nào được ghi'): never {
  throw new AppError(
    422,
    code,
    `Tệp chưa nhập được, ${nothingWritten}. Hãy sửa ${issues.length === 1 ? 'lỗi' : `${issues.length} lỗi`} sau rồi tải lên lại:\n${issueLines(issues)}`,
    { issues },
  );
}

type Member = Awaited<ReturnType<typeof listGridStudents>>[number];
const fullNameOf = (m: Member) => joinFullName({ familyName: m.family_name, middleName: m.middle_name, givenName: m.given_name });

/** Which student each row is: the code (learner id or temporary code) the export writes, else the name (and date of birth if two share it). */
function matchRows(rows: FileRow[], members: Member[], className: string, termName: string) {
  const issues: TGradebookImportIssue[] = [];
  const byCode = new Map<string, Member>();
  for (const m of members) {
    if (m.learner_id) byCode.set(m.learner_id, m);
    if (m.temp_code) byCode.set(m.temp_code, m);
  }
  const byName = new Map<string, Member[]>();
  for (const m of members) byName.set(searchFold(fullNameOf(m)), [...(byName.get(searchFold(fullNameOf(m))) ?? []), m]);
  const matched: Array<{ row: FileRow; member: Member }> = [];
  const rowOf = new Map<string, number>();
  for (const row of rows) {
    let member: Member | undefined;
    if (row.code) {
      member = byCode.get(row.code);
      if (!member) {
        issues.push({ row: row.row, column: 'Mã học sinh', message: `không có học sinh mã ${row.code} trong lớp ${className} ${termName}. Hãy kiểm tra mã, hoặc xóa dòng này nếu học sinh không học lớp.` });
        continue;
      }
      if (row.name && searchFold(row.name) !== searchFold(fullNameOf(member))) {
        issues.push({ row: row.row, column: 'Họ và tên', message: `mã ${row.code} là của em ${fullNameOf(member)}, nhưng tệp ghi "${row.name}". Hãy sửa lại họ tên hoặc mã cho đúng học sinh.` });
        continue;
      }
    } else if (row.name) {
      const same = byName.get(searchFold(row.name)) ?? [];
      const candidates = same.length > 1 && row.dob ? same.filter((m) => dobText(m.date_of_birth) === row.dob) : same;
      if (candidates.length === 0) {
        issues.push({ row: row.row, column: 'Họ và tên', message: `không có học sinh "${row.name}" trong lớp ${className} ${termName}. Hãy kiểm tra họ tên, hoặc xóa dòng này nếu học sinh không học lớp.` });
        continue;
      }
      if (candidates.length > 1) {
        issues.push({ row: row.row, column: 'Mã học sinh', message: `lớp có ${candidates.length} học sinh tên "${row.name}"; hãy ghi mã học sinh để biết là em nào.` });
        continue;
      }
      member = candidates[0];
    } else {
      issues.push({ row: row.row, column: 'Họ và tên', message: 'dòng có điểm nhưng không có họ tên và mã học sinh. Hãy ghi họ tên (và mã) của học sinh, hoặc xóa dòng.' });
      continue;
    }
    if (!member) continue;
    const earlier = rowOf.get(member.id);
    if (earlier !== undefined) {
      issues.push({ row: row.row, column: 'Họ và tên', message: `em ${fullNameOf(member)} đã có ở dòng ${earlier}; mỗi học sinh một dòng. Hãy gộp hai dòng làm một.` });
      continue;
    }
    rowOf.set(member.id, row.row);
    matched.push({ row, member });
  }
  return { matched, issues };
}

const dobText = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

const writeOf = (studentId: string, columnKey: string, v: CellValue, expectedVersion: number): CellWrite => ({
  studentId,
  columnKey,
  scoreTenths: v.kind === 'score' ? v.tenths : null,
  passFail: v.kind === 'pass_fail' ? v.result : null,
  comment: v.kind === 'comment' ? v.text : null,
  subjectLevel: v.kind === 'subject_level' ? v.level : null,
  expectedVersion,
});

/** A deleted mark, written as the grid's save clears a cell: every value empty, the version it had. */
const clearOf = (studentId: string, columnKey: string, expectedVersion: number): CellWrite => ({ studentId, columnKey, scoreTenths: null, passFail: null, comment: null, subjectLevel: null, expectedVersion });

/** Imports a filled-in grid file; answers what changed and the grid as it now is. */
export async function importGradebook(
  db: Db,
  caller: Caller,
  schoolId: string,
  classId: string,
  subjectCode: string,
  input: { term: number; overwrite: boolean; fileName: string; file: Buffer },
): Promise<TGradebookImportResult> {
  const term = input.term;
  // A primary grid (TT27) goes the same way: its columns (g.columnsFor) are its term's checkpoints,
  // parseCell reads their levels and periodic tests, and the save's rules are the same.
  const g = await loadGrid(db, caller, schoolId, classId, subjectCode);
  assertMayEnter(g, subjectCode, term);
  await assertXlsxUpload(input.fileName, input.file);
  const termName = TERM_NAME[term];

  const sheet = readGridRows(await firstSheetRows(input.file), g.columnsFor(term));
  if (sheet.grid && (sheet.grid.classId !== classId || sheet.grid.subjectCode !== subjectCode || sheet.grid.term !== term)) {
    throw new AppError(
      422,
      'gradebook_import_other_grid',
      `Tệp này được tải về từ sổ điểm của ${sheet.grid.classId !== classId ? 'một lớp khác' : sheet.grid.subjectCode !== subjectCode ? 'một môn khác' : `học kì ${sheet.grid.term === 1 ? 'I' : 'II'}`}, không phải sổ điểm ${g.subject.name} lớp ${g.cls.name} ${termName}. Hãy chọn đúng tệp, hoặc tải tệp của sổ điểm này về để điền.`,
    );
  }
  const key: GridKey = { schoolId, classId, subjectCode, term };
  const { from, to } = termDates(g.cls, term);
  const members = await listGridStudents(db, schoolId, classId, from, to);
  const { matched, issues } = matchRows(sheet.rows, members, g.cls.name, termName);
  issues.unshift(...sheet.issues);
  const exempt = await gridExemptions(db, schoolId, g.cls.year, subjectCode, g.subject.name, term);

  // Every value through the grid's own parser: what a teacher may type in the grid, and nothing else.
  const parsed: Array<{ row: number; studentId: string; label: string; key: string; value: CellValue | null; version: number | null; deleted: boolean; exemptRefusal: string | null }> = [];
  for (const { row, member } of matched) {
    for (const column of sheet.columns) {
      const text = row.values.get(column.key) ?? '';
      const exemption = exempt.get(member.id);
      // The export's "Miễn" in an exempt student's empty cell: nothing entered.
      if (exemption && isExemptText(text)) continue;
      const p = parseCell(column.kind, text);
      if (!p.ok) {
        issues.push({ row: row.row, column: column.label, message: `${column.title}: ${p.message}` });
        continue;
      }
      // An exempt student's value is refused as the grid refuses it (Điều 11), once the stored cells
      // are read: an entry made before the decision, sent back unchanged, writes nothing and passes.
      parsed.push({
        row: row.row,
        studentId: member.id,
        label: column.label,
        key: column.key,
        value: p.value,
        version: row.versions ? (row.versions.versions.get(column.key) ?? 0) : null,
        // Deleted in Excel: the export showed a value here (its version, not marked empty) and the file has none.
        deleted: p.value === null && !!row.versions && (row.versions.versions.get(column.key) ?? 0) > 0 && !row.versions.emptyAtExport.has(column.key),
        exemptRefusal: exemption && p.value !== null ? exemption.refusal : null,
      });
    }
  }
  issues.sort((a, b) => a.row - b.row);
  if (issues.length > 0) refuse(issues);
  if (matched.length === 0) refuse([{ row: 1, column: '', message: 'Tệp không có dòng học sinh nào dưới dòng tiêu đề.' }]);

  const counts = { changed: 0, cleared: 0, overwritten: 0, unchanged: 0, keptEmpty: 0 };
  await db.transaction().execute(async (trx) => {
    // The state row first: from here to the commit no save, import or lock of this grid runs beside us.
    const { correcting } = await openForWrite(trx, key);
    const stored = new Map((await listGridCells(trx, key, [...new Set(matched.map((m) => m.member.id))])).map((c) => [`${c.student_id}/${c.column_key}`, c]));
    const writes: CellWrite[] = [];
    const conflicts: typeof parsed = [];
    const exemptIssues: TGradebookImportIssue[] = [];
    for (const p of parsed) {
      const now = stored.get(`${p.studentId}/${p.key}`);
      const nowValue = now ? cellValue(now) : null;
      const nowVersion = now?.version ?? 0;
      if (p.value === null) {
        if (nowValue === null) continue;
        if (!p.deleted) {
          counts.keptEmpty++;
          continue;
        }
        // A clear: the mark the file showed, unchanged since (same version), or a conflict as a change would be.
        if (nowVersion !== p.version) {
          if (!input.overwrite) {
            conflicts.push(p);
            continue;
          }
          counts.overwritten++;
        }
        counts.cleared++;
        writes.push(clearOf(p.studentId, p.key, nowVersion));
        continue;
      }
      if (nowValue !== null && formatCell(nowValue) === formatCell(p.value)) {
        counts.unchanged++;
        continue;
      }
      if (p.exemptRefusal) {
        exemptIssues.push({ row: p.row, column: p.label, message: p.exemptRefusal });
        continue;
      }
      // Changed since the export (versions known), or — without versions — holding another mark.
      const changedSince = p.version !== null ? nowVersion !== p.version : nowValue !== null;
      if (changedSince) {
        if (!input.overwrite) {
          conflicts.push(p);
          continue;
        }
        counts.overwritten++;
      }
      writes.push(writeOf(p.studentId, p.key, p.value, nowVersion));
    }
    if (exemptIssues.length > 0) refuse(exemptIssues);
    if (conflicts.length > 0) {
      const who = new Map((await findCells(trx, key, conflicts.map((c) => ({ studentId: c.studentId, columnKey: c.key })))).map((c) => [`${c.student_id}/${c.column_key}`, c]));
      const list = conflicts.map((c) => {
        const now = who.get(`${c.studentId}/${c.key}`);
        const shown = now ? formatCell(cellValue(now)) : '';
        return {
          row: c.row,
          column: c.label,
          message: `ô này đã được ${now?.updated_by_name ?? 'người khác'} sửa thành "${shown || 'trống'}" sau khi tệp được tải về; ${c.value === null ? 'tệp để trống (xóa điểm)' : `tệp ghi "${formatCell(c.value)}"`}.`,
        };
      });
      throw conflict(
        'gradebook_import_conflict',
        `Chưa có điểm nào được ghi: ${list.length} ô đã được sửa trong sổ sau khi tệp được tải về.\n${issueLines(list)}\nHãy tải tệp mới từ sổ điểm rồi điền lại; hoặc, nếu chắc chắn điểm trong tệp là đúng, nhập lại với tùy chọn ghi đè.`,
        { issues: list },
      );
    }
    const written = await applyWrites(trx, caller, g, key, writes, correcting);
    // The state row held every writer of this grid off since we read the versions: a shortfall is a bug, never half an import.
    if (written.length !== writes.length) throw conflict('gradebook_import_conflict', 'Sổ điểm vừa được sửa trong lúc nhập; chưa có điểm nào được ghi. Hãy nhập lại.');
    counts.changed = written.length - counts.cleared;
    await writeAudit(
      trx,
      caller.actor,
      {
        action: 'gradebook.import',
        entity: 'gradebook',
        entityId: `${classId}:${subjectCode}:${term}`,
        orgUnitId: schoolId,
        targetLabel: gridLabel(g, term),
        after: {
          fileName: input.fileName,
          studentCount: matched.length,
          changedCells: counts.changed,
          clearedCells: counts.cleared,
          overwrittenCells: counts.overwritten,
          unchangedCells: counts.unchanged,
          keptEmptyCells: counts.keptEmpty,
        },
      },
      caller.ip,
    );
  });
  const gradebook = await getGradebook(db, caller, schoolId, classId, subjectCode, term);
  return { fileName: input.fileName, students: matched.length, ...counts, gradebook };
}
