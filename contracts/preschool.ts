import { z } from 'zod';
import { EVALUATION_PERIODS, parseHeightCm, parseWeightKg } from '../domain/index.js';
import { ZId, ZIsoDate } from './common.js';

// Preschool (mầm non): the school's indicator set, a class's development evaluation per period
// (Đạt / Chưa đạt per indicator) and the children's measurements with their nutrition status.

export const ZPreschoolPeriod = z.enum(EVALUATION_PERIODS);
export const ZDevelopmentQuery = z.object({ evaluationPeriod: ZPreschoolPeriod });
export const ZIndicatorResult = z.enum(['dat', 'chua_dat']);

/** Codes key the stored results: letters without accents, digits, _ . - (as indicatorSetProblems). */
const ZCode = z.string().trim().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'Mã chỉ dùng chữ không dấu, số và _ . - (tối đa 40 kí tự).');
const ZItemName = z.string().trim().min(1, 'Chưa nhập tên.').max(300);

export const ZIndicatorSetBody = z.object({
  name: ZItemName,
  basis: z.string().trim().max(300),
  domains: z
    .array(
      z.object({
        code: ZCode,
        name: ZItemName,
        standards: z
          .array(z.object({ code: ZCode, name: ZItemName, indicators: z.array(z.object({ code: ZCode, name: ZItemName })).max(100) }))
          .max(60),
      }),
    )
    .min(1)
    .max(12),
});

export const ZSaveIndicatorSet = ZIndicatorSetBody.extend({ version: z.number().int().min(0) });

export const ZIndicatorSet = ZIndicatorSetBody.extend({
  /** 0 = the default set, never saved by the school. */
  version: z.number(),
  isDefault: z.boolean(),
  /** What is wrong or still missing, in Vietnamese (indicatorSetProblems). */
  problems: z.array(z.string()),
  counts: z.object({ domains: z.number(), standards: z.number(), indicators: z.number() }),
  canEdit: z.boolean(),
});

const ZDomainOfChild = z.object({ domainCode: z.string(), domainName: z.string(), achieved: z.number(), total: z.number(), evaluated: z.number(), complete: z.boolean() });

export const ZDevelopmentSheet = z.object({
  classId: z.string(),
  className: z.string(),
  year: z.number(),
  yearLabel: z.string(),
  evaluationPeriod: ZPreschoolPeriod,
  periodLabel: z.string(),
  periods: z.array(z.object({ value: ZPreschoolPeriod, label: z.string() })),
  set: ZIndicatorSet,
  rows: z.array(
    z.object({
      studentId: z.string(),
      fullName: z.string(),
      results: z.record(z.string(), z.object({ value: ZIndicatorResult.nullable(), version: z.number() })),
      domains: z.array(ZDomainOfChild),
    }),
  ),
  /** Per domain: how many children achieved every indicator, how many did not achieve some, how many are not fully evaluated. */
  summary: z.array(z.object({ domainCode: z.string(), domainName: z.string(), achieved: z.number(), notAchieved: z.number(), incomplete: z.number() })),
  canEdit: z.boolean(),
  readOnlyReason: z.string().nullable(),
});

export const ZSaveDevelopment = z.object({
  evaluationPeriod: ZPreschoolPeriod,
  results: z
    .array(z.object({ studentId: ZId, indicator: ZCode, value: ZIndicatorResult.nullable(), version: z.number().int().min(0) }))
    .min(1)
    .max(5000),
});

const ZResultCell = z.object({ studentId: z.string(), indicator: z.string(), value: ZIndicatorResult.nullable(), version: z.number() });
export const ZSaveDevelopmentResult = z.object({
  saved: z.array(ZResultCell),
  conflicts: z.array(ZResultCell),
  rejected: z.array(z.object({ studentId: z.string(), indicator: z.string(), message: z.string() })),
});

/** A measurement as the family and the school read it: numbers as Vietnamese writes them, the status in words. */
export const ZMeasurement = z.object({
  measuredOn: z.string(),
  height: z.string(),
  weight: z.string(),
  version: z.number(),
  /** "4 tuổi 7 tháng (55 tháng)"; null when the date of birth is unknown. */
  age: z.string().nullable(),
  /** "Bình thường", "Suy dinh dưỡng thể thấp còi" …; every form that applies. Null when it cannot be computed. */
  status: z.array(z.string()).nullable(),
  /** Each WHO indicator in words with its z-score ("Chiều cao theo tuổi: Bình thường (z = −0,52)"), or why there is no status. */
  details: z.array(z.string()),
});

export const ZClassMeasurements = z.object({
  classId: z.string(),
  className: z.string(),
  yearLabel: z.string(),
  rows: z.array(z.object({ studentId: z.string(), fullName: z.string(), sexLabel: z.string().nullable(), dateOfBirth: z.string().nullable(), measurements: z.array(ZMeasurement) })),
  canEdit: z.boolean(),
  readOnlyReason: z.string().nullable(),
});

const measure = (parse: typeof parseHeightCm) =>
  z.string().max(20).superRefine((s, ctx) => {
    const r = parse(s);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
  });

export const ZSaveMeasurements = z.object({
  measurements: z
    .array(z.object({ studentId: ZId, measuredOn: ZIsoDate, height: measure(parseHeightCm), weight: measure(parseWeightKg), version: z.number().int().min(0) }))
    .min(1)
    .max(500),
});

export const ZSaveMeasurementsResult = z.object({
  saved: z.array(ZMeasurement.extend({ studentId: z.string() })),
  conflicts: z.array(z.object({ studentId: z.string(), measuredOn: z.string(), message: z.string() })),
  rejected: z.array(z.object({ studentId: z.string(), measuredOn: z.string(), message: z.string() })),
});

export const ZFamilyDevelopment = z.object({
  studentId: z.string(),
  fullName: z.string(),
  className: z.string().nullable(),
  /** A preschool child (current class of a preschool age group, or evaluated or measured at the school): the family's screen shows this part. */
  isPreschool: z.boolean(),
  periods: z.array(
    z.object({
      periodLabel: z.string(),
      /** Every indicator of the set has a result in this period. */
      complete: z.boolean(),
      domains: z.array(
        z.object({
          domainName: z.string(),
          /** "Đạt", "Chưa đạt", or "Chưa đánh giá xong (đã đánh giá 3/5 chỉ số)". */
          text: z.string(),
          /** The names of the indicators not yet achieved ("Chưa đạt"), as the set words them. */
          notAchieved: z.array(z.string()),
        }),
      ),
    }),
  ),
  measurements: z.array(ZMeasurement),
});

export type TIndicatorSet = z.infer<typeof ZIndicatorSet>;
export type TSaveIndicatorSet = z.infer<typeof ZSaveIndicatorSet>;
export type TDevelopmentSheet = z.infer<typeof ZDevelopmentSheet>;
export type TSaveDevelopment = z.infer<typeof ZSaveDevelopment>;
export type TSaveDevelopmentResult = z.infer<typeof ZSaveDevelopmentResult>;
export type TMeasurement = z.infer<typeof ZMeasurement>;
export type TClassMeasurements = z.infer<typeof ZClassMeasurements>;
export type TSaveMeasurements = z.infer<typeof ZSaveMeasurements>;
export type TSaveMeasurementsResult = z.infer<typeof ZSaveMeasurementsResult>;
export type TFamilyDevelopment = z.infer<typeof ZFamilyDevelopment>;
