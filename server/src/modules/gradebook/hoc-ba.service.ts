import type { Kysely } from 'kysely';
import {
  AWARD_LABELS,
  LEVEL_LABELS,
  PRIMARY_AWARD_LABELS,
  PROMOTION_LABELS,
  QUALITY_CODES,
  formatEnteredMark,
  formatTenths,
  gradeCompletion,
  formatVnDate,
  isoToday,
  joinFullName,
  recordedAwardText,
  ruleSetFor,
  type YearCommentTopic,
  schoolYearLabel,
} from '../../../../domain/index.js';
import { codeListName } from '../../db/reference-data.js';
import type { Database } from '../../db/schema.js';
import { AppError, badRequest, notFound } from '../../platform/errors.js';
import { type PdfSignInfo, openSigner, signPdf, signPdfWith } from '../../platform/pdf-sign.js';
import { type Caller, classWithStanding } from './class-standing.js';
import { type HocBaBook, type HocBaSubject, type HocBaYear, type PrimaryHocBaSubject, type PrimaryHocBaYear, renderBook } from './hoc-ba-pdf.js';
import { listStudentRecordedAwards, listStudentYearComments } from './primary-awards.repo.js';
import { findHocBaStudent, findPrincipalName, listBatchStudents, listHocBaYears, listStudentSubjectResults, listStudentSummers, listYearComments, listYearTeachers, unitNamesUp } from './hoc-ba.repo.js';

type Db = Kysely<Database>;
const RELATION: Record<string, string> = { father: 'Cha', mother: 'Mẹ', guardian: 'Người giám hộ' };
const name = (p: { family_name: string | null; middle_name: string | null; given_name: string | null } | undefined) =>
  p ? joinFullName({ familyName: p.family_name ?? '', middleName: p.middle_name ?? '', givenName: p.given_name ?? '' }) : '';

/**
 * The học bạ of one student (TT22 annex layout, or TT27's for a primary pupil) from the results
 * the school closed: one page per school year with a year close; a year without one is not
 * printed (nothing is guessed). The school's managers and the class's homeroom teacher produce it.
 */
export async function hocBaBook(db: Db, caller: Caller, schoolId: string, studentId: string, level?: HocBaLevel): Promise<HocBaBook> {
  const student = await findHocBaStudent(db, schoolId, studentId);
  if (!student?.current_class_id) throw notFound('Không tìm thấy học sinh.');
  const { standing } = await classWithStanding(db, caller, schoolId, student.current_class_id);
  if (!standing.manager && !standing.homeroom) throw notFound('Không tìm thấy học sinh.');
  return buildHocBaBook(db, schoolId, student, undefined, level);
}

/** Which of a student's books: the primary (TT27) or the secondary (TT22) one; none given, the latest closed year's. */
export type HocBaLevel = 'primary' | 'secondary';

/** The book of a student the caller was found to reach (a batch job checked its class when it was queued). */
type Teacher = Awaited<ReturnType<typeof listYearTeachers>>[number];

/**
 * What every book of one school shares — the names up the org tree, the principal, who taught each
 * class — read once for a batch instead of once per book (a school's batch is a thousand books).
 */
export type HocBaShared = {
  units: ReturnType<typeof unitNamesUp>;
  principal: ReturnType<typeof findPrincipalName>;
  teachersOf: (classIds: string[]) => Promise<Teacher[]>;
};

export function hocBaShared(db: Db, schoolId: string): HocBaShared {
  const byClass = new Map<string, Promise<Teacher[]>>();
  const teachersOfClass = (classId: string) => {
    let teachers = byClass.get(classId);
    if (!teachers) {
      teachers = listYearTeachers(db, schoolId, [classId]);
      byClass.set(classId, teachers);
    }
    return teachers;
  };
  return {
    units: unitNamesUp(db, schoolId, isoToday()),
    principal: findPrincipalName(db, schoolId),
    teachersOf: async (classIds) => (await Promise.all(classIds.map(teachersOfClass))).flat(),
  };
}

type HocBaStudentRow = NonNullable<Awaited<ReturnType<typeof findHocBaStudent>>>;
type YearRow = Awaited<ReturnType<typeof listHocBaYears>>[number];
type SubjectRow = Awaited<ReturnType<typeof listStudentSubjectResults>>[number];
/** What a year's page has whichever the layout: its closed row, the class, who signs. */
type YearPage = Pick<HocBaYear, 'schoolYear' | 'className' | 'homeroomComment' | 'homeroomTeacher' | 'principal'> & { cn: YearRow | undefined };

/**
 * A student's book from the results the school closed, in the layout of the rule set of their
 * grade (rule-sets.ts): the latest closed year decides which book (a school with both levels
 * prints a pupil's primary book until they leave grade 5, then their THCS book), and the book
 * holds that level's years only — on paper these are two different books.
 */
export async function buildHocBaBook(db: Db, schoolId: string, student: HocBaStudentRow, shared: HocBaShared = hocBaShared(db, schoolId), bookLevel?: HocBaLevel): Promise<HocBaBook> {
  const studentId = student.id;
  const [periods, subjects, units, principal] = await Promise.all([
    listHocBaYears(db, schoolId, studentId),
    listStudentSubjectResults(db, schoolId, studentId),
    shared.units,
    shared.principal,
  ]);
  const closed = periods.filter((p) => p.period === 'cn');
  const latest = closed.at(-1);
  if (!latest) {
    throw new AppError(422, 'hoc_ba_no_year_closed', 'Học bạ: học sinh chưa có năm học nào được tổng hợp kết quả cả năm; hiệu trưởng tổng hợp cả năm trước rồi mới in học bạ.');
  }
  const isPrimary = (p: YearRow) => ruleSetFor(p.year, p.grade) === 'tt27_2020';
  // A pupil whose closed years span both levels has two books; `bookLevel` asks for the other one.
  const primary = bookLevel ? bookLevel === 'primary' : isPrimary(latest);
  const ofBook = periods.filter((p) => isPrimary(p) === primary);
  if (!ofBook.some((p) => p.period === 'cn')) {
    throw new AppError(
      422,
      'hoc_ba_no_year_closed',
      `Học bạ ${primary ? 'tiểu học' : 'trung học'}: học sinh chưa có năm học nào ở cấp này được tổng hợp kết quả cả năm.`,
    );
  }
  // Read once the layout is known: its comment column (the index of each is partial), and for a
  // secondary book who taught and what came of the summers (a primary book prints neither).
  const comments = listYearComments(db, schoolId, studentId, primary ? 'ck_nx' : 'nx');
  const schoolName = units[0]?.name ?? '';
  const province = units.find((u) => u.kind === 'province_office')?.name ?? '';
  const place = units.find((u) => u.kind === 'commune_office')?.name ?? province;
  const front = {
    registerNumber: student.register_number ?? '',
    school: { name: schoolName, province },
    student: {
      fullName: name(student),
      dateOfBirth: formatVnDate(student.date_of_birth),
      sex: student.sex === 'male' ? 'Nam' : 'Nữ',
      ethnicity: codeListName('DM_DAN_TOC', student.ethnicity_code) ?? '',
      placeOfBirth: student.birthplace ?? '',
      address: student.address ?? '',
      learnerId: student.learner_id ?? student.temp_code ?? undefined,
      guardians: student.guardians.map((g) => ({ relation: RELATION[g.relation] ?? g.relation, name: g.full_name, occupation: g.occupation ?? undefined })),
    },
  };
  // What every year's page signs with, and the year's closed row.
  const closedYears = [...new Set(ofBook.filter((p) => p.period === 'cn').map((p) => p.year))];
  const yearPage = (year: number): YearPage => {
    const cn = ofBook.find((p) => p.year === year && p.period === 'cn');
    return {
      cn,
      schoolYear: schoolYearLabel(year),
      className: cn?.class_name ?? '',
      homeroomComment: '',
      homeroomTeacher: cn ? name({ family_name: cn.hr_family, middle_name: cn.hr_middle, given_name: cn.hr_given }) : '',
      principal: { place, date: formatVnDate(isoToday()), name: name(principal) },
    };
  };
  const subjectsOf = (year: number) =>
    [...new Map(subjects.filter((s) => s.year === year).map((s) => [s.subject_code, s])).values()].sort((a, b) => a.sort_order - b.sort_order);
  const commentIn = (rows: Awaited<typeof comments>) => (year: number, code: string) => rows.find((c) => c.year === year && c.subject_code === code)?.comment ?? undefined;

  if (primary) {
    const [commentRows, teacherComments, awards] = await Promise.all([comments, listStudentYearComments(db, schoolId, studentId), listStudentRecordedAwards(db, schoolId, studentId)]);
    const commentOf = commentIn(commentRows);
    return {
      layout: 'tt27',
      data: {
        ...front,
        years: closedYears.map((year) => {
          const page = yearPage(year);
          // The homeroom teacher's comments of the year's class (a pupil moved within the year: those of any class of it).
          const own = teacherComments.filter((c) => c.year === year);
          const ofClass = own.some((c) => c.class_id === page.cn?.class_id) ? own.filter((c) => c.class_id === page.cn?.class_id) : own;
          const teacherOn = (topic: YearCommentTopic) => ofClass.find((c) => c.topic === topic)?.comment ?? undefined;
          const recorded = awards.filter((a) => a.year === year).map((a) => recordedAwardText(a.kind, a.achievement));
          return primaryYear({ ...page, homeroomComment: teacherOn('overall') ?? '' }, subjectsOf(year), subjects, (code) => commentOf(year, code), {
            qualityComments: { pham_chat: teacherOn('pham_chat'), nang_luc_chung: teacherOn('nang_luc_chung'), nang_luc_dac_thu: teacherOn('nang_luc_dac_thu') },
            awards: recorded,
          });
        }),
      },
    };
  }
  const [commentRows, teachers, summers] = await Promise.all([comments, shared.teachersOf([...new Set(ofBook.map((p) => p.class_id))]), listStudentSummers(db, schoolId, studentId)]);
  const commentOf = commentIn(commentRows);

  // "Điểm hoặc mức đánh giá lại" beside the subject, and "Kết quả kiểm tra lại / rèn luyện trong kì nghỉ hè" (Điều 13–14).
  const retestOf = (year: number, code: string) => {
    const r = summers.retests.find((x) => x.year === year && x.subject_code === code);
    if (!r) return undefined;
    return r.score_tenths !== null ? formatTenths(r.score_tenths) : r.pass_fail === 'dat' ? 'Đ' : 'CĐ';
  };
  const summerOf = (year: number) => summers.results.find((x) => x.year === year && x.promotion !== null)?.detail ?? undefined;
  const grade = ofBook.find((p) => p.period === 'cn')?.grade ?? 6;
  const cell = (year: number, period: string, code: string) => {
    const r = subjects.find((s) => s.year === year && s.period === period && s.subject_code === code);
    if (!r) return '';
    if (r.exempt) return 'Miễn';
    if (r.average_tenths !== null) return formatTenths(r.average_tenths);
    return r.pass_fail === 'dat' ? 'Đ' : r.pass_fail === 'chua_dat' ? 'CĐ' : '';
  };
  const level = (year: number, period: string, field: 'learning' | 'training') => {
    const v = ofBook.find((p) => p.year === year && p.period === period)?.[field];
    return v ? LEVEL_LABELS[v] : '';
  };

  const bookYears: HocBaYear[] = closedYears.map((year) => {
    const { cn, ...page } = yearPage(year);
    const classId = cn?.class_id ?? '';
    const rows: HocBaSubject[] = subjectsOf(year).map((s) => {
      const t = teachers.filter((a) => a.class_id === classId && a.subject_code === s.subject_code).sort((a, b) => b.term - a.term)[0];
      return {
        name: s.name,
        term1: cell(year, 'hk1', s.subject_code),
        term2: cell(year, 'hk2', s.subject_code),
        year: cell(year, 'cn', s.subject_code),
        retest: retestOf(year, s.subject_code),
        comment: commentOf(year, s.subject_code),
        teacher: t ? name(t) : undefined,
      };
    });
    return {
      ...page,
      subjects: rows,
      learning: { term1: level(year, 'hk1', 'learning'), term2: level(year, 'hk2', 'learning'), year: level(year, 'cn', 'learning') },
      training: { term1: level(year, 'hk1', 'training'), term2: level(year, 'hk2', 'training'), year: level(year, 'cn', 'training') },
      sessionsAbsent: cn?.sessions_absent ?? 0,
      promotion: {
        decision: cn?.promotion ? PROMOTION_LABELS[cn.promotion] : '',
        result: cn?.promotion === 'retest' || cn?.promotion === 'summer_training' ? (summerOf(year) ?? cn.promotion_detail ?? undefined) : (cn?.promotion_detail ?? undefined),
      },
      award: cn?.award ? AWARD_LABELS[cn.award] : undefined,
    };
  });

  return { layout: 'tt22', data: { level: grade >= 10 ? 'thpt' : 'thcs', ...front, years: bookYears } };
}

const QUALITY_CODE_SET = new Set<string>(QUALITY_CODES);

/**
 * A primary year's page (TT27/2020) from its year close as stored: each subject's end-of-year
 * level and periodic test, the end-of-year comment from the grid, the qualities and competencies
 * rated at the end of the year, the outcome (Điều 9), completion (Điều 11) and award (Điều 13).
 * A record the close found incomplete prints empty cells, never a guessed level.
 */
function primaryYear(
  page: YearPage,
  yearSubjects: SubjectRow[],
  all: SubjectRow[],
  commentOf: (code: string) => string | undefined,
  teacher: { qualityComments: PrimaryHocBaYear['qualityComments']; awards: string[] },
): PrimaryHocBaYear {
  const { cn, ...rest } = page;
  const atYearEnd = (code: string) => all.find((s) => s.year === cn?.year && s.period === 'cn' && s.subject_code === code);
  const subjects: PrimaryHocBaSubject[] = yearSubjects.map((s) => {
    const r = atYearEnd(s.subject_code);
    return {
      name: s.name,
      level: r?.exempt ? 'exempt' : (r?.subject_level ?? null),
      testScore: r?.test_tenths != null ? formatEnteredMark(r.test_tenths) : null,
      comment: commentOf(s.subject_code),
    };
  });
  const stored = (cn?.qualities ?? {}) as Record<string, string | null>;
  const qualities = Object.fromEntries(Object.entries(stored).filter(([code, level]) => QUALITY_CODE_SET.has(code) && level)) as PrimaryHocBaYear['qualities'];
  const outcome = cn?.primary_outcome ?? null;
  return {
    ...rest,
    subjects,
    qualities,
    outcome,
    completion: outcome && cn ? gradeCompletion(cn.grade, outcome).label : '',
    qualityComments: teacher.qualityComments,
    // Học sinh Xuất sắc from the close, then what the principal recorded (Học sinh Tiêu biểu, ad-hoc awards).
    award: [...(cn?.award ? [PRIMARY_AWARD_LABELS.hoc_sinh_xuat_sac] : []), ...teacher.awards].join('; ') || undefined,
    sessionsAbsent: cn?.sessions_absent ?? 0,
  };
}

/** A file name a school's computer opens: the person's name as written, without the characters file systems refuse. */
const fileSafe = (s: string) =>
  [...s]
    .map((ch) => (ch < ' ' || '\\/:*?"<>|'.includes(ch) ? ' ' : ch))
    .join('')
    .replace(/\s+/g, ' ')
    .trim() || 'hoc-sinh';

type BookOwner = { id: string; family_name: string; middle_name: string; given_name: string; learner_id: string | null; class_name: string };

/**
 * The files of a batch of books, "6A1/Nguyễn Văn An.pdf": two students of one class with the same
 * name get their learner id in the second file's name.
 */
export function bookFileNames() {
  const used = new Set<string>();
  return (s: BookOwner) => {
    const fullName = fileSafe(joinFullName({ familyName: s.family_name, middleName: s.middle_name, givenName: s.given_name }));
    let file = `${fileSafe(s.class_name)}/${fullName}.pdf`;
    if (used.has(file)) file = `${fileSafe(s.class_name)}/${fullName} ${s.learner_id ?? s.id.slice(0, 8)}.pdf`;
    used.add(file);
    return file;
  };
}

export async function hocBaPdf(db: Db, caller: Caller, schoolId: string, studentId: string, level?: HocBaLevel) {
  const book = await hocBaBook(db, caller, schoolId, studentId, level);
  return { fileName: `Hoc ba ${book.data.student.fullName}.pdf`, body: await renderBook(book) };
}

/**
 * The học bạ signed with the school's certificate (PKCS#12), by the principal. The certificate
 * and its passphrase come with the request and are not kept: the server never stores a key.
 */
export async function signedHocBaPdf(db: Db, caller: Caller, schoolId: string, studentId: string, p12: Buffer, passphrase: string, level?: HocBaLevel) {
  if (!caller.roles.has('principal')) throw new AppError(403, 'sign_not_principal', 'Chỉ hiệu trưởng kí học bạ.');
  const book = await hocBaBook(db, caller, schoolId, studentId, level);
  const { data } = book;
  const info: PdfSignInfo = { reason: 'Xác nhận học bạ', name: caller.actor.displayName, location: data.years.at(-1)?.principal.place || data.school.name };
  return { fileName: `Hoc ba ${data.student.fullName} (da ki).pdf`, body: signPdf(await renderBook(book), p12, passphrase, info) };
}

/** A class is signed in one request (the key cannot wait in the job queue); a school's classes one by one. */
export const MAX_SIGNED_BOOKS = 80;

/**
 * Every học bạ of a class signed with the school's certificate, by the principal, as the files of a
 * .zip: the certificate is opened once and not kept, so this runs in the request (a class of 45
 * takes a few seconds) rather than as a job whose parameters are stored. Students without a year
 * close are left out and named.
 */
export async function signedClassHocBa(db: Db, caller: Caller, schoolId: string, classId: string, p12: Buffer, passphrase: string) {
  if (!caller.roles.has('principal')) throw new AppError(403, 'sign_not_principal', 'Chỉ hiệu trưởng kí học bạ.');
  const { cls, standing } = await classWithStanding(db, caller, schoolId, classId);
  if (!standing.principal) throw new AppError(403, 'sign_not_principal', 'Chỉ hiệu trưởng kí học bạ.');
  const signer = openSigner(p12, passphrase);
  const students = await listBatchStudents(db, schoolId, classId);
  const printable = students.filter((s) => s.has_year);
  if (printable.length === 0) {
    throw new AppError(422, 'hoc_ba_no_year_closed', `Học bạ lớp ${cls.name}: chưa học sinh nào có năm học được tổng hợp kết quả cả năm; hiệu trưởng tổng hợp cả năm trước rồi mới kí.`);
  }
  if (printable.length > MAX_SIGNED_BOOKS) throw badRequest('class_too_large', `Lớp ${cls.name} có ${printable.length} học bạ; mỗi lần kí tối đa ${MAX_SIGNED_BOOKS}.`);
  const shared = hocBaShared(db, schoolId);
  const fileOf = bookFileNames();
  const signingTime = new Date();
  const files: { name: string; body: Buffer }[] = [];
  for (const s of printable) {
    const student = await findHocBaStudent(db, schoolId, s.id);
    if (!student) continue;
    const book = await buildHocBaBook(db, schoolId, student, shared);
    const { data } = book;
    const info: PdfSignInfo = { reason: 'Xác nhận học bạ', name: caller.actor.displayName, location: data.years.at(-1)?.principal.place || data.school.name, signingTime };
    files.push({ name: fileOf(s), body: signPdfWith(await renderBook(book), signer, info) });
  }
  const left = students.filter((s) => !s.has_year).map((s) => joinFullName({ familyName: s.family_name, middleName: s.middle_name, givenName: s.given_name }));
  return { fileName: `Hoc ba lop ${fileSafe(cls.name)} (da ki).zip`, files, left };
}
