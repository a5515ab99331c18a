/**
 * Preschool (mầm non): the periodic development evaluation against an editable indicator set,
 * and growth (height, weight) with the nutrition status codes of the Ministry's sector database.
 * shared/research/domain-vn.md §2 (Preschool) and §5.
 *
 * 1. Development. A set of indicators grouped as lĩnh vực (domain) → chuẩn (standard) → chỉ số
 *    (indicator), each with a code and a Vietnamese name. The school edits the set; the seeded
 *    default is the Bộ chuẩn phát triển trẻ em 5 tuổi (QĐ 4222/QĐ-BGDĐT, 27/12/2024) with only
 *    what we can state from public summaries: see SEED_SOURCE. A child is evaluated per period
 *    on each indicator, Đạt / Chưa đạt; the summary per domain counts the indicators achieved and
 *    is incomplete while any indicator is unevaluated.
 * 2. Growth. Height in tenths of a centimetre and weight in tenths of a kilogram (exact integers,
 *    as entered: one decimal), age in completed months, the WHO z-scores and the CSDL code
 *    (TINH_TRANG_DINH_DUONG_SME).
 */
import { daysInMonth } from '../dates/vn-date.js';
import { incomplete, ok, type Outcome } from './outcome.js';
import {
  WHO_BMI_FOR_AGE,
  WHO_HEIGHT_FOR_AGE,
  WHO_WEIGHT_FOR_AGE,
  WHO_WEIGHT_FOR_HEIGHT,
  WHO_WEIGHT_FOR_LENGTH,
  type AgeTable,
  type BySex,
  type LengthTable,
} from './who-growth-data.js';

// ───────────────────────────── Development evaluation ─────────────────────────────

export type DevelopmentIndicator = { code: string; name: string };
export type DevelopmentStandard = { code: string; name: string; indicators: DevelopmentIndicator[] };
export type DevelopmentDomain = { code: string; name: string; standards: DevelopmentStandard[] };

/** An indicator set as the school keeps it: seeded from a Ministry standard, then edited. */
export type DevelopmentIndicatorSet = {
  code: string;
  name: string;
  /** The document the set follows ("QĐ 4222/QĐ-BGDĐT ngày 27/12/2024"). */
  basis: string;
  /** The ages the set is for, in completed months, both ends included. */
  ageMonths: { from: number; to: number };
  /** What the document says the set holds, to show how much is still to be entered; null if unknown. */
  expected: { domains: number; standards: number; indicators: number } | null;
  domains: DevelopmentDomain[];
};

/**
 * Where the seeded sets come from, and what is missing from them. We do not have the text of
 * QĐ 4222/QĐ-BGDĐT: public summaries (the Ministry's announcement as reprinted by uongbi.gov.vn,
 * kinhtedothi.vn and others) give its six domains, the totals (22 standards, 70 indicators) and
 * the age range (60 to 71 months 29 days), but not the standards or indicators themselves, so the
 * seed has the domains only and no indicator text is invented. TT 23/2010/TT-BGDĐT, the older
 * standard, is seeded the same way (its four domains; 28 standards and 120 indicators not entered).
 * The school enters the standards and indicators from the document before evaluating; until then
 * every domain summary is incomplete and indicatorSetProblems says what is missing.
 */
export const SEED_SOURCE = {
  qd4222_2024: {
    document: 'Quyết định 4222/QĐ-BGDĐT ngày 27/12/2024 ban hành Bộ chuẩn phát triển trẻ em 5 tuổi',
    seeded: 'the six domains (names from the Ministry announcement)',
    missing: 'all 22 standards and 70 indicators: the school enters them from the document',
  },
  tt23_2010: {
    document: 'Thông tư 23/2010/TT-BGDĐT ban hành Bộ chuẩn phát triển trẻ em năm tuổi',
    seeded: 'the four domains',
    missing: 'all 28 standards and 120 indicators: the school enters them from the document',
  },
} as const;

/** Bộ chuẩn phát triển trẻ em 5 tuổi (QĐ 4222/QĐ-BGDĐT): the default set. Domains only; see SEED_SOURCE. */
export const DEFAULT_5_YEAR_INDICATOR_SET: DevelopmentIndicatorSet = {
  code: 'qd4222_2024_5_tuoi',
  name: 'Bộ chuẩn phát triển trẻ em 5 tuổi',
  basis: 'Quyết định 4222/QĐ-BGDĐT ngày 27/12/2024',
  ageMonths: { from: 60, to: 71 },
  expected: { domains: 6, standards: 22, indicators: 70 },
  domains: [
    { code: 'the_chat', name: 'Thể chất', standards: [] },
    { code: 'tinh_cam_xa_hoi', name: 'Tình cảm và xã hội', standards: [] },
    { code: 'ngon_ngu_giao_tiep', name: 'Ngôn ngữ và giao tiếp', standards: [] },
    { code: 'nhan_thuc', name: 'Nhận thức', standards: [] },
    { code: 'tham_mi', name: 'Thẩm mĩ', standards: [] },
    { code: 'tiep_can_viec_hoc', name: 'Tiếp cận với việc học', standards: [] },
  ],
};

/** Bộ chuẩn phát triển trẻ em năm tuổi (TT 23/2010/TT-BGDĐT), for records kept under it. Domains only. */
export const TT23_2010_INDICATOR_SET: DevelopmentIndicatorSet = {
  code: 'tt23_2010_5_tuoi',
  name: 'Bộ chuẩn phát triển trẻ em năm tuổi (2010)',
  basis: 'Thông tư 23/2010/TT-BGDĐT',
  ageMonths: { from: 60, to: 71 },
  expected: { domains: 4, standards: 28, indicators: 120 },
  domains: [
    { code: 'the_chat', name: 'Phát triển thể chất', standards: [] },
    { code: 'tinh_cam_quan_he_xa_hoi', name: 'Phát triển tình cảm và quan hệ xã hội', standards: [] },
    { code: 'ngon_ngu_giao_tiep', name: 'Phát triển ngôn ngữ và giao tiếp', standards: [] },
    { code: 'nhan_thuc', name: 'Phát triển nhận thức', standards: [] },
  ],
};

const CODE = /^[A-Za-z0-9_.-]+$/;

/**
 * What is wrong with or missing from a set, in Vietnamese for the school: empty or repeated codes
 * (codes key the evaluations, so they must be unique among indicators, standards and domains each),
 * empty names, a domain or standard with nothing under it, and fewer items than the document has.
 */
export function indicatorSetProblems(set: DevelopmentIndicatorSet): string[] {
  const problems: string[] = [];
  const seen = { 'lĩnh vực': new Set<string>(), chuẩn: new Set<string>(), 'chỉ số': new Set<string>() };
  const check = (kind: keyof typeof seen, item: { code: string; name: string }) => {
    if (!CODE.test(item.code)) problems.push(`Mã ${kind} "${item.code}" không hợp lệ (chỉ dùng chữ không dấu, số, _ . -)`);
    else if (seen[kind].has(item.code)) problems.push(`Mã ${kind} "${item.code}" bị trùng`);
    seen[kind].add(item.code);
    if (item.name.trim() === '') problems.push(`Tên ${kind} "${item.code}" đang để trống`);
  };
  for (const d of set.domains) {
    check('lĩnh vực', d);
    if (d.standards.length === 0) problems.push(`Lĩnh vực "${d.name}" chưa có chuẩn nào`);
    for (const s of d.standards) {
      check('chuẩn', s);
      if (s.indicators.length === 0) problems.push(`Chuẩn "${s.name}" chưa có chỉ số nào`);
      for (const i of s.indicators) check('chỉ số', i);
    }
  }
  if (set.expected) {
    const counts = indicatorSetCounts(set);
    const short = [
      counts.domains < set.expected.domains ? `${set.expected.domains - counts.domains} lĩnh vực` : '',
      counts.standards < set.expected.standards ? `${set.expected.standards - counts.standards} chuẩn` : '',
      counts.indicators < set.expected.indicators ? `${set.expected.indicators - counts.indicators} chỉ số` : '',
    ].filter((x) => x !== '');
    if (short.length > 0) problems.push(`Còn thiếu ${short.join(', ')} so với ${set.basis}`);
  }
  return problems;
}

export function indicatorSetCounts(set: DevelopmentIndicatorSet): { domains: number; standards: number; indicators: number } {
  const standards = set.domains.flatMap((d) => d.standards);
  return { domains: set.domains.length, standards: standards.length, indicators: standards.reduce((n, s) => n + s.indicators.length, 0) };
}

/** Whether a child of this age (completed months) is in the set's age range. */
export const inAgeRange = (set: DevelopmentIndicatorSet, ageMonths: number): boolean => ageMonths >= set.ageMonths.from && ageMonths <= set.ageMonths.to;

/** One indicator's result in a period. */
export type IndicatorResult = 'dat' | 'chua_dat';
export const INDICATOR_RESULT_LABELS: Record<IndicatorResult, string> = { dat: 'Đạt', chua_dat: 'Chưa đạt' };

/** A child's results in one evaluation period, by indicator code; absent or null = not evaluated. */
export type DevelopmentResults = Readonly<Record<string, IndicatorResult | null | undefined>>;

/** One child's evaluation in one period (the periods — end of a topic, term, year — are the school's). */
export type DevelopmentEvaluation = { setCode: string; period: string; results: DevelopmentResults };

export type DomainSummary = {
  domainCode: string;
  domainName: string;
  achieved: number;
  total: number;
  /** The indicators not achieved, for the follow-up plan. */
  notAchieved: DevelopmentIndicator[];
};

/**
 * A domain's summary: indicators achieved out of the domain's indicators. Incomplete while any
 * indicator is unevaluated (the reason lists their codes), and when the domain has no indicators
 * yet — a count out of nothing would read as a result.
 */
export function domainSummary(domain: DevelopmentDomain, results: DevelopmentResults): Outcome<DomainSummary> {
  const indicators = domain.standards.flatMap((s) => s.indicators);
  if (indicators.length === 0) return incomplete([`${domain.name}: bộ chỉ số chưa có chỉ số nào cho lĩnh vực này`]);
  const missing = indicators.filter((i) => (results[i.code] ?? null) === null);
  if (missing.length > 0) {
    return incomplete([`${domain.name}: chưa đánh giá ${missing.length}/${indicators.length} chỉ số (${missing.map((i) => i.code).join(', ')})`]);
  }
  const notAchieved = indicators.filter((i) => results[i.code] === 'chua_dat');
  return ok({ domainCode: domain.code, domainName: domain.name, achieved: indicators.length - notAchieved.length, total: indicators.length, notAchieved });
}

/** The summary of every domain of the set, in order; incomplete with every domain's reasons if any is. */
export function developmentSummary(set: DevelopmentIndicatorSet, results: DevelopmentResults): Outcome<DomainSummary[]> {
  const summaries = set.domains.map((d) => domainSummary(d, results));
  const reasons = summaries.flatMap((s) => (s.status === 'incomplete' ? s.reasons : []));
  if (reasons.length > 0 || set.domains.length === 0) return incomplete(set.domains.length === 0 ? ['Bộ chỉ số chưa có lĩnh vực nào'] : reasons);
  return ok(summaries.flatMap((s) => (s.status === 'ok' ? [s.value] : [])));
}

/** Result codes that are not indicators of the set (an indicator removed or renamed since). */
export function unknownIndicatorCodes(set: DevelopmentIndicatorSet, results: DevelopmentResults): string[] {
  const known = new Set(set.domains.flatMap((d) => d.standards.flatMap((s) => s.indicators.map((i) => i.code))));
  return Object.keys(results).filter((c) => !known.has(c));
}

// ───────────────────────────── Growth and nutrition ─────────────────────────────

export type ParsedMeasurement = { ok: true; tenths: number } | { ok: false; message: string };

const DECIMAL = /^(\d{1,3})(?:[.,](\d+))?$/;

const capitalised = (text: string): string => text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);

function parseTenths(input: string, what: string, unit: string, example: string, min: number, max: number): ParsedMeasurement {
  const text = input.trim();
  const m = DECIMAL.exec(text);
  if (!m) return { ok: false, message: text === '' ? `Chưa nhập ${what}.` : `"${text}" không phải là ${what}; hãy nhập số ${unit}, ví dụ ${example}.` };
  const decimals = (m[2] ?? '').replace(/0+$/, '');
  if (decimals.length > 1) return { ok: false, message: `${capitalised(what)} ghi một chữ số thập phân ("${text}"), ví dụ ${example}.` };
  const tenths = Number(m[1]) * 10 + Number(decimals || '0');
  if (tenths < min || tenths > max) return { ok: false, message: `${capitalised(what)} phải từ ${formatTenthsDecimal(min)} đến ${formatTenthsDecimal(max)} ${unit} ("${text}").` };
  return { ok: true, tenths };
}

/** Height or length as typed, "98,5" or "98.5" cm → 985 tenths; one decimal; 30,0–200,0 cm. */
export const parseHeightCm = (input: string): ParsedMeasurement => parseTenths(input, 'chiều cao', 'cm', '98,5', 300, 2000);
/** Weight as typed, "15,2" or "15.2" kg → 152 tenths; one decimal; 1,0–150,0 kg. */
export const parseWeightKg = (input: string): ParsedMeasurement => parseTenths(input, 'cân nặng', 'kg', '15,2', 10, 1500);

/** 985 → "98,5"; 150 → "15,0". */
export const formatTenthsDecimal = (tenths: number): string => `${Math.floor(tenths / 10)},${tenths % 10}`;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
function isoParts(iso: string): [number, number, number] {
  const m = ISO.exec(iso);
  if (!m) throw new RangeError(`Not an ISO date: ${JSON.stringify(iso)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw new RangeError(`Not a calendar date: ${iso}`);
  return [y, mo, d];
}

/**
 * Age in completed months ("tháng tuổi tròn") on a date: a month is completed on the day of the
 * month of birth (born 15/01: 1 month on 15/02); born on the 29th–31st, on that day or, in a
 * shorter month, on the 1st of the next (as ageOn counts 29/02 birthdays). Throws if the date is
 * before birth.
 */
export function ageInCompletedMonths(dobIso: string, onIso: string): number {
  const [by, bm, bd] = isoParts(dobIso);
  const [oy, om, od] = isoParts(onIso);
  if (onIso < dobIso) throw new RangeError(`Date ${onIso} is before date of birth ${dobIso}`);
  return (oy - by) * 12 + (om - bm) - (od < bd ? 1 : 0);
}

/**
 * The LMS z-score, z = ((X/M)^L − 1)/(L·S) (ln(X/M)/S when L = 0). With `restricted` (WHO's
 * rule for the weight-based indicators: weight-for-age, weight-for-length/height, BMI-for-age),
 * beyond ±3 the distance between 2 and 3 SD is used as the unit: z = ±3 + (X − SD3)/(SD3 − SD2).
 * Floats on purpose: WHO defines these on continuous measures. What is classified is the z-score
 * rounded to hundredths, compared as an integer number of hundredths, as WHO's own software does
 * (WorldHealthOrganization/anthro, R/z-score-helper.R: round(zscore, 2) before flags and prevalence).
 */
export function lmsZScore(x: number, l: number, m: number, s: number, restricted: boolean): number {
  const z = l === 0 ? Math.log(x / m) / s : ((x / m) ** l - 1) / (l * s);
  if (!restricted || Math.abs(z) <= 3) return z;
  const at = (sd: number) => (l === 0 ? m * Math.exp(s * sd) : m * (1 + l * s * sd) ** (1 / l));
  const sign = z > 0 ? 1 : -1;
  const sd3 = at(3 * sign);
  const sd2 = at(2 * sign);
  return 3 * sign + (x - sd3) / Math.abs(sd3 - sd2);
}

export type Sex = 'male' | 'female';

/** One measurement of a child as recorded; nulls are what has not been entered. */
export type GrowthMeasurement = {
  sex: Sex | null;
  dateOfBirth: string | null;
  measuredOn: string | null;
  heightTenthsCm: number | null;
  weightTenthsKg: number | null;
  /**
   * How the length/height was measured. WHO: length (lying) under 24 months, height (standing)
   * from 24 months; measured the other way, 0,7 cm is added (standing under 24 months) or taken
   * off (lying from 24 months). Undefined = measured the way WHO expects for the age.
   */
  measuredLying?: boolean;
};

/** The indicator used for thinness/fatness: weight-for-length (< 24 months), -for-height, or BMI-for-age. */
export type WeightForHeightBasis = 'weight_for_length' | 'weight_for_height' | 'bmi_for_age';

export type GrowthZScores = {
  ageMonths: number;
  /** The length/height the tables were read with, in tenths of a cm, after the 0,7 cm correction. */
  heightTenthsCm: number;
  /** Every z-score is rounded to hundredths, as WHO's software reports them. Null past 120 months (WHO 2007 has no weight-for-age beyond). */
  weightForAge: number | null;
  heightForAge: number;
  bmiForAge: number;
  /** Weight-for-length/height up to 60 months when the length/height is in the table; else BMI-for-age. */
  weightForHeight: number;
  weightForHeightBasis: WeightForHeightBasis;
};

export type GrowthOptions = {
  /**
   * Up to 60 months WHO classifies wasting and overweight by weight-for-length/height; BMI-for-age
   * is its close equivalent. Default 'weight_for_height', WHO's indicator for under-fives; when the
   * length/height is outside its table (45–110 cm lying, 65–120 cm standing) BMI-for-age is used.
   * From 61 months BMI-for-age is the only choice (WHO 2007).
   */
  under5Indicator: 'weight_for_height' | 'bmi_for_age';
  /**
   * The single CSDL code (TinhTrangDinhDuong is one value) when several apply, e.g. a child both
   * underweight (01) and stunted (02). Default: the order of the code list. UNCERTAIN — the data
   * dictionary does not say; all applicable codes are returned too (nutritionCodes), and the TT24
   * statistics form counts each form on its own row.
   */
  codePriority: readonly NutritionCode[];
};

/**
 * The sector database's nutrition codes (TINH_TRANG_DINH_DUONG_SME; field LstHocSinh.TinhTrangDinhDuong,
 * "(HS mầm non) tình trạng SK dinh dưỡng"), from the Ministry's start-of-year data dictionary
 * (shared/data/sector-db/data-dictionary-start-of-year-2020.xlsx), names exactly as there.
 * The anthropometric reading of each (ours, from the WHO indicators): 01 nhẹ cân = weight-for-age
 * below −2 SD; 02 thấp còi = height-for-age below −2 SD; 03 còi cọc = weight-for-height (or BMI)
 * below −2 SD — the third WHO form, usually called "gầy còm" (wasting); the dictionary's wording
 * "còi cọc" is read as that form since 02 already is stunting (UNCERTAIN); 04 = above the
 * overweight cut-off of weight-for-height / BMI-for-age.
 */
export type NutritionCode = '00' | '01' | '02' | '03' | '04';
export const NUTRITION_STATUS_LABELS: Record<NutritionCode, string> = {
  '00': 'Bình thường',
  '01': 'Suy dinh dưỡng thể nhẹ cân',
  '02': 'Suy dinh dưỡng thể thấp còi',
  '03': 'Suy dinh dưỡng thể còi cọc',
  '04': 'Thừa cân, béo phì',
};

export const DEFAULT_GROWTH_OPTIONS: GrowthOptions = { under5Indicator: 'weight_for_height', codePriority: ['01', '02', '03', '04'] };

/** WHO's flags for biologically implausible z-scores (WHO Anthro): a measurement to re-check, never a status. */
const PLAUSIBLE: Record<'weightForAge' | 'heightForAge' | 'weightForHeight' | 'bmiForAge', [number, number]> = {
  weightForAge: [-6, 5],
  heightForAge: [-6, 6],
  weightForHeight: [-5, 5],
  bmiForAge: [-5, 5],
};
const INDICATOR_NAMES = {
  weightForAge: 'Cân nặng theo tuổi',
  heightForAge: 'Chiều cao theo tuổi',
  weightForHeight: 'Cân nặng theo chiều cao',
  bmiForAge: 'BMI theo tuổi',
} as const;

/** z-score as Vietnamese writes it: −2,05 (minus sign, comma). */
export const formatZScore = (z: number): string => `${z < 0 ? '−' : z > 0 ? '+' : ''}${Math.abs(z).toFixed(2).replace('.', ',')}`;

const round2 = (z: number): number => Math.round(z * 100) / 100;
const MAX_MONTHS = 228;

function fromAgeTable(table: BySex<AgeTable>, sex: Sex, ageMonths: number): readonly [number, number, number] | null {
  const t = table[sex];
  return t.rows[ageMonths - t.fromMonth] ?? null;
}
function fromLengthTable(table: BySex<LengthTable>, sex: Sex, tenthsCm: number): readonly [number, number, number] | null {
  const t = table[sex];
  const row = t.rows[tenthsCm - t.fromMm];
  return row ? [t.l, row[0], row[1]] : null;
}

/**
 * The WHO z-scores of one measurement: weight-for-age, height-for-age, BMI-for-age and
 * weight-for-length/height, by completed months (WHO 2006 standards to 60 months, the WHO 2007
 * reference from 61; the monthly tables — WHO's own software interpolates by day of age, which
 * can move a z-score by a few hundredths). Incomplete when an input is missing, the age is out of
 * 0–228 months, or a z-score is outside WHO's plausible range (a measurement to check, not a child
 * to classify).
 */
export function growthZScores(m: GrowthMeasurement, options: GrowthOptions = DEFAULT_GROWTH_OPTIONS): Outcome<GrowthZScores> {
  const reasons = [
    ...(m.sex === null ? ['chưa có giới tính'] : []),
    ...(m.dateOfBirth === null ? ['chưa có ngày sinh'] : []),
    ...(m.measuredOn === null ? ['chưa có ngày cân đo'] : []),
    ...(m.heightTenthsCm === null ? ['chưa có chiều cao'] : []),
    ...(m.weightTenthsKg === null ? ['chưa có cân nặng'] : []),
  ];
  if (reasons.length > 0 || m.sex === null || m.dateOfBirth === null || m.measuredOn === null || m.heightTenthsCm === null || m.weightTenthsKg === null) {
    return incomplete(reasons);
  }
  if (m.measuredOn < m.dateOfBirth) return incomplete(['ngày cân đo trước ngày sinh']);
  const ageMonths = ageInCompletedMonths(m.dateOfBirth, m.measuredOn);
  if (ageMonths > MAX_MONTHS) return incomplete([`trẻ ${ageMonths} tháng tuổi, ngoài bảng chuẩn WHO (0–${MAX_MONTHS} tháng)`]);
  const lyingExpected = ageMonths < 24;
  const lying = m.measuredLying ?? lyingExpected;
  const heightTenthsCm = m.heightTenthsCm + (lying === lyingExpected ? 0 : lyingExpected ? 7 : -7);
  const sex = m.sex;
  const kg = m.weightTenthsKg / 10;
  const cm = heightTenthsCm / 10;
  const z = (lms: readonly [number, number, number] | null, x: number, restricted: boolean) => (lms ? round2(lmsZScore(x, lms[0], lms[1], lms[2], restricted)) : null);

  const covered = (v: number | null): number => {
    if (v === null) throw new Error(`unreachable: the height and BMI tables cover 0–${MAX_MONTHS} months`);
    return v;
  };
  const weightForAge = z(fromAgeTable(WHO_WEIGHT_FOR_AGE, sex, ageMonths), kg, true);
  const heightForAge = covered(z(fromAgeTable(WHO_HEIGHT_FOR_AGE, sex, ageMonths), cm, false));
  const bmiForAge = covered(z(fromAgeTable(WHO_BMI_FOR_AGE, sex, ageMonths), kg / (cm / 100) ** 2, true));
  let weightForHeight = bmiForAge;
  let weightForHeightBasis: WeightForHeightBasis = 'bmi_for_age';
  if (ageMonths <= 60 && options.under5Indicator === 'weight_for_height') {
    const table = lyingExpected ? WHO_WEIGHT_FOR_LENGTH : WHO_WEIGHT_FOR_HEIGHT;
    const wfh = z(fromLengthTable(table, sex, heightTenthsCm), kg, true);
    if (wfh !== null) {
      weightForHeight = wfh;
      weightForHeightBasis = lyingExpected ? 'weight_for_length' : 'weight_for_height';
    }
  }
  const values = { weightForAge, heightForAge, weightForHeight, bmiForAge };
  const implausible = (Object.keys(values) as Array<keyof typeof values>).flatMap((k) => {
    const v = values[k];
    const [lo, hi] = PLAUSIBLE[k];
    return v !== null && (v < lo || v > hi) ? [`${INDICATOR_NAMES[k]}: z = ${formatZScore(v)}, ngoài khoảng hợp lí (${formatZScore(lo)} đến ${formatZScore(hi)}); kiểm tra lại số đo`] : [];
  });
  if (implausible.length > 0) return incomplete(implausible);
  return ok({ ageMonths, heightTenthsCm, weightForAge, heightForAge, bmiForAge, weightForHeight, weightForHeightBasis });
}

/** Where a z-score falls: below −3, below −2, normal, above the first, above the second upper cut-off. */
export type ZBand = 'severe_low' | 'low' | 'normal' | 'high' | 'very_high';

/** Compares hundredths as integers: z = −2,00 is not below −2. */
function band(z: number, upper: readonly [number, number] | null): ZBand {
  const h = Math.round(z * 100);
  if (h < -300) return 'severe_low';
  if (h < -200) return 'low';
  if (upper && h > upper[1] * 100) return 'very_high';
  if (upper && h > upper[0] * 100) return 'high';
  return 'normal';
}

export type GrowthClassification = {
  /** < −3 severe, < −2 underweight; no upper band (WHO does not classify overweight by weight-for-age). */
  weightForAge: ZBand | null;
  /** < −3 severe, < −2 stunted. */
  heightForAge: ZBand;
  /** < −3 severe, < −2 wasted; up to 60 months > +2 overweight, > +3 obese; from 61 months (BMI, WHO 2007) > +1 overweight, > +2 obese. */
  weightForHeight: ZBand;
};

export const Z_BAND_LABELS: Record<keyof GrowthClassification, Partial<Record<ZBand, string>>> = {
  weightForAge: { severe_low: 'Nhẹ cân mức độ nặng', low: 'Nhẹ cân', normal: 'Bình thường' },
  heightForAge: { severe_low: 'Thấp còi mức độ nặng', low: 'Thấp còi', normal: 'Bình thường' },
  weightForHeight: { severe_low: 'Gầy còm mức độ nặng', low: 'Gầy còm', normal: 'Bình thường', high: 'Thừa cân', very_high: 'Béo phì' },
};

/** WHO's cut-offs for each indicator (WHO 2006 standards to 60 months; WHO 2007 BMI-for-age from 61). */
export function classifyGrowth(z: Pick<GrowthZScores, 'ageMonths' | 'weightForAge' | 'heightForAge' | 'weightForHeight'>): GrowthClassification {
  return {
    weightForAge: z.weightForAge === null ? null : band(z.weightForAge, null),
    heightForAge: band(z.heightForAge, null),
    weightForHeight: band(z.weightForHeight, z.ageMonths <= 60 ? [2, 3] : [1, 2]),
  };
}

/** Every CSDL nutrition code that applies, in code order; ['00'] when none does. */
export function nutritionCodes(c: GrowthClassification): NutritionCode[] {
  const low = (b: ZBand | null) => b === 'low' || b === 'severe_low';
  const codes: NutritionCode[] = [
    ...(low(c.weightForAge) ? (['01'] as const) : []),
    ...(low(c.heightForAge) ? (['02'] as const) : []),
    ...(low(c.weightForHeight) ? (['03'] as const) : []),
    ...(c.weightForHeight === 'high' || c.weightForHeight === 'very_high' ? (['04'] as const) : []),
  ];
  return codes.length > 0 ? codes : ['00'];
}

export type NutritionAssessment = { z: GrowthZScores; classification: GrowthClassification; codes: NutritionCode[]; code: NutritionCode };

/** One measurement → z-scores → WHO classification → the CSDL code(s). Incomplete as growthZScores is. */
export function nutritionStatus(m: GrowthMeasurement, options: GrowthOptions = DEFAULT_GROWTH_OPTIONS): Outcome<NutritionAssessment> {
  const z = growthZScores(m, options);
  if (z.status !== 'ok') return z;
  const classification = classifyGrowth(z.value);
  const codes = nutritionCodes(classification);
  const code = options.codePriority.find((c) => codes.includes(c)) ?? codes[0];
  return ok({ z: z.value, classification, codes, code });
}

// ───────────────────────────── Evaluation periods ─────────────────────────────

/**
 * The periods a preschool class is evaluated in: the end of term I and the end of the year, the
 * two the school's report to families and the office follows. A short fixed list, not the
 * school's own months: results are keyed by it (the database checks the same two codes).
 */
export const EVALUATION_PERIODS = ['end_term1', 'end_year'] as const;
export type EvaluationPeriod = (typeof EVALUATION_PERIODS)[number];
export const EVALUATION_PERIOD_LABELS: Record<EvaluationPeriod, string> = { end_term1: 'Cuối học kì I', end_year: 'Cuối năm học' };
