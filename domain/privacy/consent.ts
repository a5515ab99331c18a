/**
 * Consent to process a student's personal data, per purpose.
 *
 * Sources (see docs/privacy.md):
 * - Nghị định 13/2023/NĐ-CP Art. 11: consent must be expressed clearly, in a form that can be
 *   printed and reproduced; silence is not consent. Art. 12: the data subject may withdraw it, and
 *   processing for that purpose stops.
 * - Nghị định 13/2023/NĐ-CP Art. 20 and Luật Bảo vệ dữ liệu cá nhân 2025 (91/2025/QH15) Art. 24:
 *   for a child aged 7 or older, the consent of the child AND of the parent or guardian.
 * - Nghị định 13/2023/NĐ-CP Art. 17: processing required by law needs no consent (the school's
 *   records, học bạ and the sector database are kept because the Ministry's rules require them).
 *
 * A record is one expressed act (give or withdraw), never edited: the state on a date is read from
 * the history up to that date.
 */
import { ageOn } from '../dates/vn-date.js';

/** Age from which the child's own consent is needed as well (ND 13/2023 Art. 20; Law 91/2025 Art. 24). */
export const CHILD_CONSENT_AGE = 7;
/** Age of majority (Bộ luật Dân sự 2015 Art. 20): from 18 the student alone decides. */
export const ADULT_AGE = 18;

export type ConsentBasis = 'legal_obligation' | 'consent';

export type ConsentPurpose = {
  code: string;
  label: string;
  basis: ConsentBasis;
  description: string;
};

/** The fixed list of purposes the school processes student data for. Codes are stable (stored). */
export const CONSENT_PURPOSES = [
  {
    code: 'school_records',
    label: 'Quản lý hồ sơ học sinh, học bạ và cơ sở dữ liệu ngành',
    basis: 'legal_obligation',
    description:
      'Trường phải lập và lưu hồ sơ, học bạ, báo cáo lên cơ sở dữ liệu ngành giáo dục theo quy định; xử lý theo quy định của pháp luật, không cần sự đồng ý (Điều 17 Nghị định 13/2023/NĐ-CP).',
  },
  {
    code: 'contact_book',
    label: 'Gửi tin nhắn sổ liên lạc điện tử',
    basis: 'consent',
    description: 'Dùng số điện thoại, email của cha mẹ để gửi thông báo, kết quả học tập qua sổ liên lạc điện tử.',
  },
  {
    code: 'photo_publish',
    label: 'Đăng ảnh, video của học sinh lên website, trang mạng xã hội của trường',
    basis: 'consent',
    description: 'Ảnh, video hoạt động có hình học sinh được đăng công khai trên website, fanpage của trường.',
  },
  {
    code: 'achievement_publish',
    label: 'Công bố họ tên, thành tích, giải thưởng của học sinh',
    basis: 'consent',
    description: 'Đăng họ tên, lớp và thành tích (học sinh giỏi, giải thi) trên bảng vinh danh, website của trường.',
  },
  {
    code: 'third_party_share',
    label: 'Chia sẻ thông tin cho bên thứ ba (bảo hiểm, đơn vị tổ chức tham quan, thi)',
    basis: 'consent',
    description: 'Cung cấp họ tên, ngày sinh, lớp cho đơn vị bảo hiểm, đơn vị tổ chức tham quan, trải nghiệm, cuộc thi ngoài trường.',
  },
] as const satisfies readonly ConsentPurpose[];

export type ConsentPurposeCode = (typeof CONSENT_PURPOSES)[number]['code'];
export const CONSENT_PURPOSE_CODES = CONSENT_PURPOSES.map((p) => p.code) as [ConsentPurposeCode, ...ConsentPurposeCode[]];

export function consentPurpose(code: string): ConsentPurpose | undefined {
  return CONSENT_PURPOSES.find((p) => p.code === code);
}

/** Who expressed the consent: one of the student's guardians, or the student themself. */
export type ConsentGiver = 'guardian' | 'student';

export type ConsentEvent = {
  purpose: string;
  action: 'give' | 'withdraw';
  giver: ConsentGiver;
  /** ISO date the act takes effect (the date signed on a paper form, or the day given online). */
  effectiveDate: string;
  /** When it was recorded (ISO timestamp): orders acts of the same day. */
  recordedAt: string;
};

export type ConsentState = 'given' | 'withdrawn' | 'none';

export type ConsentDecision = {
  purpose: string;
  basis: ConsentBasis;
  /** Processing for this purpose is allowed on the date. */
  allowed: boolean;
  ageOnDate: number;
  needsGuardian: boolean;
  needsStudent: boolean;
  guardian: ConsentState;
  student: ConsentState;
  /** Why, for the UI: what is missing, or 'ok'. */
  reason: 'legal_obligation' | 'ok' | 'guardian_missing' | 'student_missing' | 'withdrawn';
};

/** The latest act of one giver for one purpose on or before `date`. */
function stateOf(events: readonly ConsentEvent[], purpose: string, giver: ConsentGiver, date: string): ConsentState {
  let last: ConsentEvent | undefined;
  for (const e of events) {
    if (e.purpose !== purpose || e.giver !== giver || e.effectiveDate > date) continue;
    if (!last || e.effectiveDate > last.effectiveDate || (e.effectiveDate === last.effectiveDate && e.recordedAt >= last.recordedAt)) last = e;
  }
  if (!last) return 'none';
  return last.action === 'give' ? 'given' : 'withdrawn';
}

/**
 * Whether `purpose` may be processed for a student born on `dateOfBirth`, on `date`, given every
 * recorded act. A guardian's withdrawal ends the guardians' consent (any guardian may withdraw,
 * ND 13/2023 Art. 12) and the child's own withdrawal ends it too, from its effective date.
 * Under 7: the guardian decides. 7–17: guardian AND child. 18 and over: the student alone.
 */
export function decideConsent(input: { purpose: string; dateOfBirth: string; date: string; events: readonly ConsentEvent[] }): ConsentDecision {
  const { purpose, dateOfBirth, date, events } = input;
  const p = consentPurpose(purpose);
  if (!p) throw new RangeError(`Unknown consent purpose ${purpose}`);
  const age = date < dateOfBirth ? 0 : ageOn(dateOfBirth, date);
  const guardian = stateOf(events, purpose, 'guardian', date);
  const student = stateOf(events, purpose, 'student', date);
  const needsGuardian = age < ADULT_AGE;
  const needsStudent = age >= CHILD_CONSENT_AGE;
  const base = { purpose, basis: p.basis, ageOnDate: age, needsGuardian, needsStudent, guardian, student };
  if (p.basis === 'legal_obligation') return { ...base, allowed: true, reason: 'legal_obligation' };
  const required = [needsGuardian ? guardian : null, needsStudent ? student : null].filter((s): s is ConsentState => s !== null);
  if (required.includes('withdrawn')) return { ...base, allowed: false, reason: 'withdrawn' };
  if (needsGuardian && guardian !== 'given') return { ...base, allowed: false, reason: 'guardian_missing' };
  if (needsStudent && student !== 'given') return { ...base, allowed: false, reason: 'student_missing' };
  return { ...base, allowed: true, reason: 'ok' };
}
