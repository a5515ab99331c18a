/**
 * The subject pages of the sổ theo dõi và đánh giá học sinh (TT22/2021 annex, THCS and THPT):
 * after the summary sheets, one sheet per subject with every mark of the class's grids — per term
 * the regular marks (ĐĐGtx), the mid-term (ĐĐGgk) and end-of-term (ĐĐGck) marks, then the term
 * average (ĐTBmhk) or, for a comment subject, the term's Đ / CĐ — and the year (ĐTBmcn or Đ / CĐ).
 *
 * The marks are the grids' as they are now (a correction made after the lock shows its new value,
 * as the grid does); the averages and levels are what the principal's close stored, as on the
 * summary sheets, so the book never shows a number the school did not decide. A student exempt
 * from the subject reads "Miễn".
 */
import type ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { formatTenths, joinFullName, requiredRegularAssessments } from '../../../../domain/index.js';
import type { Database, ResultPeriod } from '../../db/schema.js';
import { neutraliseCell } from '../../platform/xlsx-export.js';
import { listClassTermCells } from './class-summary.repo.js';
import { listSubjectResults } from './results.repo.js';

type Db = Kysely<Database>;

export type SummarySubject = { code: string; name: string; periodsPerYear: number; assessmentKind: string };
export type SummaryMember = { id: string; family_name: string; middle_name: string; given_name: string };
type SubjectResult = Awaited<ReturnType<typeof listSubjectResults>>[number];

const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const TERMS = [
  { term: 1, period: 'hk1' as ResultPeriod, label: 'Học kì I' },
  { term: 2, period: 'hk2' as ResultPeriod, label: 'Học kì II' },
];

const passFailText = (p: 'dat' | 'chua_dat' | null) => (p === 'dat' ? 'Đ' : p === 'chua_dat' ? 'CĐ' : '');
/** A stored result as the book writes it: the average with a decimal comma, Đ / CĐ, or "Miễn". */
const resultText = (r: SubjectResult | undefined) => (!r ? '' : r.exempt ? 'Miễn' : r.average_tenths !== null ? formatTenths(r.average_tenths) : passFailText(r.pass_fail));

/**
 * Excel's sheet names: at most 31 characters, none of : \ / ? * [ ], unique in the workbook
 * (two subjects cut to the same 31 characters get a number).
 */
export function sheetNameFor(name: string, taken: ReadonlySet<string>): string {
  const clean = name.replace(/[:\\/?*[\]]/g, ' ').trim();
  let candidate = clean.slice(0, 31);
  for (let n = 2; taken.has(candidate); n++) candidate = `${clean.slice(0, 31 - String(n).length - 1)} ${n}`;
  return candidate;
}

/** Adds one sheet per subject (TT22 classes) to the class's summary workbook. */
export async function addSubjectSheets(
  wb: ExcelJS.Workbook,
  db: Db,
  d: { schoolId: string; classId: string; year: number; schoolName: string; title: string; subjects: SummarySubject[]; members: SummaryMember[] },
): Promise<void> {
  const ids = d.members.map((m) => m.id);
  const [cells, hk1, hk2, cn] = await Promise.all([
    listClassTermCells(db, d.schoolId, d.classId),
    listSubjectResults(db, d.schoolId, d.year, 'hk1', ids),
    listSubjectResults(db, d.schoolId, d.year, 'hk2', ids),
    listSubjectResults(db, d.schoolId, d.year, 'cn', ids),
  ]);
  const cellOf = new Map(cells.map((c) => [`${c.student_id}/${c.subject_code}/${c.term}/${c.column_key}`, c]));
  const resultOf = (rows: SubjectResult[]) => new Map(rows.map((r) => [`${r.student_id}/${r.subject_code}`, r]));
  const results: Record<ResultPeriod, Map<string, SubjectResult>> = { hk1: resultOf(hk1), hk2: resultOf(hk2), cn: resultOf(cn) };
  const taken = new Set(wb.worksheets.map((w) => w.name));

  for (const s of d.subjects) {
    const scored = s.assessmentKind === 'score';
    const regular = requiredRegularAssessments(s.periodsPerYear);
    const keys = [...Array.from({ length: regular }, (_, i) => `tx${i + 1}`), 'gk', 'ck'];
    const markHeaders = [...Array.from({ length: regular }, (_, i) => `TX${i + 1}`), 'GK', 'CK'];
    const termResult = scored ? 'ĐTBmhk' : 'Mức đánh giá';
    const perTerm = keys.length + 1;
    const total = 2 + 2 * perTerm + 1;
    const name = sheetNameFor(s.name, taken);
    taken.add(name);
    const ws = wb.addWorksheet(name, {
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '6:7' },
      views: [{ state: 'frozen', xSplit: 2, ySplit: 7 }],
    });

    ws.mergeCells(1, 1, 1, Math.min(total, 8));
    ws.getCell(1, 1).value = neutraliseCell(d.schoolName.toUpperCase());
    ws.getCell(1, 1).font = { bold: true };
    ws.mergeCells(2, 1, 2, total);
    ws.getCell(2, 1).value = neutraliseCell(`SỔ THEO DÕI VÀ ĐÁNH GIÁ HỌC SINH — MÔN ${s.name.toLocaleUpperCase('vi')}`);
    ws.getCell(2, 1).font = { bold: true, size: 14 };
    ws.mergeCells(3, 1, 3, total);
    ws.getCell(3, 1).value = neutraliseCell(d.title);
    ws.mergeCells(4, 1, 4, total);
    ws.getCell(4, 1).value = scored
      ? 'ĐĐGtx: điểm đánh giá thường xuyên; GK, CK: điểm đánh giá giữa kì, cuối kì; ĐTBmhk, ĐTBmcn: điểm trung bình môn học kì, cả năm (Thông tư 22/2021, Điều 9).'
      : 'Môn đánh giá bằng nhận xét: Đ (Đạt), CĐ (Chưa đạt) (Thông tư 22/2021, Điều 6, 9).';
    ws.getCell(4, 1).font = { italic: true };
    for (const r of [2, 3, 4]) ws.getCell(r, 1).alignment = { horizontal: 'center', wrapText: true };

    // Header rows 6–7: the term groups over their marks; STT, name and the year merged down.
    for (const [i, t] of ['STT', 'Họ và tên'].entries()) {
      ws.mergeCells(6, i + 1, 7, i + 1);
      ws.getCell(6, i + 1).value = t;
    }
    TERMS.forEach((t, i) => {
      const from = 3 + i * perTerm;
      ws.mergeCells(6, from, 6, from + perTerm - 1);
      ws.getCell(6, from).value = t.label;
      [...markHeaders, termResult].forEach((h, k) => (ws.getCell(7, from + k).value = h));
    });
    ws.mergeCells(6, total, 7, total);
    ws.getCell(6, total).value = scored ? 'Cả năm (ĐTBmcn)' : 'Cả năm';
    for (const r of [6, 7]) {
      for (let c = 1; c <= total; c++) {
        const cell = ws.getCell(r, c);
        cell.font = { bold: true };
        cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
        cell.border = BORDER;
      }
    }

    d.members.forEach((m, i) => {
      const row = ws.getRow(8 + i);
      const values: Array<string | number> = [i + 1, joinFullName({ familyName: m.family_name, middleName: m.middle_name, givenName: m.given_name })];
      for (const t of TERMS) {
        const result = results[t.period].get(`${m.id}/${s.code}`);
        for (const k of keys) {
          const c = cellOf.get(`${m.id}/${s.code}/${t.term}/${k}`);
          values.push(result?.exempt ? '' : c ? (c.score_tenths !== null ? formatTenths(c.score_tenths) : passFailText(c.pass_fail)) : '');
        }
        values.push(resultText(result));
      }
      values.push(resultText(results.cn.get(`${m.id}/${s.code}`)));
      values.forEach((v, c) => {
        const cell = row.getCell(c + 1);
        cell.value = typeof v === 'string' ? neutraliseCell(v.normalize('NFC')) : v;
        cell.border = BORDER;
        cell.alignment = { vertical: 'top', horizontal: c === 1 ? 'left' : 'center' };
      });
    });

    ws.getColumn(1).width = 5;
    ws.getColumn(2).width = 26;
    for (let c = 3; c <= total; c++) ws.getColumn(c).width = 6;
    for (const i of [0, 1]) ws.getColumn(2 + (i + 1) * perTerm).width = 9;
    ws.getColumn(total).width = 10;
    const sign = 8 + d.members.length + 2;
    ws.getCell(sign, 2).value = 'GIÁO VIÊN BỘ MÔN';
    ws.getCell(sign + 1, 2).value = '(Kí, ghi rõ họ tên)';
    ws.getCell(sign, 2).font = { bold: true };
    ws.getCell(sign + 1, 2).font = { italic: true };
  }
}
