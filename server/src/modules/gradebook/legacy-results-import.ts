/**
 * Importing the results of years assessed under Thông tư 58/2011 (before TT22/2021 reached the
 * grade: rule-sets.ts) from an .xlsx a school fills in from paper records or an old program's
 * export: one row per student × school year, the year average of every subject (or Đ / CĐ), the
 * conduct of each term and the year, the sessions absent.
 *
 * The same house rules as the grid's import (gradebook-import.ts), whose reading and refusal it
 * reuses: all or nothing — any wrong cell refuses the whole file (422) with every issue by the row
 * and the column header Excel shows and what to fix; nothing silently overwritten — a student-year
 * imported before is a conflict (409) listed per row unless the request says replace=true; one
 * audit entry for the file.
 *
 * What is stored is what the record says, never the verdict: học lực, promotion and title are
 * recomputed on read (legacy-results.service.ts).
 */
import type { Kysely } from 'kysely';
import type { TGradebookImportIssue } from '../../../../contracts/gradebook.js';
import type { TLegacyImportResult } from '../../../../contracts/legacy-results.js';
import { RULE_SET_LABELS, foldTyped, joinFullName, parseMark, parsePassFail, parseSchoolYear, ruleSetFor, schoolYearLabel, searchFold, type Conduct } from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import { conflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { buildXlsx } from '../../platform/xlsx-export.js';
import type { Cell } from '../imports/xlsx-rows.js';
import { assertXlsxUpload } from '../imports/zip-guard.js';
import type { Caller } from './class-standing.js';
import { CODE_HEADERS, NAME_HEADERS, cellText, fold } from './gradebook-file.js';
import { firstSheetRows, issueLines, refuse } from './gradebook-import.js';
import { type LegacyYearWrite, findLegacyYears, findStudentsByCode, writeLegacyYears } from './legacy-results.repo.js';

type Db = Kysely<Database>;
type Issue = TGradebookImportIssue;

/** A school's years of records at once: a few thousand rows is a large school's decade. */
const MAX_ROWS = 5000;
const NOTHING_WRITTEN = 'chưa có kết quả nào được ghi';

/** The columns other than the subjects, by their folded header (several spellings each). */
const FIXED: Partial<Record<string, 'code' | 'name' | 'year' | 'grade' | 'class' | 'conduct1' | 'conduct2' | 'conductYear' | 'absent' | 'average1' | 'average2' | 'ignored'>> = {
  ...Object.fromEntries([...CODE_HEADERS].map((h) => [h, 'code' as const])),
  ...Object.fromEntries([...NAME_HEADERS].map((h) => [h, 'name' as const])),
  'nam hoc': 'year',
  khoi: 'grade',
  'khoi lop': 'grade',
  lop: 'class',
  'hanh kiem hk i': 'conduct1',
  'hanh kiem hoc ki i': 'conduct1',
  'hanh kiem hk ii': 'conduct2',
  'hanh kiem hoc ki ii': 'conduct2',
  'hanh kiem ca nam': 'conductYear',
  'hanh kiem': 'conductYear',
  'so buoi nghi': 'absent',
  // Optional: the term averages of all subjects (migration 0029), shown but never ranked from.
  'dtb cac mon hk i': 'average1',
  'dtb cac mon hoc ki i': 'average1',
  'diem trung binh cac mon hk i': 'average1',
  'dtb hk i': 'average1',
  'dtb cac mon hk ii': 'average2',
  'dtb cac mon hoc ki ii': 'average2',
  'diem trung binh cac mon hk ii': 'average2',
  'dtb hk ii': 'average2',
  stt: 'ignored',
  'ngay sinh': 'ignored',
};

/**
 * Điều 6 khoản 1 điểm a: the subjects assessed by comment (Đ / CĐ) — Thể dục, Âm nhạc, Mỹ thuật;
 * every other subject has a mark. Read by the subject's name, so a file cannot give Toán a Đ.
 */
const COMMENT_SUBJECTS = new Set(['the duc', 'am nhac', 'my thuat']);

/** The columns of the template, in order: what an old học bạ's page holds. */
const TEMPLATE_SUBJECTS = ['Toán', 'Vật lí', 'Hóa học', 'Sinh học', 'Ngữ văn', 'Lịch sử', 'Địa lí', 'Tiếng Anh', 'GDCD', 'Công nghệ', 'Tin học', 'Thể dục', 'Âm nhạc', 'Mỹ thuật'];
const TEMPLATE_HEADERS = ['Mã định danh', 'Họ và tên', 'Năm học', 'Khối', 'Lớp', ...TEMPLATE_SUBJECTS, 'ĐTB các môn HK I', 'ĐTB các môn HK II', 'Hạnh kiểm HK I', 'Hạnh kiểm HK II', 'Hạnh kiểm cả năm', 'Số buổi nghỉ'];
const TEMPLATE_EXAMPLE = ['0100000001', 'Nguyễn Văn A', '2019-2020', 7, '7A1', '8,0', '7,5', '6,8', '7,0', '7,2', '8,1', '7,7', '6,9', '8,5', '7,4', '8,0', 'Đ', 'Đ', 'Đ', '7,4', '7,8', 'Tốt', 'Khá', 'Tốt', 2];

/** The template: the header row and one example row (to be replaced), through the project's xlsx writer. */
export function legacyTemplate(): Promise<Buffer> {
  return buildXlsx(
    'Kết quả TT58',
    TEMPLATE_HEADERS.map((header, i) => ({ header, value: (row: Array<string | number>) => row[i] })),
    [TEMPLATE_EXAMPLE],
  );
}

/** "Tốt", "T", "Khá", "K", "Trung bình", "TB", "Yếu", "Y" → the conduct (Điều 3 khoản 2). */
function parseConduct(text: string): Conduct | null {
  const f = foldTyped(text);
  if (f === 't' || f === 'tot') return 'tot';
  if (f === 'k' || f === 'kha') return 'kha';
  if (f === 'tb' || f === 'trungbinh') return 'trung_binh';
  if (f === 'y' || f === 'yeu') return 'yeu';
  return null;
}

type Column = { at: number; header: string; kind: NonNullable<(typeof FIXED)[string]> | 'subject' };

type ParsedRow = { row: number; code: string; name: string; write: Omit<LegacyYearWrite, 'id' | 'studentId'> };

/** A row's cells as text by column (numbers as written, e.g. 7.5), or an issue for a cell Excel turned into a date or an error. */
function rowText(cells: Cell[], col: Column, row: number, issues: Issue[]): string {
  const t = cellText(cells[col.at]);
  if ('error' in t) {
    issues.push({ row, column: col.header, message: `${t.error}.` });
    return '';
  }
  return t.text.replace(/\s+/g, ' ').trim();
}

/** Reads one student-year row; the issues name the column by the file's own header. */
function readRow(cells: Cell[], row: number, columns: Column[], issues: Issue[]): ParsedRow | null {
  const before = issues.length;
  const get = (kind: Column['kind']) => columns.find((c) => c.kind === kind);
  const text = (kind: Column['kind']) => {
    const col = get(kind);
    return col ? rowText(cells, col, row, issues) : '';
  };
  const codeCol = get('code');
  const rawCode = codeCol ? cells[codeCol.at] : null;
  // Excel drops the leading zero of a learner id typed as a number: 100000003 is 0100000003.
  const code = typeof rawCode === 'number' ? String(rawCode).padStart(10, '0') : text('code');
  const name = text('name');
  const header = (kind: Column['kind'], fallback: string) => get(kind)?.header ?? fallback;
  if (!code) issues.push({ row, column: header('code', 'Mã định danh'), message: 'chưa có mã định danh (hoặc mã tạm của trường) của học sinh. Hãy ghi mã để biết là em nào.' });

  const yearText = text('year');
  const year = parseSchoolYear(yearText);
  if (!year.ok) issues.push({ row, column: header('year', 'Năm học'), message: `${year.reason}.` });
  const gradeText = text('grade');
  const grade = /^\d{1,2}$/.test(gradeText) ? Number(gradeText) : NaN;
  if (!(grade >= 6 && grade <= 12)) {
    issues.push({ row, column: header('grade', 'Khối'), message: `"${gradeText}" không phải khối lớp của trung học cơ sở hoặc trung học phổ thông; hãy ghi một số từ 6 đến 12.` });
  } else if (year.ok && ruleSetFor(year.value, grade) !== 'tt58_2011') {
    issues.push({
      row,
      column: header('year', 'Năm học'),
      message: `năm học ${schoolYearLabel(year.value)} khối ${grade} đã đánh giá theo ${RULE_SET_LABELS[ruleSetFor(year.value, grade)]}, không theo Thông tư 58/2011; kết quả năm đó nhập qua sổ điểm. Hãy kiểm tra lại năm học và khối.`,
    });
  }
  const className = text('class');
  if (!className || className.length > 40) issues.push({ row, column: header('class', 'Lớp'), message: 'hãy ghi tên lớp học sinh học năm đó (tối đa 40 kí tự), ví dụ 7A1.' });

  const conduct = (kind: 'conduct1' | 'conduct2' | 'conductYear') => {
    const t = text(kind);
    if (t === '') return null;
    const c = parseConduct(t);
    if (!c) issues.push({ row, column: header(kind, 'Hạnh kiểm'), message: `"${t}" không phải xếp loại hạnh kiểm; hãy ghi Tốt, Khá, Trung bình hoặc Yếu (hoặc T, K, TB, Y).` });
    return c;
  };
  const conductTerm1 = conduct('conduct1');
  const conductTerm2 = conduct('conduct2');
  const conductYear = conduct('conductYear');
  const absentText = text('absent');
  const sessionsAbsent = /^\d{1,3}$/.test(absentText) ? Number(absentText) : NaN;
  if (!(sessionsAbsent <= 400)) issues.push({ row, column: header('absent', 'Số buổi nghỉ'), message: `"${absentText}" không phải số buổi nghỉ; hãy ghi một số nguyên (0 nếu học sinh không nghỉ buổi nào).` });

  // ĐTB các môn of a term: optional (an empty cell: the record has none), a mark as every mark.
  const termAverage = (kind: 'average1' | 'average2', term: string) => {
    const t = text(kind);
    if (t === '') return null;
    const m = parseMark(t);
    if (!m.ok) issues.push({ row, column: header(kind, `ĐTB các môn ${term}`), message: `điểm trung bình các môn ${term}: ${m.message}` });
    return m.ok ? m.tenths : null;
  };
  const averageTerm1Tenths = termAverage('average1', 'học kì I');
  const averageTerm2Tenths = termAverage('average2', 'học kì II');

  const subjects: LegacyYearWrite['subjects'] = [];
  for (const col of columns.filter((c) => c.kind === 'subject')) {
    const t = rowText(cells, col, row, issues);
    // An empty cell: the student did not have the subject that year (Tin học was elective, a subject exempted).
    if (t === '') continue;
    if (COMMENT_SUBJECTS.has(fold(col.header))) {
      const r = parsePassFail(t);
      if (!r) issues.push({ row, column: col.header, message: `${col.header} đánh giá bằng nhận xét; hãy ghi Đ (Đạt yêu cầu) hoặc CĐ (Chưa đạt yêu cầu), không ghi "${t}".` });
      else subjects.push({ name: col.header, averageTenths: null, commentResult: r === 'dat' ? 'd' : 'cd' });
      continue;
    }
    const m = parseMark(t);
    if (!m.ok) issues.push({ row, column: col.header, message: `điểm trung bình môn cả năm: ${m.message}` });
    else subjects.push({ name: col.header, averageTenths: m.tenths, commentResult: null });
  }
  if (issues.length > before || !year.ok) return null;
  return { row, code, name, write: { year: year.value, grade, className, conductTerm1, conductTerm2, conductYear, sessionsAbsent, averageTerm1Tenths, averageTerm2Tenths, subjects } };
}

/** The header row (one of the first ten, the one with "Họ và tên"), its columns known or subjects. */
function readHeader(cells: Cell[], rowNumber: number, issues: Issue[]): Column[] {
  const columns: Column[] = [];
  cells.forEach((cell, at) => {
    if (typeof cell !== 'string' || cell.trim() === '') return;
    const header = cell.replace(/\s+/g, ' ').trim().normalize('NFC');
    const kind: Column['kind'] = FIXED[fold(header)] ?? 'subject';
    if (kind === 'ignored') return;
    if (columns.some((c) => (kind === 'subject' ? fold(c.header) === fold(header) : c.kind === kind))) {
      issues.push({ row: rowNumber, column: header, message: `cột ${header} có hai lần trong tệp; hãy giữ một cột.` });
      return;
    }
    columns.push({ at, header, kind });
  });
  const required: Array<[Column['kind'], string]> = [
    ['code', 'Mã định danh'],
    ['year', 'Năm học'],
    ['grade', 'Khối'],
    ['class', 'Lớp'],
    ['absent', 'Số buổi nghỉ'],
  ];
  for (const [kind, name] of required) {
    if (!columns.some((c) => c.kind === kind)) issues.push({ row: rowNumber, column: '', message: `dòng tiêu đề không có cột "${name}". Hãy dùng tệp mẫu (Tải tệp mẫu) và giữ nguyên dòng tiêu đề.` });
  }
  return columns;
}

/** Imports a filled-in legacy results file; all or nothing. */
export async function importLegacyResults(db: Db, caller: Caller, schoolId: string, input: { replace: boolean; fileName: string; file: Buffer }): Promise<TLegacyImportResult> {
  await assertXlsxUpload(input.fileName, input.file);
  const rows = await firstSheetRows(input.file, MAX_ROWS);
  const headerAt = rows.findIndex((r) => r.rowNumber <= 10 && r.cells.some((c) => typeof c === 'string' && NAME_HEADERS.has(fold(c))));
  if (headerAt < 0) refuse([{ row: 1, column: '', message: 'Không tìm thấy dòng tiêu đề có cột "Họ và tên". Hãy dùng tệp mẫu và giữ nguyên dòng tiêu đề.' }], 'legacy_import_invalid', NOTHING_WRITTEN);
  const issues: Issue[] = [];
  const columns = readHeader(rows[headerAt].cells, rows[headerAt].rowNumber, issues);
  if (issues.length > 0) refuse(issues, 'legacy_import_invalid', NOTHING_WRITTEN);
  const body = rows.slice(headerAt + 1).filter((r) => r.cells.some((c) => c !== null && !(typeof c === 'string' && c.trim() === '')));
  if (body.length === 0) refuse([{ row: rows[headerAt].rowNumber, column: '', message: 'Tệp không có dòng học sinh nào dưới dòng tiêu đề.' }], 'legacy_import_invalid', NOTHING_WRITTEN);
  if (body.length > MAX_ROWS) refuse([{ row: body[MAX_ROWS].rowNumber, column: '', message: `Tệp có hơn ${MAX_ROWS} dòng; hãy chia thành nhiều tệp.` }], 'legacy_import_invalid', NOTHING_WRITTEN);
  const parsed = body.flatMap((r) => readRow(r.cells, r.rowNumber, columns, issues) ?? []);

  // Whom each row is: a student of this school by the code, the name as a check (a mismatch is an error, never a guess).
  const students = await findStudentsByCode(db, schoolId, [...new Set(parsed.map((p) => p.code))]);
  const byCode = new Map<string, (typeof students)[number]>();
  for (const s of students) {
    for (const code of [s.learner_id, s.temp_code]) if (code && !byCode.has(code)) byCode.set(code, s);
  }
  const codeHeader = columns.find((c) => c.kind === 'code')?.header ?? 'Mã định danh';
  const nameHeader = columns.find((c) => c.kind === 'name')?.header ?? 'Họ và tên';
  const matched: Array<ParsedRow & { studentId: string; fullName: string }> = [];
  const rowOf = new Map<string, number>();
  for (const p of parsed) {
    const s = byCode.get(p.code);
    if (!s) {
      issues.push({ row: p.row, column: codeHeader, message: `trường không có học sinh mã ${p.code}. Hãy kiểm tra mã định danh (hoặc mã tạm của trường); học sinh phải có hồ sơ ở trường trước khi nhập kết quả.` });
      continue;
    }
    const fullName = joinFullName({ familyName: s.family_name, middleName: s.middle_name, givenName: s.given_name });
    if (searchFold(p.name) !== searchFold(fullName)) {
      issues.push({ row: p.row, column: nameHeader, message: `mã ${p.code} là của em ${fullName}, nhưng tệp ghi "${p.name}". Hãy sửa lại họ tên hoặc mã cho đúng học sinh.` });
      continue;
    }
    const key = `${s.id}/${p.write.year}`;
    const earlier = rowOf.get(key);
    if (earlier !== undefined) {
      issues.push({ row: p.row, column: columns.find((c) => c.kind === 'year')?.header ?? 'Năm học', message: `em ${fullName} năm học ${schoolYearLabel(p.write.year)} đã có ở dòng ${earlier}; mỗi học sinh một dòng cho một năm học.` });
      continue;
    }
    rowOf.set(key, p.row);
    matched.push({ ...p, studentId: s.id, fullName });
  }
  issues.sort((a, b) => a.row - b.row);
  if (issues.length > 0) refuse(issues, 'legacy_import_invalid', NOTHING_WRITTEN);

  return db.transaction().execute(async (trx) => {
    const existing = new Map((await findLegacyYears(trx, schoolId, [...new Set(matched.map((m) => m.studentId))])).map((e) => [`${e.student_id}/${e.year}`, e.id]));
    const again = matched.filter((m) => existing.has(`${m.studentId}/${m.write.year}`));
    if (again.length > 0 && !input.replace) {
      const list = again.map((m) => ({
        row: m.row,
        column: columns.find((c) => c.kind === 'year')?.header ?? 'Năm học',
        message: `kết quả năm học ${schoolYearLabel(m.write.year)} của em ${m.fullName} đã được nhập trước đây.`,
      }));
      throw conflict(
        'legacy_import_conflict',
        `Chưa có kết quả nào được ghi: ${list.length} dòng là năm học đã nhập trước đây.\n${issueLines(list)}\nHãy xóa các dòng đó; hoặc, nếu tệp là bản đúng, nhập lại với tùy chọn thay kết quả đã nhập.`,
        { issues: list, schoolYears: [...new Set(again.map((m) => schoolYearLabel(m.write.year)))].sort() },
      );
    }
    await writeLegacyYears(
      trx,
      schoolId,
      caller.actor.userId,
      input.fileName,
      matched.map((m) => ({ ...m.write, id: newId(), studentId: m.studentId })),
      again.map((m) => existing.get(`${m.studentId}/${m.write.year}`) ?? ''),
    );
    await writeAudit(
      trx,
      caller.actor,
      {
        action: 'results.legacy_import',
        entity: 'gradebook',
        entityId: `legacy:${schoolId}`,
        orgUnitId: schoolId,
        targetLabel: 'Kết quả các năm học trước (Thông tư 58/2011)',
        after: { fileName: input.fileName, studentYears: matched.length, replacedYears: again.length, schoolYears: [...new Set(matched.map((m) => schoolYearLabel(m.write.year)))].sort().join(', ') },
      },
      caller.ip,
    );
    return { fileName: input.fileName, imported: matched.length, replaced: again.length };
  });
}
