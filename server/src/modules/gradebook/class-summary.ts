/**
 * "Sổ theo dõi và đánh giá học sinh (theo lớp)" as an .xlsx, laid out like the TT22/2021 annex for
 * THCS and THPT: one sheet per term and one for the year; students (class-list order) down,
 * subjects across with the term's (or the year's) average or Đ / CĐ, then the learning and training
 * results, absences, and for the year promotion, re-test subjects, summer training and award; then
 * a sheet per subject with every mark of both terms (class-summary-subjects.ts).
 *
 * Everything comes from what the principal's close stored (student_result, subject_result), never
 * recomputed here: the book shows what the school decided, and a period not yet closed says so.
 *
 * Marks are written as text with a decimal comma ("8,3"), as the grid, the grid's export and the
 * học bạ write them: a number cell with a "0.0" format shows "8.3" on a computer set to English,
 * and a teacher prints this book, not sums it.
 */
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { AWARD_LABELS, INCOMPLETE_LABEL, LEVEL_LABELS, PROMOTION_LABELS, formatTenths, formatVnDate, joinFullName, schoolYearLabel } from '../../../../domain/index.js';
import type { Database, ResultPeriod } from '../../db/schema.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { neutraliseCell } from '../../platform/xlsx-export.js';
import { type Caller, classWithStanding, readsResults, termDates } from './class-standing.js';
import { type SummarySubject, addSubjectSheets } from './class-summary-subjects.js';
import { listGridStudents, listTaughtSubjects } from './gradebook.repo.js';
import { unitNamesUp } from './hoc-ba.repo.js';
import { listClassStudentResults, listSubjectResults } from './results.repo.js';
import { listSummerResults } from './summer.repo.js';

type Db = Kysely<Database>;

const PERIODS: Array<{ period: ResultPeriod; sheet: string; terms: number[]; averageHeader: string }> = [
  { period: 'hk1', sheet: 'Học kì I', terms: [1], averageHeader: 'Điểm trung bình môn học kì (ĐTBmhk) hoặc mức đánh giá' },
  { period: 'hk2', sheet: 'Học kì II', terms: [2], averageHeader: 'Điểm trung bình môn học kì (ĐTBmhk) hoặc mức đánh giá' },
  { period: 'cn', sheet: 'Cả năm', terms: [1, 2], averageHeader: 'Điểm trung bình môn cả năm (ĐTBmcn) hoặc mức đánh giá' },
];

type Subject = Pick<SummarySubject, 'code' | 'name'>;
type Line = { cells: Array<string | number | null> };

/** Who reads it: the school's managers, the class's homeroom teacher and the offices above (as for the class's results). */
export async function classSummaryXlsx(db: Db, caller: Caller, schoolId: string, classId: string, year: number) {
  const { cls, assignments, standing } = await classWithStanding(db, caller, schoolId, classId);
  if (!readsResults(standing)) throw notFound('Không tìm thấy kết quả của lớp này.');
  if (year !== cls.year) {
    throw badRequest('year_mismatch', `Năm học: lớp ${cls.name} học năm học ${schoolYearLabel(cls.year)}, không phải ${schoolYearLabel(year)}.`);
  }
  const assigned = new Set(assignments.map((a) => a.subject_code));
  // An elective counts for a class only when the class has a teacher for it (as in the close).
  const subjects: SummarySubject[] = (await listTaughtSubjects(db, schoolId, cls.year, cls.grade)).filter((s) => s.assessmentKind !== 'mixed' && (!s.isElective || assigned.has(s.code)));
  const yearEnd = termDates(cls, 2).to;
  const [school] = await unitNamesUp(db, schoolId, yearEnd);

  const wb = new ExcelJS.Workbook();
  wb.creator = 'Trường Số';
  for (const p of PERIODS) {
    const span = { from: termDates(cls, p.terms[0]).from, to: termDates(cls, p.terms[p.terms.length - 1]).to };
    const members = (await listGridStudents(db, schoolId, classId, span.from, span.to)).filter((s, i, all) => all.findIndex((x) => x.id === s.id) === i);
    const ids = members.map((m) => m.id);
    const [stored, subjectResults, summer] = await Promise.all([
      listClassStudentResults(db, schoolId, classId, cls.year, p.period),
      listSubjectResults(db, schoolId, cls.year, p.period, ids),
      p.period === 'cn' ? listSummerResults(db, schoolId, cls.year, ids) : Promise.resolve([]),
    ]);
    // What came of the re-test or summer training, once the principal classified again (a note beside the year).
    const afterSummerOf = new Map(summer.flatMap((x) => (x.promotion && x.detail ? [[x.student_id, x.detail] as const] : [])));
    const resultOf = new Map(stored.map((r) => [r.student_id, r]));
    const markOf = new Map(subjectResults.map((r) => [`${r.student_id}/${r.subject_code}`, r]));
    const computedAt = stored.reduce<Date | null>((t, r) => (!t || r.computed_at > t ? r.computed_at : t), null);
    const isYear = p.period === 'cn';

    const lines: Line[] = members.map((m, i) => {
      const r = resultOf.get(m.id);
      const marks = subjects.map((s) => {
        const x = markOf.get(`${m.id}/${s.code}`);
        if (!r || !x) return '';
        if (x.exempt) return 'Miễn';
        if (x.average_tenths !== null) return formatTenths(x.average_tenths);
        return x.pass_fail === 'dat' ? 'Đ' : x.pass_fail === 'chua_dat' ? 'CĐ' : '';
      });
      const missing = Array.isArray(r?.missing) ? (r.missing as string[]) : [];
      const notes = [
        ...(r?.learning_adjusted_from && r.learning ? [`Học tập điều chỉnh từ ${LEVEL_LABELS[r.learning_adjusted_from]} lên ${LEVEL_LABELS[r.learning]} (Điều 9 khoản 3)`] : []),
        ...(r?.promotion === 'retained' && r.promotion_detail ? [r.promotion_detail] : []),
        ...((r?.promotion === 'retest' || r?.promotion === 'summer_training') && afterSummerOf.has(m.id) ? [`Sau kì nghỉ hè: ${afterSummerOf.get(m.id)}`] : []),
        ...missing,
        ...(!r ? ['Không có kết quả của lớp này trong kì (chưa tổng hợp, hoặc học sinh đã chuyển lớp)'] : []),
      ];
      const absentExcused = r?.sessions_absent_excused ?? null;
      const absentUnexcused = r ? r.sessions_absent - r.sessions_absent_excused : null;
      return {
        cells: [
          i + 1,
          joinFullName({ familyName: m.family_name, middleName: m.middle_name, givenName: m.given_name }),
          formatVnDate(m.date_of_birth),
          ...marks,
          r ? (r.learning ? LEVEL_LABELS[r.learning] : INCOMPLETE_LABEL) : '',
          r?.training ? LEVEL_LABELS[r.training] : '',
          absentExcused,
          absentUnexcused,
          ...(isYear
            ? [
                r?.promotion ? PROMOTION_LABELS[r.promotion] : '',
                r && (r.promotion === 'retest' || r.promotion === 'summer_training') ? (r.promotion_detail ?? '') : '',
                r?.promotion === 'summer_training' ? 'Có' : '',
                r?.award ? AWARD_LABELS[r.award] : '',
              ]
            : []),
          notes.join('; '),
        ],
      };
    });
    writeSheet(wb, p, {
      schoolName: school?.name ?? '',
      title: `Lớp ${cls.name} — Năm học ${schoolYearLabel(cls.year)} — ${p.sheet}`,
      status: computedAt
        ? `Kết quả do hiệu trưởng tổng hợp lúc ${formatVnDate(computedAt.toISOString().slice(0, 10))}.`
        : `Chưa tổng hợp kết quả ${p.sheet.toLowerCase()}: các cột kết quả để trống cho đến khi hiệu trưởng tổng hợp.`,
      subjects,
      withYear: isYear,
      lines,
    });
  }
  const yearMembers = (await listGridStudents(db, schoolId, classId, termDates(cls, 1).from, yearEnd)).filter((s, i, all) => all.findIndex((x) => x.id === s.id) === i);
  await addSubjectSheets(wb, db, { schoolId, classId, year: cls.year, schoolName: school?.name ?? '', title: `Lớp ${cls.name} — Năm học ${schoolYearLabel(cls.year)}`, subjects, members: yearMembers });
  const body = Buffer.from(await wb.xlsx.writeBuffer());
  return { fileName: `Sổ theo dõi và đánh giá học sinh ${cls.name} ${schoolYearLabel(cls.year)}.xlsx`, body };
}

const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** One sheet: title lines, a two-row header (groups over subjects and absences), a row per student, the signatures. */
function writeSheet(
  wb: ExcelJS.Workbook,
  p: (typeof PERIODS)[number],
  d: { schoolName: string; title: string; status: string; subjects: Subject[]; withYear: boolean; lines: Line[] },
) {
  const ws = wb.addWorksheet(p.sheet, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '6:7' },
    views: [{ state: 'frozen', xSplit: 2, ySplit: 7 }],
  });
  const fixed = ['STT', 'Họ và tên', 'Ngày sinh'];
  const results = ['Kết quả học tập', 'Kết quả rèn luyện'];
  const yearCols = d.withYear ? ['Lên lớp / Ở lại lớp', 'Kiểm tra lại các môn', 'Rèn luyện trong hè', 'Khen thưởng'] : [];
  const firstSubject = fixed.length + 1;
  const afterSubjects = firstSubject + d.subjects.length;
  const absentAt = afterSubjects + results.length;
  const total = absentAt + 2 + yearCols.length + 1;

  ws.mergeCells(1, 1, 1, Math.min(total, 8));
  ws.getCell(1, 1).value = neutraliseCell(d.schoolName.toUpperCase());
  ws.getCell(1, 1).font = { bold: true };
  ws.mergeCells(2, 1, 2, total);
  ws.getCell(2, 1).value = 'SỔ THEO DÕI VÀ ĐÁNH GIÁ HỌC SINH';
  ws.getCell(2, 1).font = { bold: true, size: 14 };
  ws.mergeCells(3, 1, 3, total);
  ws.getCell(3, 1).value = neutraliseCell(d.title);
  ws.mergeCells(4, 1, 4, total);
  ws.getCell(4, 1).value = d.status;
  ws.getCell(4, 1).font = { italic: true };
  for (const r of [2, 3, 4]) ws.getCell(r, 1).alignment = { horizontal: 'center' };

  // Header: rows 6–7; a column without a second row is merged down.
  const head = (col: number, text: string, span = 1) => {
    if (span > 1) ws.mergeCells(6, col, 6, col + span - 1);
    ws.getCell(6, col).value = text;
  };
  const down = (col: number, text: string) => {
    ws.mergeCells(6, col, 7, col);
    ws.getCell(6, col).value = text;
  };
  fixed.forEach((t, i) => down(i + 1, t));
  if (d.subjects.length > 0) head(firstSubject, p.averageHeader, d.subjects.length);
  d.subjects.forEach((s, i) => (ws.getCell(7, firstSubject + i).value = s.name));
  results.forEach((t, i) => down(afterSubjects + i, t));
  head(absentAt, 'Số buổi nghỉ học', 2);
  ws.getCell(7, absentAt).value = 'Có phép';
  ws.getCell(7, absentAt + 1).value = 'Không phép';
  yearCols.forEach((t, i) => down(absentAt + 2 + i, t));
  down(total, 'Ghi chú');
  for (const r of [6, 7]) {
    for (let c = 1; c <= total; c++) {
      const cell = ws.getCell(r, c);
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = BORDER;
    }
  }
  ws.getRow(6).height = 32;
  ws.getRow(7).height = 48;

  d.lines.forEach((line, i) => {
    const row = ws.getRow(8 + i);
    line.cells.forEach((v, c) => {
      const cell = row.getCell(c + 1);
      cell.value = typeof v === 'string' ? neutraliseCell(v.normalize('NFC')) : v;
      cell.border = BORDER;
      cell.alignment = { vertical: 'top', wrapText: c === 1 || c === total - 1, horizontal: c === 1 || c === total - 1 ? 'left' : 'center' };
    });
  });

  ws.getColumn(1).width = 5;
  ws.getColumn(2).width = 26;
  ws.getColumn(3).width = 11;
  for (let c = firstSubject; c < afterSubjects; c++) ws.getColumn(c).width = 7;
  for (let c = afterSubjects; c < total; c++) ws.getColumn(c).width = 11;
  ws.getColumn(total).width = 36;

  const sign = 8 + d.lines.length + 2;
  ws.getCell(sign, 2).value = 'GIÁO VIÊN CHỦ NHIỆM';
  ws.getCell(sign + 1, 2).value = '(Kí, ghi rõ họ tên)';
  const right = Math.max(afterSubjects, total - 3);
  ws.getCell(sign, right).value = 'HIỆU TRƯỞNG';
  ws.getCell(sign + 1, right).value = '(Kí, ghi rõ họ tên, đóng dấu)';
  for (const c of [2, right]) {
    ws.getCell(sign, c).font = { bold: true };
    ws.getCell(sign + 1, c).font = { italic: true };
  }
}
