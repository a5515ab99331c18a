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
import { writeSheet } from './class-summary-sheet.js';
import { listClassCells } from './gradebook.repo.js';
import { listSubjectResults } from './results.repo.js';

type Db = Kysely<Database>;

export type SummarySubject = { code: string; name: string; periodsPerYear: number; assessmentKind: string };
export type SummaryMember = { id: string; family_name: string; middle_name: string; given_name: string };
type SubjectResult = Awaited<ReturnType<typeof listSubjectResults>>[number];

/** The marks a TT22 subject page shows: up to nine regular marks (TT22 Điều 7 asks 2–4), mid-term, end of term. */
const TT22_MARK_COLUMNS = [...Array.from({ length: 9 }, (_, i) => `tx${i + 1}`), 'gk', 'ck'];
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
    listClassCells(db, d.schoolId, d.classId, TT22_MARK_COLUMNS),
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
    const termColumns = [...keys.map((k) => ({ text: k.toUpperCase(), width: 6 })), { text: scored ? 'ĐTBmhk' : 'Mức đánh giá', width: 9 }];
    const lines = d.members.map((m, i) => {
      const cells: Array<string | number> = [i + 1, joinFullName({ familyName: m.family_name, middleName: m.middle_name, givenName: m.given_name })];
      for (const t of TERMS) {
        const result = results[t.period].get(`${m.id}/${s.code}`);
        for (const k of keys) {
          const c = cellOf.get(`${m.id}/${s.code}/${t.term}/${k}`);
          cells.push(result?.exempt || !c ? '' : c.score_tenths !== null ? formatTenths(c.score_tenths) : passFailText(c.pass_fail));
        }
        cells.push(resultText(result));
      }
      cells.push(resultText(results.cn.get(`${m.id}/${s.code}`)));
      return { cells };
    });
    const name = sheetNameFor(s.name, taken);
    taken.add(name);
    writeSheet(wb, name, {
      schoolName: d.schoolName,
      heading: `SỔ THEO DÕI VÀ ĐÁNH GIÁ HỌC SINH — MÔN ${s.name.toLocaleUpperCase('vi')}`,
      title: d.title,
      status: scored
        ? 'TX: điểm đánh giá thường xuyên; GK, CK: điểm đánh giá giữa kì, cuối kì; ĐTBmhk, ĐTBmcn: điểm trung bình môn học kì, cả năm (Thông tư 22/2021, Điều 9).'
        : 'Môn đánh giá bằng nhận xét: Đ (Đạt), CĐ (Chưa đạt) (Thông tư 22/2021, Điều 6, 9).',
      header: [
        { text: 'STT', width: 5 },
        { text: 'Họ và tên', width: 26 },
        ...TERMS.map((t) => ({ text: t.label, sub: termColumns })),
        { text: scored ? 'Cả năm (ĐTBmcn)' : 'Cả năm', width: 10 },
      ],
      lines,
      lastIsNotes: false,
      signers: ['GIÁO VIÊN BỘ MÔN'],
    });
  }
}
