import type { Kysely } from 'kysely';
import { formatVnDate } from '../../../../domain/index.js';
import type { Database } from '../../db/schema.js';
import { buildXlsx, type XlsxColumn } from '../../platform/xlsx-export.js';
import { type Caller, termDates } from './class-standing.js';
import { listGridStudents, findGradebookClass } from './gradebook.repo.js';
import { getGradebook } from './gradebook.service.js';
import { EXEMPT_TEXT, versionHeader, versionToken } from './gradebook-file.js';

type Row = Awaited<ReturnType<typeof getGradebook>>['rows'][number] & { stt: number; code: string; dob: string };

/**
 * One grid as an .xlsx a teacher can keep, print or fill in offline: STT, name, date of birth and
 * the learner's code (so a filled-in copy matches its students back), every column as the grid
 * writes it (a TT22 grid's marks, or a primary grid's two checkpoints: level, periodic test,
 * comment), and the term summary. A student exempt from the subject this term has "Miễn" in the
 * cells left empty and in the summary, so nobody fills them in. Whoever may read the grid may
 * export it.
 */
export async function exportGradebook(db: Kysely<Database>, caller: Caller, schoolId: string, classId: string, subjectCode: string, term: number) {
  const grid = await getGradebook(db, caller, schoolId, classId, subjectCode, term);
  const cls = await findGradebookClass(db, schoolId, classId);
  const { from, to } = termDates(cls ?? { year: grid.year, term1_start: null, term1_end: null, term2_start: null, term2_end: null }, term);
  const ids = new Map((await listGridStudents(db, schoolId, classId, from, to)).map((s) => [s.id, s]));
  const rows: Row[] = grid.rows.map((r, i) => {
    const s = ids.get(r.studentId);
    return { ...r, stt: i + 1, code: s?.learner_id ?? s?.temp_code ?? '', dob: s ? formatVnDate(s.date_of_birth) : '' };
  });
  const columns: XlsxColumn<Row>[] = [
    { header: 'STT', width: 6, value: (r) => r.stt },
    { header: 'Họ và tên', width: 28, value: (r) => r.fullName },
    { header: 'Ngày sinh', width: 12, value: (r) => r.dob },
    { header: 'Mã học sinh', width: 14, value: (r) => r.code },
    ...grid.columns.map(
      (c): XlsxColumn<Row> => ({ header: c.label, width: c.kind === 'comment' ? 40 : 8, wrap: c.kind === 'comment', value: (r) => r.cells[c.key]?.value ?? (r.exempt ? EXEMPT_TEXT : null) }),
    ),
    { header: grid.assessment === 'score' ? 'ĐTBmhk' : 'Kết quả', width: 14, value: (r) => (r.exempt ? EXEMPT_TEXT : r.summary) },
    { header: versionHeader({ classId, subjectCode, term }), width: 10, hidden: true, value: (r) => versionToken(r.cells) },
  ];
  const termName = term === 1 ? 'HK1' : 'HK2';
  const body = await buildXlsx(`${grid.subjectName} ${grid.className} ${termName}`, columns, rows);
  return { fileName: `So diem ${grid.subjectName} ${grid.className} ${termName} ${grid.year}-${grid.year + 1}.xlsx`, body };
}
