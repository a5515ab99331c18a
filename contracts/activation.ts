import { z } from 'zod';
import { ZId, ZIsoDate } from './common.js';

/**
 * Linking families (issue 11, item 1): the activation codes a school prints per student, what a
 * family sends to activate, and the school's view of who has.
 */

/** A printed code as typed on a phone: letters and digits, dashes and spaces allowed (removed before the check). */
export const ZActivationCode = z
  .string()
  .trim()
  .min(1, 'Hãy nhập mã kích hoạt in trên phiếu.')
  .max(40, 'Mã kích hoạt gồm 10 ký tự (chữ và số), ví dụ ABC-DEF-GHJK.');

const ZLearnerId = z.string().trim().regex(/^\d{10}$/, 'Mã định danh Bộ GD&ĐT phải gồm đúng 10 chữ số.');

/** A new account chosen at activation (the password rule of every account, server/src/platform/passwords.ts). */
export const ZNewAccount = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9._-]{3,40}$/, 'Tên đăng nhập gồm 3–40 ký tự: chữ a-z không dấu, số, dấu chấm, gạch ngang, gạch dưới.'),
  password: z.string().min(1, 'Hãy nhập mật khẩu.').max(128, 'Mật khẩu không được dài quá 128 ký tự.'),
});

export const ZActivationCheck = z.object({ activationCode: ZActivationCode });

/** The learner id and date of birth the family knows, to receive a code at the guardian's contact on record. */
export const ZContactCodeRequest = z.object({ learnerId: ZLearnerId, dateOfBirth: ZIsoDate });
export const ZContactCodeAnswer = z.object({
  /** A channel (e-mail, SMS) is configured on this server: a code was sent if the details matched a learner with a contact. */
  channelReady: z.boolean(),
  message: z.string(),
});

/** What a valid code is for, shown before the family consents and chooses an account. */
export const ZActivationPreview = z.object({
  kind: z.enum(['guardian', 'student']),
  schoolName: z.string(),
  className: z.string().nullable(),
  childName: z.string(),
  /** The guardian on record the code was printed for (guardian codes). */
  guardianName: z.string().nullable(),
  relation: z.enum(['father', 'mother', 'guardian']).nullable(),
  /** The child is 7 or older: their own consent is needed too (given with their own account, or on paper at school). */
  childConsentNeeded: z.boolean(),
  consent: z.object({ purpose: z.string(), label: z.string(), description: z.string() }),
  expiresAt: z.string(),
});

/**
 * Activate: with a printed code, or with the learner id + date of birth + the code sent to the
 * guardian's contact. A signed-in parent links the child to their account; otherwise newAccount
 * creates one (and signs it in).
 */
export const ZActivationRedeem = z.object({
  activationCode: ZActivationCode.optional(),
  learnerId: ZLearnerId.optional(),
  dateOfBirth: ZIsoDate.optional(),
  contactCode: z.string().trim().max(20).optional(),
  consent: z.boolean(),
  newAccount: ZNewAccount.optional(),
});
export const ZActivationDone = z.object({
  kind: z.enum(['guardian', 'student']),
  childName: z.string(),
  username: z.string(),
  /** A new account was made and is now signed in. */
  newAccount: z.boolean(),
});

const ZCodeState = z.enum(['none', 'unused', 'used', 'expired', 'replaced']);
const ZCodeInfo = z.object({ state: ZCodeState, printedAt: z.string().nullable(), expiresAt: z.string().nullable() });

export const ZActivationClass = z.object({
  classId: z.string(),
  className: z.string(),
  grade: z.number().int(),
  /** Days a printed code stays valid (TRUONGSO_ACTIVATION_DAYS). */
  validDays: z.number().int(),
  students: z.array(
    z.object({
      studentId: z.string(),
      fullName: z.string(),
      guardians: z.array(
        z.object({
          guardianId: z.string(),
          fullName: z.string(),
          relation: z.enum(['father', 'mother', 'guardian']),
          activatedAt: z.string().nullable(),
          code: ZCodeInfo,
        }),
      ),
      /** Grade 6 and up: the student's own account. */
      ownAccount: z.object({ activatedAt: z.string().nullable(), code: ZCodeInfo }).nullable(),
    }),
  ),
});

/** Print (or reprint) the class's sheet: the chosen students, or the whole class when none are chosen. */
export const ZActivationPrint = z.object({ studentIds: z.array(ZId).max(200).optional() });

export type TActivationPreview = z.infer<typeof ZActivationPreview>;
export type TActivationRedeem = z.infer<typeof ZActivationRedeem>;
export type TActivationDone = z.infer<typeof ZActivationDone>;
export type TActivationClass = z.infer<typeof ZActivationClass>;
export type TContactCodeAnswer = z.infer<typeof ZContactCodeAnswer>;
