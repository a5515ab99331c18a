import { z } from 'zod';
import { ZIsoDate, ZOrgUnitKind, ZOwnership, ZSchoolLevel, ZUuid } from './common.js';

export const ZOrgUnit = z.object({
  id: z.string(),
  kind: ZOrgUnitKind,
  code: z.string().nullable(),
  name: z.string(),
  parentId: z.string().nullable(),
  schoolLevels: z.array(ZSchoolLevel),
  ownership: ZOwnership.nullable(),
  area: z.string().nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
export type TOrgUnit = z.infer<typeof ZOrgUnit>;

export const ZOrgTreeQuery = z.object({ asOf: ZIsoDate.optional() });
export const ZOrgTree = z.object({ asOf: z.string(), units: z.array(ZOrgUnit) });

export const ZOrgUnitDetail = z.object({
  unit: ZOrgUnit,
  history: z.array(ZOrgUnit.extend({ parentName: z.string().nullable(), changeReason: z.string().nullable() })),
  children: z.array(ZOrgUnit),
});

export const ZCreateOrgUnit = z.object({
  kind: ZOrgUnitKind.exclude(['ministry']),
  name: z.string().trim().min(2, 'Tên đơn vị quá ngắn.').max(200),
  code: z.string().trim().max(20).regex(/^[A-Za-z0-9._-]+$/, 'Mã đơn vị chỉ gồm chữ, số, dấu chấm, gạch.').optional(),
  parentId: ZUuid,
  schoolLevels: z.array(ZSchoolLevel).max(4).default([]),
  ownership: ZOwnership.optional(),
  area: z.enum(['urban', 'rural', 'mountain', 'island']).optional(),
  address: z.string().max(300).optional(),
  validFrom: ZIsoDate,
});

export const ZMoveOrgUnit = z.object({
  newParentId: ZUuid,
  effectiveDate: ZIsoDate,
  reason: z.string().trim().max(300).optional(),
});
export const ZCloseOrgUnit = z.object({ effectiveDate: ZIsoDate, reason: z.string().trim().max(300).optional() });
export const ZMergeOrgUnit = z.object({
  targetId: ZUuid,
  effectiveDate: ZIsoDate,
  reason: z.string().trim().max(300).optional(),
});
/** A merge answers how many units and schools moved under the target. */
export const ZMergeOrgUnitResult = z.object({ ok: z.boolean(), moved: z.number() });
export const ZRenameOrgUnit = z.object({
  name: z.string().trim().min(2).max(200),
  effectiveDate: ZIsoDate,
  reason: z.string().trim().max(300).optional(),
});

export const ZUnitSchoolsQuery = z.object({ asOf: ZIsoDate.optional() });
export const ZUnitSchools = z.object({
  asOf: z.string(),
  schools: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      code: z.string().nullable(),
      schoolLevels: z.array(ZSchoolLevel),
      ownership: ZOwnership.nullable(),
      parentName: z.string().nullable(),
      students: z.number(),
      classes: z.number(),
      /** Linking families, today: students with an activation code printed, students with a guardian who activated. */
      codesPrinted: z.number(),
      familiesActivated: z.number(),
      /** Students with a linked guardian who signed in or used the app in the last 7 days. */
      familiesActive7d: z.number(),
      /** Announcements of the last 30 days that reached the school's families; the children's families reached; those of them that read. */
      announcementsSent: z.number(),
      announcementReached: z.number(),
      announcementRead: z.number(),
    }),
  ),
  totals: z.object({ schools: z.number(), students: z.number(), classes: z.number(), familiesActivated: z.number(), familiesActive7d: z.number() }),
});
