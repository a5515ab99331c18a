import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_5_YEAR_INDICATOR_SET,
  DEFAULT_GROWTH_OPTIONS,
  NUTRITION_STATUS_LABELS,
  SEED_SOURCE,
  TT23_2010_INDICATOR_SET,
  ageInCompletedMonths,
  classifyGrowth,
  developmentSummary,
  domainSummary,
  formatZScore,
  growthZScores,
  inAgeRange,
  indicatorSetCounts,
  indicatorSetProblems,
  lmsZScore,
  nutritionCodes,
  nutritionStatus,
  parseHeightCm,
  parseWeightKg,
  unknownIndicatorCodes,
  type DevelopmentIndicatorSet,
  type GrowthMeasurement,
} from './preschool.js';
import { WHO_BMI_FOR_AGE, WHO_HEIGHT_FOR_AGE, WHO_WEIGHT_FOR_AGE, WHO_WEIGHT_FOR_HEIGHT, WHO_WEIGHT_FOR_LENGTH } from './who-growth-data.js';

/** A small set as a school would enter it (codes and names made up for the test, not the Ministry's). */
const SCHOOL_SET: DevelopmentIndicatorSet = {
  ...DEFAULT_5_YEAR_INDICATOR_SET,
  expected: null,
  domains: [
    {
      code: 'the_chat',
      name: 'Thể chất',
      standards: [{ code: 'c1', name: 'Chuẩn A', indicators: [{ code: 'cs1', name: 'Chỉ số A1' }, { code: 'cs2', name: 'Chỉ số A2' }, { code: 'cs3', name: 'Chỉ số A3' }] }],
    },
    { code: 'nhan_thuc', name: 'Nhận thức', standards: [{ code: 'c2', name: 'Chuẩn B', indicators: [{ code: 'cs4', name: 'Chỉ số B1' }] }] },
  ],
};

describe('Bộ chuẩn phát triển trẻ em 5 tuổi: the seeded sets', () => {
  it('QĐ 4222/QĐ-BGDĐT (2024): six domains, 60–71 months, 22 standards and 70 indicators expected', () => {
    expect(DEFAULT_5_YEAR_INDICATOR_SET.domains.map((d) => d.name)).toEqual(['Thể chất', 'Tình cảm và xã hội', 'Ngôn ngữ và giao tiếp', 'Nhận thức', 'Thẩm mĩ', 'Tiếp cận với việc học']);
    expect(DEFAULT_5_YEAR_INDICATOR_SET.expected).toEqual({ domains: 6, standards: 22, indicators: 70 });
    expect([inAgeRange(DEFAULT_5_YEAR_INDICATOR_SET, 59), inAgeRange(DEFAULT_5_YEAR_INDICATOR_SET, 60), inAgeRange(DEFAULT_5_YEAR_INDICATOR_SET, 71), inAgeRange(DEFAULT_5_YEAR_INDICATOR_SET, 72)]).toEqual([false, true, true, false]);
  });
  it('no standard or indicator text is invented: the seed says what the school must enter', () => {
    expect(indicatorSetCounts(DEFAULT_5_YEAR_INDICATOR_SET)).toEqual({ domains: 6, standards: 0, indicators: 0 });
    expect(indicatorSetProblems(DEFAULT_5_YEAR_INDICATOR_SET)).toContain('Còn thiếu 22 chuẩn, 70 chỉ số so với Quyết định 4222/QĐ-BGDĐT ngày 27/12/2024');
    expect(SEED_SOURCE.qd4222_2024.missing).toMatch(/22 standards and 70 indicators/);
  });
  it('TT 23/2010 (older standard): four domains, 28 standards and 120 indicators expected', () => {
    expect(TT23_2010_INDICATOR_SET.domains).toHaveLength(4);
    expect(indicatorSetProblems(TT23_2010_INDICATOR_SET)).toContain('Còn thiếu 28 chuẩn, 120 chỉ số so với Thông tư 23/2010/TT-BGDĐT');
  });
  it('an edited set: repeated or invalid codes and empty names are reported', () => {
    expect(indicatorSetProblems(SCHOOL_SET)).toEqual([]);
    const broken: DevelopmentIndicatorSet = {
      ...SCHOOL_SET,
      domains: [{ ...SCHOOL_SET.domains[0], standards: [{ code: 'c1', name: 'Chuẩn A', indicators: [{ code: 'cs1', name: '' }, { code: 'cs1', name: 'x' }, { code: 'chỉ số', name: 'y' }] }] }],
    };
    expect(indicatorSetProblems(broken)).toEqual([
      'Tên chỉ số "cs1" đang để trống',
      'Mã chỉ số "cs1" bị trùng',
      'Mã chỉ số "chỉ số" không hợp lệ (chỉ dùng chữ không dấu, số, _ . -)',
    ]);
  });
});

describe('Development evaluation: Đạt / Chưa đạt per indicator, summary per domain', () => {
  it('counts achieved out of total and lists what is not achieved', () => {
    const r = developmentSummary(SCHOOL_SET, { cs1: 'dat', cs2: 'chua_dat', cs3: 'dat', cs4: 'dat' });
    expect(r).toEqual({
      status: 'ok',
      value: [
        { domainCode: 'the_chat', domainName: 'Thể chất', achieved: 2, total: 3, notAchieved: [{ code: 'cs2', name: 'Chỉ số A2' }] },
        { domainCode: 'nhan_thuc', domainName: 'Nhận thức', achieved: 1, total: 1, notAchieved: [] },
      ],
    });
  });
  it('an unevaluated indicator makes the domain incomplete, never Chưa đạt', () => {
    expect(domainSummary(SCHOOL_SET.domains[0], { cs1: 'dat', cs2: null })).toEqual({ status: 'incomplete', reasons: ['Thể chất: chưa đánh giá 2/3 chỉ số (cs2, cs3)'] });
    expect(developmentSummary(SCHOOL_SET, { cs1: 'dat', cs2: 'dat', cs3: 'dat' })).toEqual({ status: 'incomplete', reasons: ['Nhận thức: chưa đánh giá 1/1 chỉ số (cs4)'] });
  });
  it('the seeded set cannot be summarised until the school enters indicators', () => {
    const r = developmentSummary(DEFAULT_5_YEAR_INDICATOR_SET, {});
    expect(r.status).toBe('incomplete');
    if (r.status === 'incomplete') expect(r.reasons[0]).toBe('Thể chất: bộ chỉ số chưa có chỉ số nào cho lĩnh vực này');
  });
  it('results for indicators no longer in the set are reported, not counted', () => {
    expect(unknownIndicatorCodes(SCHOOL_SET, { cs1: 'dat', cs99: 'dat' })).toEqual(['cs99']);
  });
  it('property: achieved + not achieved = total when every indicator is evaluated', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('dat' as const, 'chua_dat' as const), { minLength: 4, maxLength: 4 }), (rs) => {
        const results = Object.fromEntries(['cs1', 'cs2', 'cs3', 'cs4'].map((c, i) => [c, rs[i]]));
        const r = developmentSummary(SCHOOL_SET, results);
        if (r.status !== 'ok') throw new Error('complete');
        for (const d of r.value) expect(d.achieved + d.notAchieved.length).toBe(d.total);
        expect(r.value.reduce((n, d) => n + d.achieved, 0)).toBe(rs.filter((x) => x === 'dat').length);
      }),
    );
  });
});

describe('Growth: measurements in tenths, age in completed months', () => {
  it('height and weight as typed: comma or point, one decimal, kept as exact tenths', () => {
    expect(parseHeightCm('98,5')).toEqual({ ok: true, tenths: 985 });
    expect(parseHeightCm(' 98.5 ')).toEqual({ ok: true, tenths: 985 });
    expect(parseHeightCm('105')).toEqual({ ok: true, tenths: 1050 });
    expect(parseWeightKg('15,20')).toEqual({ ok: true, tenths: 152 });
    expect(parseWeightKg('15,25')).toEqual({ ok: false, message: 'Cân nặng ghi một chữ số thập phân ("15,25"), ví dụ 15,2.' });
    expect(parseHeightCm('abc').ok).toBe(false);
    expect(parseHeightCm('').ok).toBe(false);
    expect(parseWeightKg('0,5')).toEqual({ ok: false, message: 'Cân nặng phải từ 1,0 đến 150,0 kg ("0,5").' });
  });
  it('a month is completed on the day of the month of birth', () => {
    expect(ageInCompletedMonths('2019-03-10', '2024-03-09')).toBe(59);
    expect(ageInCompletedMonths('2019-03-10', '2024-03-10')).toBe(60);
    expect(ageInCompletedMonths('2024-01-31', '2024-02-29')).toBe(0);
    expect(ageInCompletedMonths('2024-01-31', '2024-03-01')).toBe(1);
    expect(ageInCompletedMonths('2024-01-31', '2024-03-31')).toBe(2);
    expect(() => ageInCompletedMonths('2024-01-31', '2024-01-30')).toThrow(RangeError);
  });
});

describe('WHO LMS z-scores (WHO 2006 standards, WHO 2007 reference)', () => {
  it('the tables: weight-for-age 0–120 months, height- and BMI-for-age 0–228, weight-for-length 45–110 cm and -for-height 65–120 cm by 0,1 cm', () => {
    for (const sex of ['male', 'female'] as const) {
      expect(WHO_WEIGHT_FOR_AGE[sex].rows).toHaveLength(121);
      expect(WHO_HEIGHT_FOR_AGE[sex].rows).toHaveLength(229);
      expect(WHO_BMI_FOR_AGE[sex].rows).toHaveLength(229);
      expect(WHO_WEIGHT_FOR_LENGTH[sex].rows).toHaveLength(651);
      expect(WHO_WEIGHT_FOR_HEIGHT[sex].rows).toHaveLength(551);
    }
    // Spot values as printed by WHO: boys' weight-for-age at 60 months, girls' at 36 months
    expect(WHO_WEIGHT_FOR_AGE.male.rows[60]).toEqual([-0.1506, 18.3366, 0.13517]);
    expect(WHO_WEIGHT_FOR_AGE.female.rows[36]).toEqual([-0.3201, 13.8503, 0.12919]);
    // lhfa: length at 23 months, then height from 24 (87.1161 boys, not the length 87.8161)
    expect(WHO_HEIGHT_FOR_AGE.male.rows[24]).toEqual([1, 87.1161, 0.03507]);
    expect(WHO_WEIGHT_FOR_HEIGHT.male.rows[1000 - 650]).toEqual([15.3576, 0.08229]);
  });
  it('at the median z = 0', () => {
    for (const [l, m, s] of [WHO_WEIGHT_FOR_AGE.male.rows[60], WHO_HEIGHT_FOR_AGE.female.rows[66], WHO_BMI_FOR_AGE.male.rows[61]]) expect(lmsZScore(m, l, m, s, true)).toBeCloseTo(0, 12);
  });
  it('reproduces WHO 2007 printed SD values, including WHO’s rule beyond ±3 SD (boys, weight-for-age, 61 months)', () => {
    const [l, m, s] = WHO_WEIGHT_FOR_AGE.male.rows[61];
    const printed: Array<[number, number]> = [[11.07, -4], [12.718, -3], [14.367, -2], [18.506, 0], [24.165, 2], [27.77, 3], [31.375, 4]];
    for (const [x, sd] of printed) expect(lmsZScore(x, l, m, s, true)).toBeCloseTo(sd, 3);
    // without the restriction the LMS curve gives other values beyond 3 SD
    expect(Math.abs(lmsZScore(31.375, l, m, s, false) - 4)).toBeGreaterThan(0.1);
  });
  it('property: z rises with the measure and is continuous at ±3 SD', () => {
    const [l, m, s] = WHO_WEIGHT_FOR_AGE.female.rows[48];
    fc.assert(
      fc.property(fc.integer({ min: 50, max: 400 }), (tenths) => {
        expect(lmsZScore((tenths + 1) / 10, l, m, s, true)).toBeGreaterThan(lmsZScore(tenths / 10, l, m, s, true));
      }),
    );
    for (const sd of [-3, 3]) {
      const at = m * (1 + l * s * sd) ** (1 / l);
      expect(lmsZScore(at * (1 + 1e-9), l, m, s, true)).toBeCloseTo(lmsZScore(at * (1 - 1e-9), l, m, s, true), 6);
    }
  });
});

const boy60 = (heightTenthsCm: number, weightTenthsKg: number, extra: Partial<GrowthMeasurement> = {}): GrowthMeasurement => ({
  sex: 'male',
  dateOfBirth: '2019-03-10',
  measuredOn: '2024-03-10',
  heightTenthsCm,
  weightTenthsKg,
  ...extra,
});

describe('Nutrition status: WHO cut-offs and the CSDL codes (TINH_TRANG_DINH_DUONG_SME)', () => {
  it('the code list, names exactly as in the Ministry data dictionary', () => {
    expect(NUTRITION_STATUS_LABELS).toEqual({
      '00': 'Bình thường',
      '01': 'Suy dinh dưỡng thể nhẹ cân',
      '02': 'Suy dinh dưỡng thể thấp còi',
      '03': 'Suy dinh dưỡng thể còi cọc',
      '04': 'Thừa cân, béo phì',
    });
  });
  it('weight-for-age: a boy of 60 months at 14,0 kg is below −2 SD (01), at 14,1 kg not (WHO −2 SD = 14,07)', () => {
    const low = nutritionStatus(boy60(1015, 140));
    const normal = nutritionStatus(boy60(1015, 141));
    expect(low.status === 'ok' && [low.value.z.weightForAge, low.value.classification.weightForAge, low.value.codes]).toEqual([-2.04, 'low', ['01']]);
    expect(normal.status === 'ok' && [normal.value.z.weightForAge, normal.value.classification.weightForAge, normal.value.code]).toEqual([-1.98, 'normal', '00']);
  });
  it('severe below −3 SD: 12,3 kg (z −3,04) is severe, 12,4 kg (z −2,98) moderate', () => {
    const band = (w: number) => {
      const r = nutritionStatus(boy60(1100, w));
      return r.status === 'ok' ? r.value.classification.weightForAge : null;
    };
    expect(band(123)).toBe('severe_low');
    expect(band(124)).toBe('low');
  });
  it('height-for-age: 100,6 cm at 60 months is stunted (02, z −2,02); 100,7 cm is not (z −2,00 is not below −2)', () => {
    const a = nutritionStatus(boy60(1006, 160));
    const b = nutritionStatus(boy60(1007, 160));
    expect(a.status === 'ok' && [a.value.z.heightForAge, a.value.codes]).toEqual([-2.02, ['02']]);
    expect(b.status === 'ok' && [b.value.z.heightForAge, b.value.codes]).toEqual([-2, ['00']]);
  });
  it('weight-for-height (24–60 months): boy 100,0 cm — 13,0 kg wasted (03), 13,1 kg normal, 18,7 kg overweight, 20,5 kg obese (04)', () => {
    const at = (w: number) => {
      const r = nutritionStatus(boy60(1000, w, { dateOfBirth: '2020-03-10' })); // 48 months
      if (r.status !== 'ok') throw new Error(r.reasons.join('; '));
      return [r.value.z.weightForHeightBasis, r.value.z.weightForHeight, r.value.classification.weightForHeight, r.value.codes];
    };
    expect(at(130)).toEqual(['weight_for_height', -2.09, 'low', expect.arrayContaining(['03'])]);
    expect(at(131)).toEqual(['weight_for_height', -1.99, 'normal', expect.not.arrayContaining(['03'])]);
    expect(at(187)).toEqual(['weight_for_height', 2.31, 'high', ['04']]);
    expect(at(205)).toEqual(['weight_for_height', 3.37, 'very_high', ['04']]);
  });
  it('from 61 months, BMI-for-age (WHO 2007): overweight above +1 SD, obese above +2 SD — boy 66 months, 113,0 cm', () => {
    const at = (w: number) => {
      const r = nutritionStatus({ sex: 'male', dateOfBirth: '2019-01-05', measuredOn: '2024-07-05', heightTenthsCm: 1130, weightTenthsKg: w });
      if (r.status !== 'ok') throw new Error(r.reasons.join('; '));
      return [r.value.z.ageMonths, r.value.z.weightForHeightBasis, r.value.z.bmiForAge, r.value.classification.weightForHeight];
    };
    expect(at(212)).toEqual([66, 'bmi_for_age', 0.95, 'normal']);
    expect(at(213)).toEqual([66, 'bmi_for_age', 1, 'normal']); // z 1,0035 rounds to 1,00: not above +1
    expect(at(214)).toEqual([66, 'bmi_for_age', 1.05, 'high']);
    expect(at(237)).toEqual([66, 'bmi_for_age', 2.11, 'very_high']);
  });
  it('a girl uses the girls’ tables (30 months, 90,0 cm, 12,0 kg: all normal)', () => {
    const r = nutritionStatus({ sex: 'female', dateOfBirth: '2022-01-20', measuredOn: '2024-07-20', heightTenthsCm: 900, weightTenthsKg: 120 });
    expect(r.status === 'ok' && [r.value.z.weightForAge, r.value.z.heightForAge, r.value.z.weightForHeight, r.value.code]).toEqual([-0.46, -0.19, -0.59, '00']);
  });
  it('under 24 months measured standing: 0,7 cm is added (boy 12 months, 75,0 cm standing → read as 75,7)', () => {
    const m: GrowthMeasurement = { sex: 'male', dateOfBirth: '2023-05-01', measuredOn: '2024-05-01', heightTenthsCm: 750, weightTenthsKg: 96, measuredLying: false };
    const r = growthZScores(m);
    expect(r.status === 'ok' && [r.value.heightTenthsCm, r.value.heightForAge, r.value.weightForHeightBasis]).toEqual([757, -0.02, 'weight_for_length']);
    const lying = growthZScores({ ...m, measuredLying: true });
    expect(lying.status === 'ok' && [lying.value.heightTenthsCm, lying.value.heightForAge]).toEqual([750, -0.32]);
  });
  it('several forms at once: every code is returned, the single CSDL code follows the priority option', () => {
    const c = classifyGrowth({ ageMonths: 48, weightForAge: -2.5, heightForAge: -2.5, weightForHeight: -1 });
    expect(nutritionCodes(c)).toEqual(['01', '02']);
    const m = boy60(960, 120); // 60 months, 96,0 cm, 12,0 kg: underweight, stunted and wasted
    const byDefault = nutritionStatus(m);
    expect(byDefault.status === 'ok' && [byDefault.value.codes, byDefault.value.code]).toEqual([['01', '02', '03'], '01']);
    const stuntingFirst = nutritionStatus(m, { ...DEFAULT_GROWTH_OPTIONS, codePriority: ['02', '03', '01', '04'] });
    expect(stuntingFirst.status === 'ok' && stuntingFirst.value.code).toBe('02');
  });
  it('missing inputs are incomplete with Vietnamese reasons, never a status', () => {
    expect(nutritionStatus({ sex: null, dateOfBirth: '2020-01-01', measuredOn: null, heightTenthsCm: 1000, weightTenthsKg: null })).toEqual({
      status: 'incomplete',
      reasons: ['chưa có giới tính', 'chưa có ngày cân đo', 'chưa có cân nặng'],
    });
    expect(nutritionStatus(boy60(1000, 150, { measuredOn: '2019-01-01' }))).toEqual({ status: 'incomplete', reasons: ['ngày cân đo trước ngày sinh'] });
  });
  it('an implausible z-score (WHO flags) is a measurement to check, not a child to classify', () => {
    const r = nutritionStatus(boy60(600, 150)); // 60,0 cm at 5 years: a typing slip for 106,0
    expect(r.status).toBe('incomplete');
    if (r.status === 'incomplete') expect(r.reasons[0]).toMatch(/^Chiều cao theo tuổi: z = −\d+,\d\d, ngoài khoảng hợp lí \(−6,00 đến \+6,00\); kiểm tra lại số đo$/);
  });
  it('z-scores are written the Vietnamese way', () => {
    expect([formatZScore(-2.05), formatZScore(0), formatZScore(1.5)]).toEqual(['−2,05', '0,00', '+1,50']);
  });
});
