import type { z } from 'zod';
import type { ZStudentListQuery } from '../../../../contracts/students.js';
import { ZStudentList } from '../../../../contracts/students.js';
import { formatVnDate, schoolYearLabel } from '../../../../domain/index.js';
import { type SchoolView, hasAny, schoolView } from '../../platform/access.js';
import { logAccessMany } from '../../platform/access-log.js';
import { PreparedJson } from '../../platform/compression.js';
import { nameSearch } from '../../platform/name-search.js';
import { type PdfColumn, buildPdfTable } from '../../platform/pdf-table.js';
import { dataVersion } from '../../platform/data-version.repo.js';
import { cachePerDb } from '../../platform/versioned-cache.js';
import { type XlsxColumn, buildXlsx } from '../../platform/xlsx-export.js';
import { type ListFilter, type StudentListRow, classNameAndYear, listAll, listPage } from './students-list.repo.js';
import { schoolInfo } from './students.repo.js';
import { type Caller, type Db, FULL_VIEW_ROLES, currentYear } from './students.common.js';
import { fullNameOf, presentListItem } from './students.presenters.js';

// The student list (filter, search, pages) and its two exports, Excel and a printable PDF.

export type StudentListQuery = z.infer<typeof ZStudentListQuery>;

/** Largest export; a school is far below it, the cap only stops a runaway query. */
const EXPORT_MAX_ROWS = 50_000;

const SEX_LABEL = { male: 'Nam', female: 'Nữ' } as const;

async function listFilter(db: Db, caller: Caller, schoolId: string, query: Omit<StudentListQuery, 'page' | 'pageSize'>): Promise<ListFilter | null> {
  // The hot path (a manager's default list) needs no school-year lookup: only a teacher's view
  // (their classes of a year) or an explicit year filter does.
  const fullView = hasAny(caller.roles, FULL_VIEW_ROLES);
  let current: number | undefined;
  let view: SchoolView = { kind: 'full' };
  if (!fullView) {
    current = (await currentYear(db, schoolId)).year;
    view = await schoolView(db, caller.roles, caller.actor, schoolId, query.year ?? current);
  } else if (query.year !== undefined) {
    current = (await currentYear(db, schoolId)).year;
  }
  if (view.kind === 'teacher' && view.classIds.length === 0) return null;
  return {
    schoolId,
    pastYear: query.year !== undefined && query.year !== current ? query.year : undefined,
    year: query.year,
    grade: query.grade,
    classId: query.classId,
    sex: query.sex,
    ethnicityCode: query.ethnicityCode,
    statusCode: query.statusCode,
    includeLeft: query.includeLeft ?? false,
    q: nameSearch(query.q),
    classIds: view.kind === 'teacher' ? view.classIds : null,
  };
}

/**
 * Pages of student lists, per process, valid for one data version of the school (bumped by
 * triggers on student and class): the list is the hottest read of the system. A page is kept as
 * the JSON the API sends, in UTF-8 bytes (and compressed, once per coding asked for), checked
 * against the contract once when it is made, so a hit costs neither a query, a serialisation,
 * an encoding nor a compression.
 */
const listCache = cachePerDb<PreparedJson>(2000);

/**
 * One page of the list as the response body (ZStudentList as JSON). `knownVersion`: the school's
 * data version when the request already read it (with the session).
 */
export async function listStudentsJson(db: Db, caller: Caller, schoolId: string, query: StudentListQuery, knownVersion: number | null = null): Promise<PreparedJson> {
  const { page, pageSize } = query;
  const [filter, version] = await Promise.all([listFilter(db, caller, schoolId, query), knownVersion ?? dataVersion(db, `school:${schoolId}`)]);
  if (!filter) return PreparedJson.of(ZStudentList.parse({ total: 0, page, pageSize, items: [] }));
  // The key holds the whole resolved filter, a teacher's class list included.
  const key = JSON.stringify([filter, page, pageSize]);
  const cache = listCache(db);
  let body = cache.get(key, version);
  if (body === undefined) {
    const { items, total } = await listPage(db, filter, page, pageSize);
    body = PreparedJson.of(ZStudentList.parse({ total, page, pageSize, items: items.map(presentListItem) }));
    cache.set(key, version, body);
  }
  return body;
}

type ExportQuery = Omit<StudentListQuery, 'page' | 'pageSize'>;

/** The rows of a list export (same filter and scope as the list), logged in each student's access log. */
async function exportRows(db: Db, caller: Caller, schoolId: string, query: ExportQuery) {
  const filter = await listFilter(db, caller, schoolId, query);
  const rows = filter ? await listAll(db, filter, EXPORT_MAX_ROWS) : [];
  // A list export hands out personal data of every row: each student's access log gets a line (one statement).
  await logAccessMany(db, caller.actor, schoolId, rows.map((r) => r.id), 'list_export', caller.ip);
  const cls = query.classId ? ((await classNameAndYear(db, schoolId, query.classId)) ?? null) : null;
  return { rows, school: await schoolInfo(db, schoolId), cls };
}

/**
 * The download's name: one class is named after the class and its school year, as a teacher files
 * it ("Danh-sách-lớp-6A1-2025-2026.xlsx"; the header carries the ASCII form too); a wider list
 * after the school.
 */
function exportFileName(cls: { name: string; year: number } | null, schoolName: string | undefined, ext: 'xlsx' | 'pdf'): string {
  if (cls) return `Danh-sách-lớp-${cls.name.trim().replace(/\s+/g, '-')}-${schoolYearLabel(cls.year)}.${ext}`;
  return `Danh sach hoc sinh - ${schoolName ?? 'truong'}.${ext}`;
}

export async function exportStudents(db: Db, caller: Caller, schoolId: string, query: ExportQuery) {
  const { rows, school, cls } = await exportRows(db, caller, schoolId, query);
  let n = 0;
  // Column set of the sector database's student sheet.
  const columns: XlsxColumn<StudentListRow>[] = [
    { header: 'STT', width: 6, value: () => ++n },
    { header: 'Mã định danh', width: 16, value: (r) => r.learner_id ?? r.temp_code },
    { header: 'Họ và tên', width: 28, value: (r) => fullNameOf(r) },
    { header: 'Ngày sinh', width: 12, value: (r) => formatVnDate(r.date_of_birth) },
    { header: 'Giới tính', width: 10, value: (r) => SEX_LABEL[r.sex] },
    { header: 'Dân tộc', width: 12, value: (r) => r.ethnicity_name ?? r.ethnicity_code },
    { header: 'Trạng thái', width: 18, value: (r) => r.status_name ?? r.status_code },
    { header: 'Lớp', width: 8, value: (r) => r.class_name },
    { header: 'Khối', width: 6, value: (r) => r.grade },
    { header: 'Số định danh cá nhân', width: 20, value: (r) => r.citizen_id },
  ];
  const body = await buildXlsx('Học sinh', columns, rows);
  const fileName = exportFileName(cls, school?.name, 'xlsx');
  return { body, fileName };
}

/**
 * The same list as a printable A4 PDF (a class list for the classroom wall, roll call, parents'
 * meeting): names in class-list order, no citizen ids — a printout leaves the building.
 */
export async function exportStudentsPdf(db: Db, caller: Caller, schoolId: string, query: ExportQuery) {
  const { rows, school, cls } = await exportRows(db, caller, schoolId, query);
  const classNames = [...new Set(rows.map((r) => r.class_name).filter((c): c is string => Boolean(c)))];
  const scope = classNames.length === 1 ? `Lớp ${classNames[0]}` : `${rows.length} học sinh`;
  let n = 0;
  const columns: PdfColumn<StudentListRow>[] = [
    // Numbers, dates, classes and ids are sized to their longest value (never split over two lines).
    { header: 'STT', width: 32, align: 'right', nowrap: true, value: () => ++n },
    { header: 'Họ và tên', width: 160, value: (r) => fullNameOf(r) },
    { header: 'Ngày sinh', width: 66, nowrap: true, value: (r) => formatVnDate(r.date_of_birth) },
    { header: 'Giới tính', width: 58, value: (r) => SEX_LABEL[r.sex] },
    { header: 'Dân tộc', width: 60, value: (r) => r.ethnicity_name ?? r.ethnicity_code },
    { header: 'Lớp', width: 40, nowrap: true, value: (r) => r.class_name },
    { header: 'Mã định danh', width: 99, nowrap: true, value: (r) => r.learner_id ?? r.temp_code },
  ];
  const body = await buildPdfTable([`DANH SÁCH HỌC SINH — ${scope}`, school?.name ?? ''], columns, rows);
  const fileName = exportFileName(cls, school?.name, 'pdf');
  return { body, fileName };
}
