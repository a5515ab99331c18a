import type { Kysely } from 'kysely';
import type {
  TClassMeasurements,
  TDevelopmentSheet,
  TFamilyDevelopment,
  TIndicatorSet,
  TMeasurement,
  TSaveDevelopment,
  TSaveDevelopmentResult,
  TSaveIndicatorSet,
  TSaveMeasurements,
  TSaveMeasurementsResult,
} from '../../../../contracts/preschool.js';
import {
  DEFAULT_5_YEAR_INDICATOR_SET,
  EVALUATION_PERIODS,
  EVALUATION_PERIOD_LABELS,
  INDICATOR_RESULT_LABELS,
  NUTRITION_STATUS_LABELS,
  Z_BAND_LABELS,
  ageInCompletedMonths,
  defaultTermDates,
  domainSummary,
  formatTenthsDecimal,
  formatZScore,
  indicatorSetCounts,
  indicatorSetProblems,
  isoToday,
  joinFullName,
  nutritionStatus,
  parseHeightCm,
  parseWeightKg,
  schoolYearLabel,
  type DevelopmentIndicatorSet,
  type DevelopmentResults,
  type EvaluationPeriod,
} from '../../../../domain/index.js';
import type { Database, Sex } from '../../db/schema.js';
import { isGuardianOf } from '../../platform/access.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { type Caller, type ClassRow, classWithStanding } from '../gradebook/class-standing.js';
import { findFamilyStudent } from '../gradebook/publication.repo.js';
import {
  type EvaluationKey,
  type EvaluationWrite,
  type MeasurementWrite,
  findIndicatorSet,
  listChildEvaluations,
  listClassChildren,
  listClassStays,
  listEvaluations,
  listMeasurements,
  writeEvaluations,
  writeIndicatorSet,
  writeMeasurements,
} from './preschool.repo.js';

type Db = Kysely<Database>;

const OFFICE = ['system_admin', 'province_officer', 'district_officer'] as const;
const isOffice = (caller: Caller) => OFFICE.some((r) => caller.roles.has(r));
const isManager = (caller: Caller) => caller.roles.has('principal') || caller.roles.has('school_staff');

// ───────────────────────────── the indicator set ─────────────────────────────

/** The school's set: its own once saved, else the default (QĐ 4222, domains only), version 0. */
async function schoolSet(db: Db, schoolId: string): Promise<{ set: DevelopmentIndicatorSet; version: number }> {
  const row = await findIndicatorSet(db, schoolId);
  return row ? { set: row.indicator_set as DevelopmentIndicatorSet, version: row.version } : { set: DEFAULT_5_YEAR_INDICATOR_SET, version: 0 };
}

function presentSet(set: DevelopmentIndicatorSet, version: number, canEdit: boolean): TIndicatorSet {
  return {
    name: set.name,
    basis: set.basis,
    domains: set.domains,
    version,
    isDefault: version === 0,
    problems: indicatorSetProblems(set),
    counts: indicatorSetCounts(set),
    canEdit,
  };
}

export async function getIndicatorSet(db: Db, caller: Caller, schoolId: string): Promise<TIndicatorSet> {
  const { set, version } = await schoolSet(db, schoolId);
  return presentSet(set, version, isManager(caller));
}

/**
 * The school's managers replace the set whole (add, rename, remove domains, standards and
 * indicators), if nobody saved it since they read it. Codes must be valid and unique (results are
 * keyed by them); a set still short of the document's count is saved and its problems shown.
 * Results already stored keep their codes: a removed indicator's results stay, unused.
 */
export async function saveIndicatorSet(db: Db, caller: Caller, schoolId: string, input: TSaveIndicatorSet): Promise<TIndicatorSet> {
  const { set: before } = await schoolSet(db, schoolId);
  const set: DevelopmentIndicatorSet = { ...before, name: input.name, basis: input.basis, domains: input.domains };
  const blocking = indicatorSetProblems(set).filter((p) => p.startsWith('Mã ') || p.startsWith('Tên '));
  if (blocking.length > 0) throw new AppError(400, 'indicator_set_invalid', `Bộ chỉ số chưa lưu được: ${blocking.join('; ')}.`);
  return db.transaction().execute(async (trx) => {
    const version = await writeIndicatorSet(trx, schoolId, set, input.version, caller.actor.userId);
    if (version === undefined) throw conflict('indicator_set_changed', 'Bộ chỉ số vừa được người khác sửa. Hãy tải lại trang rồi sửa tiếp.');
    await writeAudit(
      trx,
      caller.actor,
      { action: 'preschool.indicator_set', entity: 'gradebook', entityId: `${schoolId}:preschool-set`, orgUnitId: schoolId, targetLabel: set.name, after: { indicatorCount: indicatorSetCounts(set).indicators } },
      caller.ip,
    );
    return presentSet(set, version, true);
  });
}

// ───────────────────────────── a class ─────────────────────────────

/**
 * The class (preschool only) and who the caller is to it. Read: the school's managers, the class
 * teacher (the homeroom teacher of a preschool class), the offices above the school (read only);
 * 404 for anyone else, so a class's existence is not confirmed to a stranger. Write: the class
 * teacher and the school's managers; 403 for the others who may read.
 */
async function loadClass(db: Db, caller: Caller, schoolId: string, classId: string, write: boolean) {
  const { cls, standing } = await classWithStanding(db, caller, schoolId, classId);
  const office = isOffice(caller);
  if (!standing.manager && !standing.homeroom && !office) throw notFound('Không tìm thấy lớp.');
  const canEdit = standing.manager || standing.homeroom;
  if (write && !canEdit) throw new AppError(403, 'preschool_not_class_teacher', `Chỉ giáo viên của lớp ${cls.name} hoặc ban giám hiệu nhà trường được ghi đánh giá, cân đo của trẻ.`);
  // The DB keeps preschool classes as grade 0 (the age group beside it); ≤ 0 also takes the -1/-2 the demo plan uses for 4- and 3-year-olds.
  if (cls.grade > 0) {
    throw new AppError(422, 'preschool_only', `Lớp ${cls.name} là lớp ${cls.grade}, không phải lớp mầm non: đánh giá sự phát triển và cân đo chỉ dành cho các lớp mầm non.`);
  }
  const readOnlyReason = canEdit ? null : `Chỉ giáo viên của lớp ${cls.name} hoặc ban giám hiệu nhà trường được ghi; phòng, sở chỉ xem.`;
  return { cls, canEdit, readOnlyReason };
}

/** The whole school year: a child who was in the class at any time of it is in its lists. */
function yearDates(cls: ClassRow) {
  const d = defaultTermDates(cls.year);
  return { from: cls.term1_start ?? d.terms[0].start, to: cls.term2_end ?? d.terms[1].end };
}

const childName = (s: { family_name: string; middle_name: string; given_name: string }) => joinFullName({ familyName: s.family_name, middleName: s.middle_name, givenName: s.given_name });

function childDomains(set: DevelopmentIndicatorSet, results: DevelopmentResults) {
  return set.domains.map((d) => {
    const indicators = d.standards.flatMap((s) => s.indicators);
    const evaluated = indicators.filter((i) => (results[i.code] ?? null) !== null).length;
    const summary = domainSummary(d, results);
    const achieved = indicators.filter((i) => results[i.code] === 'dat').length;
    return { domainCode: d.code, domainName: d.name, achieved, total: indicators.length, evaluated, complete: summary.status === 'ok' };
  });
}

export async function getDevelopmentSheet(db: Db, caller: Caller, schoolId: string, classId: string, period: EvaluationPeriod): Promise<TDevelopmentSheet> {
  const { cls, canEdit, readOnlyReason } = await loadClass(db, caller, schoolId, classId, false);
  const { from, to } = yearDates(cls);
  const key: EvaluationKey = { schoolId, classId, period };
  const [{ set, version }, children, stored] = await Promise.all([schoolSet(db, schoolId), listClassChildren(db, schoolId, classId, from, to), listEvaluations(db, key)]);
  const rows = children.map((c) => {
    const own = stored.filter((r) => r.student_id === c.id);
    const results: DevelopmentResults = Object.fromEntries(own.map((r) => [r.indicator_code, r.result]));
    return {
      studentId: c.id,
      fullName: childName(c),
      results: Object.fromEntries(own.map((r) => [r.indicator_code, { value: r.result, version: r.version }])),
      domains: childDomains(set, results),
    };
  });
  const summary = set.domains.map((d, i) => {
    const of = rows.map((r) => r.domains[i]);
    return {
      domainCode: d.code,
      domainName: d.name,
      achieved: of.filter((x) => x.complete && x.achieved === x.total).length,
      notAchieved: of.filter((x) => x.complete && x.achieved < x.total).length,
      incomplete: of.filter((x) => !x.complete).length,
    };
  });
  return {
    classId,
    className: cls.name,
    year: cls.year,
    yearLabel: schoolYearLabel(cls.year),
    evaluationPeriod: period,
    periodLabel: EVALUATION_PERIOD_LABELS[period],
    periods: EVALUATION_PERIODS.map((p) => ({ value: p, label: EVALUATION_PERIOD_LABELS[p] })),
    set: presentSet(set, version, isManager(caller)),
    rows,
    summary,
    canEdit,
    readOnlyReason,
  };
}

/**
 * Saves the results the teacher ticked, each only if it still has the version they saw (a result
 * changed meanwhile comes back as a conflict with the value that won); a child not in the class
 * or an indicator not in the school's set comes back as rejected.
 */
export async function saveDevelopment(db: Db, caller: Caller, schoolId: string, classId: string, input: TSaveDevelopment): Promise<TSaveDevelopmentResult> {
  const { cls } = await loadClass(db, caller, schoolId, classId, true);
  const { from, to } = yearDates(cls);
  const key: EvaluationKey = { schoolId, classId, period: input.evaluationPeriod };
  const [{ set }, children] = await Promise.all([schoolSet(db, schoolId), listClassChildren(db, schoolId, classId, from, to)]);
  const members = new Set(children.map((c) => c.id));
  const known = new Map(set.domains.flatMap((d) => d.standards.flatMap((s) => s.indicators.map((i) => [i.code, i.name] as const))));
  const rejected: TSaveDevelopmentResult['rejected'] = [];
  const writes: EvaluationWrite[] = [];
  const seen = new Set<string>();
  for (const r of input.results) {
    const refuse = (message: string) => rejected.push({ studentId: r.studentId, indicator: r.indicator, message });
    if (!members.has(r.studentId)) refuse(`Trẻ này không học lớp ${cls.name} năm học ${schoolYearLabel(cls.year)}.`);
    else if (!known.has(r.indicator)) refuse(`Không có chỉ số "${r.indicator}" trong bộ chỉ số của trường.`);
    else if (seen.has(`${r.studentId}/${r.indicator}`)) refuse('Ô này được gửi hai lần trong cùng một lần lưu; chỉ lần đầu được lưu.');
    else {
      seen.add(`${r.studentId}/${r.indicator}`);
      writes.push({ studentId: r.studentId, indicatorCode: r.indicator, result: r.value, expectedVersion: r.version });
    }
  }
  return db.transaction().execute(async (trx) => {
    const written = await writeEvaluations(trx, key, writes, caller.actor.userId);
    const ok = new Set(written.map((w) => `${w.student_id}/${w.indicator_code}`));
    const lost = writes.filter((w) => !ok.has(`${w.studentId}/${w.indicatorCode}`));
    const current = lost.length > 0 ? await listEvaluations(trx, key) : [];
    if (written.length > 0) {
      await writeAudit(
        trx,
        caller.actor,
        {
          action: 'preschool.evaluate',
          entity: 'gradebook',
          entityId: `${classId}:preschool:${input.evaluationPeriod}`,
          orgUnitId: schoolId,
          targetLabel: `Đánh giá sự phát triển — ${cls.name} (${schoolYearLabel(cls.year)}), ${EVALUATION_PERIOD_LABELS[input.evaluationPeriod].toLocaleLowerCase('vi')}`,
          after: { studentCount: new Set(written.map((w) => w.student_id)).size, changedCells: written.length },
        },
        caller.ip,
      );
    }
    return {
      saved: written.map((w) => ({ studentId: w.student_id, indicator: w.indicator_code, value: w.result, version: w.version })),
      conflicts: lost.map((w) => {
        const c = current.find((x) => x.student_id === w.studentId && x.indicator_code === w.indicatorCode);
        return { studentId: w.studentId, indicator: w.indicatorCode, value: c?.result ?? null, version: c?.version ?? 0 };
      }),
      rejected,
    };
  });
}

// ───────────────────────────── measurements ─────────────────────────────

const SEX_LABELS: Record<Sex, string> = { male: 'Nam', female: 'Nữ' };
const isoToVn = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

function ageText(dob: string | null, on: string): string | null {
  if (dob === null || on < dob) return null;
  const months = ageInCompletedMonths(dob, on);
  return `${Math.floor(months / 12)} tuổi ${months % 12} tháng (${months} tháng)`;
}

/**
 * One measurement as the school and the family read it: the status computed now from the stored
 * inputs and the child's record (see the migration: inputs only, computed on read), in words.
 */
export function presentMeasurement(child: { sex: Sex | null; date_of_birth: string | null }, m: { measured_on: string; height_tenths_cm: number; weight_tenths_kg: number; version: number }): TMeasurement {
  const outcome = nutritionStatus({ sex: child.sex, dateOfBirth: child.date_of_birth, measuredOn: m.measured_on, heightTenthsCm: m.height_tenths_cm, weightTenthsKg: m.weight_tenths_kg });
  const base = { measuredOn: isoToVn(m.measured_on), height: formatTenthsDecimal(m.height_tenths_cm), weight: formatTenthsDecimal(m.weight_tenths_kg), version: m.version, age: ageText(child.date_of_birth, m.measured_on) };
  if (outcome.status !== 'ok') return { ...base, status: null, details: [`Chưa xếp loại được: ${outcome.reasons.join('; ')}.`] };
  const { z, classification, codes } = outcome.value;
  const wfhName = z.weightForHeightBasis === 'bmi_for_age' ? 'BMI theo tuổi' : z.weightForHeightBasis === 'weight_for_length' ? 'Cân nặng theo chiều dài' : 'Cân nặng theo chiều cao';
  const details = [
    ...(z.weightForAge !== null && classification.weightForAge ? [`Cân nặng theo tuổi: ${Z_BAND_LABELS.weightForAge[classification.weightForAge]} (z = ${formatZScore(z.weightForAge)})`] : []),
    `Chiều cao theo tuổi: ${Z_BAND_LABELS.heightForAge[classification.heightForAge]} (z = ${formatZScore(z.heightForAge)})`,
    `${wfhName}: ${Z_BAND_LABELS.weightForHeight[classification.weightForHeight]} (z = ${formatZScore(z.weightForHeight)})`,
  ];
  return { ...base, status: codes.map((c) => NUTRITION_STATUS_LABELS[c]), details };
}

export async function getClassMeasurements(db: Db, caller: Caller, schoolId: string, classId: string): Promise<TClassMeasurements> {
  const { cls, canEdit, readOnlyReason } = await loadClass(db, caller, schoolId, classId, false);
  const { from, to } = yearDates(cls);
  const children = await listClassChildren(db, schoolId, classId, from, to);
  // The year's measurements only: last year's are another class's record.
  const stored = (await listMeasurements(db, schoolId, children.map((c) => c.id))).filter((m) => m.measured_on >= from && m.measured_on <= to);
  return {
    classId,
    className: cls.name,
    yearLabel: schoolYearLabel(cls.year),
    rows: children.map((c) => ({
      studentId: c.id,
      fullName: childName(c),
      sexLabel: c.sex ? SEX_LABELS[c.sex] : null,
      dateOfBirth: c.date_of_birth ? isoToVn(c.date_of_birth) : null,
      measurements: stored.filter((m) => m.student_id === c.id).map((m) => presentMeasurement(c, m)),
    })),
    canEdit,
    readOnlyReason,
  };
}

/**
 * Saves measurements (one per child and day; the same day again corrects it, with the version the
 * writer saw). The contract has checked the numbers with the domain's parsers; the date must be in
 * the class's school year, not in the future and not before the child's birth.
 */
export async function saveMeasurements(db: Db, caller: Caller, schoolId: string, classId: string, input: TSaveMeasurements): Promise<TSaveMeasurementsResult> {
  const { cls } = await loadClass(db, caller, schoolId, classId, true);
  const { from, to } = yearDates(cls);
  const [children, stays] = await Promise.all([listClassChildren(db, schoolId, classId, from, to), listClassStays(db, schoolId, classId, from, to)]);
  const byId = new Map(children.map((c) => [c.id, c]));
  // A child who moved class is measured by the class they are in on that day, not by the one they left.
  const inClassOn = (studentId: string, day: string) => stays.some((x) => x.student_id === studentId && x.start_date <= day && (x.end_date === null || x.end_date >= day));
  const today = isoToday();
  const rejected: TSaveMeasurementsResult['rejected'] = [];
  const writes: MeasurementWrite[] = [];
  for (const m of input.measurements) {
    const child = byId.get(m.studentId);
    const refuse = (message: string) => rejected.push({ studentId: m.studentId, measuredOn: m.measuredOn, message });
    const height = parseHeightCm(m.height);
    const weight = parseWeightKg(m.weight);
    if (!child) refuse(`Trẻ này không học lớp ${cls.name} năm học ${schoolYearLabel(cls.year)}.`);
    else if (m.measuredOn > today) refuse(`Ngày cân đo: ${isoToVn(m.measuredOn)} là ngày chưa tới.`);
    else if (m.measuredOn < from || m.measuredOn > to) refuse(`Ngày cân đo: ${isoToVn(m.measuredOn)} không thuộc năm học ${schoolYearLabel(cls.year)} (${isoToVn(from)} – ${isoToVn(to)}).`);
    else if (!inClassOn(m.studentId, m.measuredOn)) refuse(`Ngày cân đo: ngày ${isoToVn(m.measuredOn)} trẻ không học lớp ${cls.name}; số đo ngày đó do lớp trẻ đang học ghi.`);
    else if (child.date_of_birth !== null && m.measuredOn < child.date_of_birth) refuse(`Ngày cân đo: ${isoToVn(m.measuredOn)} trước ngày sinh của trẻ (${isoToVn(child.date_of_birth)}).`);
    else if (writes.some((w) => w.studentId === m.studentId && w.measuredOn === m.measuredOn)) refuse('Số đo này được gửi hai lần trong cùng một lần lưu; chỉ lần đầu được lưu.');
    // The contract has parsed both already; a failure here would be a contract changed without the service.
    else if (!height.ok || !weight.ok) refuse(!height.ok ? `Chiều cao (cm): ${height.message}` : `Cân nặng (kg): ${!weight.ok ? weight.message : ''}`);
    else writes.push({ studentId: m.studentId, measuredOn: m.measuredOn, heightTenthsCm: height.tenths, weightTenthsKg: weight.tenths, expectedVersion: m.version });
  }
  return db.transaction().execute(async (trx) => {
    const written = await writeMeasurements(trx, schoolId, writes, caller.actor.userId);
    const ok = new Set(written.map((w) => `${w.student_id}/${w.measured_on}`));
    const lost = writes.filter((w) => !ok.has(`${w.studentId}/${w.measuredOn}`));
    if (written.length > 0) {
      await writeAudit(
        trx,
        caller.actor,
        {
          action: 'preschool.measure',
          entity: 'gradebook',
          entityId: `${classId}:measurements`,
          orgUnitId: schoolId,
          targetLabel: `Cân đo — ${cls.name} (${schoolYearLabel(cls.year)})`,
          after: { studentCount: new Set(written.map((w) => w.student_id)).size, measurementCount: written.length },
        },
        caller.ip,
      );
    }
    return {
      // Every written row is a child of the class (the checks above), so the record is there.
      saved: written.map((w) => ({ studentId: w.student_id, ...presentMeasurement(byId.get(w.student_id) ?? { sex: null, date_of_birth: null }, w) })),
      conflicts: lost.map((w) => ({
        studentId: w.studentId,
        measuredOn: w.measuredOn,
        message: `Số đo ngày ${isoToVn(w.measuredOn)} vừa được người khác ghi hoặc sửa; chưa ghi đè. Hãy tải lại để xem số đã lưu.`,
      })),
      rejected,
    };
  });
}

// ───────────────────────────── the family ─────────────────────────────

/**
 * One child's evaluations and measurements as the family reads them: the parent of the child, or
 * the school (managers, the class teacher) seeing what the family sees. No publication step: a
 * result a teacher saved is what the family reads (the evaluation informs the family; nothing is
 * graded or ranked from it), and the school has no "period done" mark to wait for. So every
 * period with a saved result is shown, and a domain whose indicators are not all evaluated yet
 * says "Chưa đánh giá xong" rather than a Đạt / Chưa đạt the teacher has not given; the period's
 * `complete` says whether every domain has its result.
 */
export async function familyDevelopment(db: Db, caller: Caller, schoolId: string, studentId: string): Promise<TFamilyDevelopment> {
  const child = await findFamilyStudent(db, schoolId, studentId);
  if (!child) throw notFound('Không tìm thấy trẻ.');
  let allowed = caller.roles.has('parent') && (await isGuardianOf(db, caller.actor, schoolId, studentId));
  if (!allowed && child.current_class_id) {
    const { standing } = await classWithStanding(db, caller, schoolId, child.current_class_id);
    allowed = standing.manager || standing.homeroom;
  }
  if (!allowed) throw notFound('Không tìm thấy trẻ.');
  const [{ set }, evaluations, measurements] = await Promise.all([schoolSet(db, schoolId), listChildEvaluations(db, schoolId, studentId), listMeasurements(db, schoolId, [studentId])]);
  const groups = new Map<string, { label: string; results: Record<string, 'dat' | 'chua_dat' | null> }>();
  for (const e of evaluations) {
    const k = `${e.year}/${EVALUATION_PERIODS.indexOf(e.period)}`;
    const name = EVALUATION_PERIOD_LABELS[e.period];
    // "Cuối học kì I năm học 2025-2026", "Cuối năm học 2025-2026" (not "năm học năm học").
    const g = groups.get(k) ?? { label: `${name}${name.endsWith('năm học') ? '' : ' năm học'} ${schoolYearLabel(e.year)} (lớp ${e.class_name})`, results: {} };
    g.results[e.indicator_code] = e.result;
    groups.set(k, g);
  }
  const periods = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => {
      const domains = set.domains.map((d) => {
        const indicators = d.standards.flatMap((s) => s.indicators);
        const evaluated = indicators.filter((i) => (g.results[i.code] ?? null) !== null).length;
        const notAchieved = indicators.filter((i) => g.results[i.code] === 'chua_dat').map((i) => i.name);
        const complete = indicators.length > 0 && evaluated === indicators.length;
        const text =
          indicators.length === 0
            ? 'Bộ chỉ số của trường chưa có chỉ số cho lĩnh vực này'
            : !complete
              ? `Chưa đánh giá xong (đã đánh giá ${evaluated}/${indicators.length} chỉ số)`
              : notAchieved.length === 0
                ? INDICATOR_RESULT_LABELS.dat
                : INDICATOR_RESULT_LABELS.chua_dat;
        return { domain: { domainName: d.name, text, notAchieved }, complete };
      });
      return { periodLabel: g.label, complete: domains.every((d) => d.complete), domains: domains.map((d) => d.domain) };
    });
  return {
    studentId,
    fullName: childName(child),
    className: child.class_name,
    // The class's grade says it (≤ 0: a preschool age group); a child who has left preschool keeps what was recorded.
    isPreschool: (child.grade !== null && child.grade <= 0) || periods.length > 0 || measurements.length > 0,
    periods,
    measurements: measurements.map((m) => presentMeasurement(child, m)),
  };
}
