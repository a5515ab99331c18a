import type { Kysely } from 'kysely';
import type { TQualityRatings, TQualityTransition, TSaveQualityRatings, TSaveQualityRatingsResult, TSaveYearComments, TSaveYearCommentsResult } from '../../../../contracts/gradebook.js';
import {
  CHECKPOINT_LABELS,
  DEFAULT_TT27_OPTIONS,
  QUALITIES_AND_COMPETENCIES,
  QUALITY_GROUP_LABELS,
  QUALITY_LEVEL_LABELS,
  YEAR_COMMENT_TOPICS,
  YEAR_COMMENT_TOPIC_LABELS,
  gridPlaceOf,
  joinFullName,
  parseQualityLevel,
  qualityLabel,
  schoolYearLabel,
  type Checkpoint,
  type QualityCode,
} from '../../../../domain/index.js';
import type { Database, QualityLevelValue } from '../../db/schema.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, badRequest, conflict } from '../../platform/errors.js';
import { type Caller, type Standing, primaryClassWithStanding, termDates } from './class-standing.js';
import { listGridStudents } from './gradebook.repo.js';
import {
  type QualityKey,
  type QualityWrite,
  type YearCommentWrite,
  findQualityState,
  listQualityRatings,
  listClassYearComments,
  lockQualityState,
  setQualityState,
  writeQualityRatings,
  writeYearComments,
} from './qualities.repo.js';

type Db = Kysely<Database>;

const STATE_LABELS = { open: 'Đang đánh giá', locked: 'Đã khóa' } as const;
const inSentence = (c: Checkpoint) => CHECKPOINT_LABELS[c].charAt(0).toLocaleLowerCase('vi') + CHECKPOINT_LABELS[c].slice(1);

/**
 * The class (primary only), the caller's standing and the students of the checkpoint's term.
 * Read: the school's managers, the class's homeroom teacher and the offices above (as a class's
 * results; their routes' permissions keep the offices to reading); 404 for
 * anyone else, so a class's existence is not confirmed to a stranger.
 */
async function loadSheet(db: Db, caller: Caller, schoolId: string, classId: string, checkpoint: Checkpoint, authorize?: (s: Standing, className: string) => void) {
  const { cls, standing } = await primaryClassWithStanding(db, caller, schoolId, classId, 'Phẩm chất, năng lực theo mức Tốt / Đạt / Cần cố gắng', authorize);
  const { term } = gridPlaceOf(checkpoint);
  const { from, to } = termDates(cls, term);
  const students = (await listGridStudents(db, schoolId, classId, from, to)).filter((s, i, all) => all.findIndex((x) => x.id === s.id) === i);
  const codes = DEFAULT_TT27_OPTIONS.qualityCodesForGrade(cls.grade);
  return { cls, standing, students, codes, key: { schoolId, classId, checkpoint } satisfies QualityKey };
}

/** TT27 Điều 7 khoản 1 (as training ratings under TT22): the homeroom teacher rates; the principal may too. */
const mayRate = (s: Standing) => s.homeroom || s.principal;
const label = (level: QualityLevelValue | null) => (level ? QUALITY_LEVEL_LABELS[level] : null);

export async function getQualityRatings(db: Db, caller: Caller, schoolId: string, classId: string, checkpoint: Checkpoint): Promise<TQualityRatings> {
  const sheet = await loadSheet(db, caller, schoolId, classId, checkpoint);
  // The year's comments belong to the end-of-year checkpoint (the học bạ's year), locked with it.
  const yearEnd = checkpoint === 'end_year';
  const [ratings, stateRow, comments] = await Promise.all([
    listQualityRatings(db, sheet.key),
    findQualityState(db, sheet.key),
    yearEnd ? listClassYearComments(db, schoolId, classId) : Promise.resolve([]),
  ]);
  const state = stateRow?.state ?? 'open';
  const at = inSentence(checkpoint);
  const edit = mayRate(sheet.standing) && state === 'open';
  return {
    classId,
    className: sheet.cls.name,
    year: sheet.cls.year,
    grade: sheet.cls.grade,
    checkpoint,
    checkpointLabel: CHECKPOINT_LABELS[checkpoint],
    state,
    stateLabel: STATE_LABELS[state],
    unlockReason: stateRow?.unlock_reason ?? null,
    qualities: QUALITIES_AND_COMPETENCIES.filter((q) => sheet.codes.includes(q.code)).map((q) => ({ code: q.code, name: q.name, groupLabel: QUALITY_GROUP_LABELS[q.group] })),
    rows: sheet.students.map((s) => {
      const own = ratings.filter((r) => r.student_id === s.id);
      return {
        studentId: s.id,
        fullName: joinFullName({ familyName: s.family_name, middleName: s.middle_name, givenName: s.given_name }),
        ratings: Object.fromEntries(own.map((r) => [r.quality_code, { value: label(r.level), version: r.version }])),
        missing: sheet.codes.filter((c) => !own.some((r) => r.quality_code === c && r.level !== null)).map((c) => `${qualityLabel(c)}: chưa có mức đánh giá ${at}`),
        comments: Object.fromEntries(comments.filter((c) => c.student_id === s.id).map((c) => [c.topic, { value: c.comment, version: c.version }])),
      };
    }),
    commentTopics: yearEnd ? YEAR_COMMENT_TOPICS.map((code) => ({ code, label: YEAR_COMMENT_TOPIC_LABELS[code] })) : [],
    actions: { edit, lock: sheet.standing.principal && state === 'open', unlock: sheet.standing.principal && state === 'locked' },
    readOnlyReason: edit
      ? null
      : state === 'locked'
        ? 'Đánh giá phẩm chất, năng lực đã khóa. Muốn sửa, hãy đề nghị hiệu trưởng mở khóa (có ghi lý do).'
        : `Chỉ giáo viên chủ nhiệm lớp ${sheet.cls.name} (hoặc hiệu trưởng) đánh giá phẩm chất, năng lực.`,
  };
}

/**
 * Saves ratings the homeroom teacher typed, each only if it still has the version they saw (a
 * rating changed meanwhile comes back as a conflict with the value that won); a value that is not
 * a level comes back as rejected. A locked checkpoint refuses the whole save (409), and the
 * database's trigger refuses any other path.
 */
export async function saveQualityRatings(db: Db, caller: Caller, schoolId: string, classId: string, input: TSaveQualityRatings): Promise<TSaveQualityRatingsResult> {
  const sheet = await loadSheet(db, caller, schoolId, classId, input.checkpoint, (standing, className) => {
    if (!mayRate(standing)) throw new AppError(403, 'qualities_not_homeroom', `Chỉ giáo viên chủ nhiệm lớp ${className} (hoặc hiệu trưởng) đánh giá phẩm chất, năng lực.`);
  });
  const members = new Set(sheet.students.map((s) => s.id));
  const codes = new Set<string>(sheet.codes);
  const rejected: TSaveQualityRatingsResult['rejected'] = [];
  const writes: QualityWrite[] = [];
  const seen = new Set<string>();
  for (const r of input.ratings) {
    const refuse = (message: string) => rejected.push({ studentId: r.studentId, quality: r.quality, message });
    if (!members.has(r.studentId)) {
      refuse(`Học sinh này không học lớp ${sheet.cls.name} ${inSentence(input.checkpoint)}.`);
      continue;
    }
    if (!codes.has(r.quality)) {
      refuse(`Không có phẩm chất, năng lực "${r.quality}" trong đánh giá lớp ${sheet.cls.grade}.`);
      continue;
    }
    if (seen.has(`${r.studentId}/${r.quality}`)) {
      refuse('Ô này được gửi hai lần trong cùng một lần lưu; chỉ lần đầu được lưu.');
      continue;
    }
    seen.add(`${r.studentId}/${r.quality}`);
    const text = (r.value ?? '').trim();
    const level = text === '' ? null : parseQualityLevel(text);
    if (text !== '' && level === null) {
      refuse(`${qualityLabel(r.quality as QualityCode)}: "${text}" không phải mức đánh giá; hãy nhập T (Tốt), Đ (Đạt) hoặc C (Cần cố gắng).`);
      continue;
    }
    writes.push({ studentId: r.studentId, qualityCode: r.quality, level, expectedVersion: r.version });
  }
  return db.transaction().execute(async (trx) => {
    const state = await lockQualityState(trx, sheet.key);
    if (state.state !== 'open') throw conflict('gradebook_not_open', 'Đánh giá phẩm chất, năng lực đã khóa nên không sửa được. Muốn sửa, hãy đề nghị hiệu trưởng mở khóa (có ghi lý do).');
    const written = await writeQualityRatings(trx, sheet.key, writes, caller.actor.userId);
    const ok = new Set(written.map((w) => `${w.student_id}/${w.quality_code}`));
    const lost = writes.filter((w) => !ok.has(`${w.studentId}/${w.qualityCode}`));
    const current = lost.length > 0 ? await listQualityRatings(trx, sheet.key) : [];
    const levelOf = new Map(writes.map((w) => [`${w.studentId}/${w.qualityCode}`, w.level]));
    return {
      saved: written.map((w) => ({ studentId: w.student_id, quality: w.quality_code, value: label(levelOf.get(`${w.student_id}/${w.quality_code}`) ?? null), version: w.version })),
      conflicts: lost.map((w) => {
        const c = current.find((x) => x.student_id === w.studentId && x.quality_code === w.qualityCode);
        return { studentId: w.studentId, quality: w.qualityCode, value: label(c?.level ?? null), version: c?.version ?? 0 };
      }),
      rejected,
    };
  });
}

/**
 * Saves the homeroom teacher's year comments (TT27 học bạ: on the qualities, the general and the
 * specific competencies, and the year overall), each only if it still has the version they saw;
 * a comment changed meanwhile comes back as a conflict with the text that won. They belong to the
 * end-of-year checkpoint: its lock refuses the whole save (409), and the database's trigger any
 * other path. Who may write them is who rates.
 */
export async function saveYearComments(db: Db, caller: Caller, schoolId: string, classId: string, input: TSaveYearComments): Promise<TSaveYearCommentsResult> {
  const sheet = await loadSheet(db, caller, schoolId, classId, 'end_year', (standing, className) => {
    if (!mayRate(standing)) throw new AppError(403, 'qualities_not_homeroom', `Chỉ giáo viên chủ nhiệm lớp ${className} (hoặc hiệu trưởng) ghi nhận xét cả năm của học sinh.`);
  });
  const members = new Set(sheet.students.map((s) => s.id));
  const rejected: TSaveYearCommentsResult['rejected'] = [];
  const writes: YearCommentWrite[] = [];
  const seen = new Set<string>();
  for (const c of input.comments) {
    const refuse = (message: string) => rejected.push({ studentId: c.studentId, topic: c.topic, message });
    if (!members.has(c.studentId)) {
      refuse(`Học sinh này không học lớp ${sheet.cls.name} cuối năm học.`);
      continue;
    }
    if (seen.has(`${c.studentId}/${c.topic}`)) {
      refuse('Nhận xét này được gửi hai lần trong cùng một lần lưu; chỉ lần đầu được lưu.');
      continue;
    }
    seen.add(`${c.studentId}/${c.topic}`);
    const text = (c.value ?? '').trim();
    writes.push({ studentId: c.studentId, topic: c.topic, comment: text === '' ? null : text, expectedVersion: c.version });
  }
  return db.transaction().execute(async (trx) => {
    const state = await lockQualityState(trx, sheet.key);
    if (state.state !== 'open') throw conflict('gradebook_not_open', 'Đánh giá cuối năm học đã khóa nên không sửa được nhận xét. Muốn sửa, hãy đề nghị hiệu trưởng mở khóa (có ghi lý do).');
    const written = await writeYearComments(trx, schoolId, classId, writes, caller.actor.userId);
    const ok = new Set(written.map((w) => `${w.student_id}/${w.topic}`));
    const lost = writes.filter((w) => !ok.has(`${w.studentId}/${w.topic}`));
    const current = lost.length > 0 ? await listClassYearComments(trx, schoolId, classId) : [];
    const textOf = new Map(writes.map((w) => [`${w.studentId}/${w.topic}`, w.comment]));
    return {
      saved: written.map((w) => ({ studentId: w.student_id, topic: w.topic, value: textOf.get(`${w.student_id}/${w.topic}`) ?? null, version: w.version })),
      conflicts: lost.map((w) => {
        const c = current.find((x) => x.student_id === w.studentId && x.topic === w.topic);
        return { studentId: w.studentId, topic: w.topic, value: c?.comment ?? null, version: c?.version ?? 0 };
      }),
      rejected,
    };
  });
}

/** The principal locks a class's ratings of a checkpoint, or unlocks them with a reason; audited as the gradebook's lock. */
export async function changeQualityState(db: Db, caller: Caller, schoolId: string, classId: string, input: TQualityTransition): Promise<TQualityRatings> {
  const sheet = await loadSheet(db, caller, schoolId, classId, input.checkpoint, (standing) => {
    if (!standing.principal) throw new AppError(403, 'qualities_action_forbidden', 'Chỉ hiệu trưởng khóa hoặc mở khóa đánh giá phẩm chất, năng lực.');
  });
  if (input.action === 'unlock' && !input.reason) throw badRequest('unlock_reason_required', 'Lý do: hãy ghi rõ vì sao cần mở khóa (ít nhất 5 kí tự).');
  await db.transaction().execute(async (trx) => {
    const row = await lockQualityState(trx, sheet.key);
    const to = input.action === 'lock' ? 'locked' : 'open';
    if (row.state === to) throw conflict('gradebook_transition_refused', `Đánh giá phẩm chất, năng lực đang ở trạng thái "${STATE_LABELS[row.state]}" nên chưa ${input.action === 'lock' ? 'khóa' : 'mở khóa'} được.`);
    await setQualityState(trx, sheet.key, to, caller.actor.userId, input.action === 'unlock' ? (input.reason ?? null) : row.unlock_reason);
    await writeAudit(
      trx,
      caller.actor,
      {
        action: input.action === 'lock' ? 'gradebook.lock' : 'gradebook.unlock',
        entity: 'gradebook',
        entityId: `${classId}:qualities:${input.checkpoint}`,
        orgUnitId: schoolId,
        targetLabel: `Phẩm chất, năng lực — ${sheet.cls.name} (${schoolYearLabel(sheet.cls.year)}), ${inSentence(input.checkpoint)}`,
        before: { gradebook_state: row.state },
        after: { gradebook_state: to, ...(input.action === 'unlock' ? { reason: input.reason } : {}) },
      },
      caller.ip,
    );
  });
  return getQualityRatings(db, caller, schoolId, classId, input.checkpoint);
}
