import { afterEach, describe, expect, it } from 'vitest';
import type { TActivationClass, TActivationDone, TActivationPreview, TContactCodeAnswer } from '../../../../contracts/activation.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { SQL_INJECTION, UNICODE, XSS } from '../../../test/hostile-corpora.js';
import { pdfPageTexts } from '../../../test/pdf-text.js';
import { normalizeCode } from './activation-code.js';
import { adoptionCounts, MAX_ATTEMPTS_PER_ADDRESS, MAX_ATTEMPTS_PER_TARGET } from './activation.service.js';
import { startSmtp } from '../../../test/notice-receivers.js';
import { configureChannels } from '../notifications/channels/config.js';
import { closeMail } from '../notifications/channels/email.js';
import { type ContactMessage, setContactCodeSender } from './contact-sender.js';

// Linking families (issue 11, item 1), end to end through the API on the fixture province.
// 6A1 (homeroomA1's class): An (mother linked to parentA), Bình (no guardian in the fixture: the
// tests give her a father). 6A2: Cường (father linked to parentC). School B1 (another province):
// its student's mother has no account. The tests run in order on one database.
const ctx = await setupTestApp();
const db = ctx.handle.db;
const cls = (schoolId: string, classId: string) => `/api/v1/schools/${schoolId}/classes/${classId}`;
const BINH_FATHER = '00000000-0000-7000-8000-00000000a001';
const CUONG_MOTHER = '00000000-0000-7000-8000-00000000a002';

await db
  .insertInto('guardian')
  .values([
    { school_id: F.schoolA1, id: BINH_FATHER, student_id: F.studentBinh, relation: 'father', full_name: 'Đặng Văn Hùng', phone: '0903000111', email: null, occupation: null, birth_year: 1980, user_id: null },
    { school_id: F.schoolB1, id: '00000000-0000-7000-8000-00000000a003', student_id: F.studentB1, relation: 'father', full_name: 'Lò Văn Sáng', phone: '0904000222', email: null, occupation: null, birth_year: 1978, user_id: null },
    { school_id: F.schoolA1, id: CUONG_MOTHER, student_id: F.studentCuong, relation: 'mother', full_name: 'Lý Thị Hạnh', phone: null, email: 'hanh.ly@example.vn', occupation: null, birth_year: 1984, user_id: null },
  ])
  .execute();

/** The codes on a sheet, read from the PDF's text as a family reads them: who each is for, and the code. */
async function codesOn(pdf: Buffer): Promise<{ for: string; code: string }[]> {
  const text = (await pdfPageTexts(pdf)).join('\n').replace(/\s+/g, ' ');
  const out: { for: string; code: string }[] = [];
  const re = /Dành cho ([^:]+?)(?: \(tài khoản riêng của em, chỉ để xem\))?: ?(.*?) ?Mã kích hoạt: ([A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{4})/g;
  for (const m of text.matchAll(re)) out.push({ for: m[1] === 'học sinh' ? 'học sinh' : m[2].trim(), code: m[3] });
  return out;
}

const anonymous = (url: string, payload: object, ip = '203.0.113.7') => ctx.app.inject({ method: 'POST', url, payload, remoteAddress: ip });
const check = (code: string, ip?: string) => anonymous('/api/v1/activation/check', { activationCode: code }, ip);
const redeem = (body: object, ip?: string) => anonymous('/api/v1/activation/redeem', body, ip);
const childrenOf = async (cookie: string) => (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).json<{ children: { fullName: string }[] }>().children.map((c) => c.fullName);
const cookieOf = (res: { headers: Record<string, unknown> }) => String([res.headers['set-cookie']].flat()[0]).split(';')[0];

let sheet1: { for: string; code: string }[] = [];

describe('the class sheet: printed by the school, codes stored hashed only', () => {
  it('the homeroom teacher prints their class: each guardian without an account and each student (grade 6+) gets a code, with the child, class, expiry and steps in Vietnamese', async () => {
    const res = await (await ctx.as('homeroomA1')).post(`${cls(F.schoolA1, F.class6A1)}/activation/sheet.pdf`, {});
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = (await pdfPageTexts(res.rawPayload)).join('\n').replace(/\s+/g, ' ');
    expect(text).toContain('PHIẾU KÍCH HOẠT SỔ LIÊN LẠC ĐIỆN TỬ');
    expect(text).toContain('Học sinh: Đặng Thị Bình Lớp: 6A1');
    expect(text).toContain('Học sinh: Nguyễn Văn An Lớp: 6A1');
    expect(text).toContain('/kich-hoat');
    expect(text).toMatch(/hết hạn ngày \d{2}\/\d{2}\/\d{4}/);
    sheet1 = await codesOn(res.rawPayload);
    // Bình's father and Bình's own account; An's mother and An already have their accounts: no code, said so.
    expect(sheet1.map((c) => c.for).sort()).toEqual(['học sinh', 'Đặng Văn Hùng']);
    expect(text).toContain('Mẹ Trần Thị Mai đã kích hoạt tài khoản: không cần mã.');
    // Only hashes are kept: no code appears in any stored column.
    const rows = await db.selectFrom('activation_code').selectAll().where('school_id', '=', F.schoolA1).execute();
    expect(rows).toHaveLength(2);
    const stored = JSON.stringify(rows);
    for (const c of sheet1) {
      expect(stored).not.toContain(c.code);
      expect(stored).not.toContain(normalizeCode(c.code)!);
    }
    // Default validity 60 days.
    const days = (new Date(rows[0].expires_at).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(59);
    expect(days).toBeLessThan(61.1);
    const audit = await db.selectFrom('audit_log').select(['after', 'target_label']).where('action', '=', 'activation.print').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ target_label: '6A1 (2025-2026)', after: { studentCount: 2, codeCount: 2, wholeClass: true } });
  });

  it('the list shows each student, guardian, and code state; a teacher of another class, another school, an office and a parent cannot reach it', async () => {
    const list = (await (await ctx.as('homeroomA1')).get(`${cls(F.schoolA1, F.class6A1)}/activation`)).json<TActivationClass>();
    const binh = list.students.find((s) => s.studentId === F.studentBinh)!;
    expect(binh.guardians).toEqual([expect.objectContaining({ fullName: 'Đặng Văn Hùng', relation: 'father', activatedAt: null, code: expect.objectContaining({ state: 'unused' }) })]);
    expect(binh.ownAccount).toMatchObject({ activatedAt: null, code: { state: 'unused' } });
    const an = list.students.find((s) => s.studentId === F.studentAn)!;
    expect(an.guardians[0]).toMatchObject({ fullName: 'Trần Thị Mai', code: { state: 'none' } });
    expect(an.guardians[0].activatedAt).not.toBeNull();
    expect(an.ownAccount?.activatedAt).not.toBeNull();

    // homeroomA1 is not 6A2's homeroom teacher; mathA1 teaches there but is no homeroom teacher.
    expect((await (await ctx.as('homeroomA1')).post(`${cls(F.schoolA1, F.class6A2)}/activation/sheet.pdf`, {})).statusCode).toBe(404);
    expect((await (await ctx.as('homeroomA1')).get(`${cls(F.schoolA1, F.class6A2)}/activation`)).statusCode).toBe(404);
    expect([403, 404]).toContain((await (await ctx.as('mathA1')).post(`${cls(F.schoolA1, F.class6A2)}/activation/sheet.pdf`, {})).statusCode);
    for (const who of ['principalB1', 'soA', 'parentA', 'studentAn'] as const) {
      const res = await (await ctx.as(who)).get(`${cls(F.schoolA1, F.class6A1)}/activation`);
      expect([403, 404], who).toContain(res.statusCode);
      expect(res.body).not.toContain('Bình');
    }
    expect(await db.selectFrom('activation_code').select('id').where('school_id', '=', F.schoolA1).where('student_id', '=', F.studentCuong).execute()).toEqual([]);
  });
});

describe('a family activates with a printed code', () => {
  it('a wrong or malformed code says so, the same way, naming the field', async () => {
    for (const typed of ['ABC-DEF-GHJK', 'xyz', '0000000000']) {
      const res = await check(typed);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'activation_code_wrong', detail: expect.stringContaining('Mã kích hoạt: mã không đúng') });
    }
  });

  it('checking a code tells whose it is; typed in lower case without dashes works', async () => {
    const father = sheet1.find((c) => c.for === 'Đặng Văn Hùng')!;
    const res = await check(father.code.replace(/-/g, '').toLowerCase());
    expect(res.statusCode).toBe(200);
    expect(res.json<TActivationPreview>()).toMatchObject({ kind: 'guardian', childName: 'Đặng Thị Bình', className: '6A1', guardianName: 'Đặng Văn Hùng', relation: 'father', childConsentNeeded: true, consent: { purpose: 'contact_book' } });
  });

  it('no consent ticked: nothing is linked and the code still works; a weak password is refused by the password rule', async () => {
    const father = sheet1.find((c) => c.for === 'Đặng Văn Hùng')!;
    const refused = await redeem({ activationCode: father.code, consent: false, newAccount: { username: 'bo.binh', password: 'Matkhau2025' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'consent_required', detail: expect.stringContaining('Đồng ý xử lý dữ liệu cá nhân') });
    const weak = await redeem({ activationCode: father.code, consent: true, newAccount: { username: 'bo.binh', password: 'matkhau' } });
    expect(weak.json()).toMatchObject({ code: 'weak_password', detail: expect.stringContaining('Mật khẩu:') });
    expect((await db.selectFrom('guardian').select('user_id').where('id', '=', BINH_FATHER).executeTakeFirstOrThrow()).user_id).toBeNull();
    expect(await db.selectFrom('app_user').select('id').where('username', '=', 'bo.binh').execute()).toEqual([]);
  });

  it('a new parent account: linked to the guardian row, signed in, consent recorded, audited; the code works once', async () => {
    const father = sheet1.find((c) => c.for === 'Đặng Văn Hùng')!;
    const res = await redeem({ activationCode: father.code, consent: true, newAccount: { username: 'Bo.Binh', password: 'Matkhau2025' } });
    expect(res.statusCode).toBe(200);
    expect(res.json<TActivationDone>()).toEqual({ kind: 'guardian', childName: 'Đặng Thị Bình', username: 'bo.binh', newAccount: true });
    const user = await db.selectFrom('app_user').select(['id', 'display_name', 'student_id']).where('username', '=', 'bo.binh').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ display_name: 'Đặng Văn Hùng', student_id: null });
    expect((await db.selectFrom('guardian').select('user_id').where('id', '=', BINH_FATHER).executeTakeFirstOrThrow()).user_id).toBe(user.id);
    expect(await db.selectFrom('role_grant').select(['role', 'org_unit_id']).where('user_id', '=', user.id).execute()).toEqual([{ role: 'parent', org_unit_id: F.schoolA1 }]);
    expect(await db.selectFrom('consent_record').select(['purpose', 'action', 'giver', 'guardian_id', 'method']).where('student_id', '=', F.studentBinh).execute()).toEqual([
      { purpose: 'contact_book', action: 'give', giver: 'guardian', guardian_id: BINH_FATHER, method: 'online' },
    ]);
    expect(await childrenOf(cookieOf(res))).toEqual(['Đặng Thị Bình']);
    const audit = await db.selectFrom('audit_log').select(['after', 'username']).where('action', '=', 'activation.redeem').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ username: 'bo.binh', after: { activationKind: 'guardian', activationMethod: 'printed' } });

    const again = await redeem({ activationCode: father.code, consent: true, newAccount: { username: 'ke.gian', password: 'Matkhau2025' } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'activation_code_used' });
    expect(await db.selectFrom('app_user').select('id').where('username', '=', 'ke.gian').execute()).toEqual([]);
    // The list shows it activated, with when.
    const list = (await (await ctx.as('principalA1')).get(`${cls(F.schoolA1, F.class6A1)}/activation`)).json<TActivationClass>();
    expect(list.students.find((s) => s.studentId === F.studentBinh)!.guardians[0]).toMatchObject({ activatedAt: expect.stringMatching(/^\d{4}-/), code: { state: 'used' } });
  });

  it('a reprint replaces the unused codes of the students reprinted (old ones stop working); the new student code gives Bình her own account with her own consent', async () => {
    const oldStudentCode = sheet1.find((c) => c.for === 'học sinh')!.code;
    const res = await (await ctx.as('principalA1')).post(`${cls(F.schoolA1, F.class6A1)}/activation/sheet.pdf`, { studentIds: [F.studentBinh] });
    expect(res.statusCode).toBe(200);
    const text = (await pdfPageTexts(res.rawPayload)).join(' ');
    expect(text).toContain('Đặng Thị Bình');
    expect(text).not.toContain('Nguyễn Văn An');
    const sheet2 = await codesOn(res.rawPayload);
    // The father is linked now: only Bình's own code.
    expect(sheet2.map((c) => c.for)).toEqual(['học sinh']);
    const replaced = await check(oldStudentCode);
    expect(replaced.statusCode).toBe(409);
    expect(replaced.json()).toMatchObject({ code: 'activation_code_replaced', detail: expect.stringContaining('phiếu mới nhất') });

    const own = await redeem({ activationCode: sheet2[0].code, consent: true, newAccount: { username: 'dang.binh', password: 'Hocsinh2025' } });
    expect(own.statusCode).toBe(200);
    expect(own.json<TActivationDone>()).toMatchObject({ kind: 'student', childName: 'Đặng Thị Bình' });
    const user = await db.selectFrom('app_user').select(['id', 'student_school_id', 'student_id']).where('username', '=', 'dang.binh').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ student_school_id: F.schoolA1, student_id: F.studentBinh });
    expect(await db.selectFrom('role_grant').select('role').where('user_id', '=', user.id).execute()).toEqual([{ role: 'student' }]);
    expect(await db.selectFrom('consent_record').select(['giver', 'guardian_id']).where('student_id', '=', F.studentBinh).where('giver', '=', 'student').execute()).toEqual([{ giver: 'student', guardian_id: null }]);
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookieOf(own) } });
    expect(me.json()).toMatchObject({ username: 'dang.binh', grants: [{ role: 'student' }] });
  });

  it('an expired code is refused with its date, and the list says it expired', async () => {
    const res = await (await ctx.as('principalA1')).post(`${cls(F.schoolA1, F.class6A2)}/activation/sheet.pdf`, {});
    const own = (await codesOn(res.rawPayload)).find((c) => c.for === 'học sinh')!;
    await db.updateTable('activation_code').set({ expires_at: new Date(Date.now() - 60_000) }).where('student_id', '=', F.studentCuong).where('kind', '=', 'student').execute();
    const expired = await check(own.code);
    expect(expired.statusCode).toBe(409);
    expect(expired.json()).toMatchObject({ code: 'activation_code_expired', detail: expect.stringMatching(/đã hết hạn ngày \d{2}\/\d{2}\/\d{4}/) });
    expect((await redeem({ activationCode: own.code, consent: true, newAccount: { username: 'hoang.cuong', password: 'Hocsinh2025' } })).statusCode).toBe(409);
    const list = (await (await ctx.as('principalA1')).get(`${cls(F.schoolA1, F.class6A2)}/activation`)).json<TActivationClass>();
    expect(list.students[0].ownAccount?.code.state).toBe('expired');
  });

  it('a signed-in parent adds a child of another school with its printed code; the child is theirs and no one else’s', async () => {
    const sheet = await (await ctx.as('principalB1')).post(`${cls(F.schoolB1, F.class10B1)}/activation/sheet.pdf`, {});
    expect(sheet.statusCode).toBe(200);
    const guardianCode = (await codesOn(sheet.rawPayload)).find((c) => c.for === 'Lò Văn Sáng')!;
    const parentA = await ctx.as('parentA');
    // Without the session's CSRF token a signed-in request is refused.
    const noCsrf = await ctx.app.inject({ method: 'POST', url: '/api/v1/activation/redeem', headers: { cookie: parentA.cookie }, payload: { activationCode: guardianCode.code, consent: true } });
    expect(noCsrf.json()).toMatchObject({ code: 'csrf_failed' });
    const res = await parentA.post('/api/v1/activation/redeem', { activationCode: guardianCode.code, consent: true });
    expect(res.statusCode).toBe(200);
    expect(res.json<TActivationDone>()).toMatchObject({ kind: 'guardian', username: 'ph.an', newAccount: false });
    expect((await childrenOf(parentA.cookie)).length).toBe(2);
    expect(await db.selectFrom('role_grant').select('org_unit_id').where('user_id', '=', F.users.parentA).where('role', '=', 'parent').orderBy('org_unit_id').execute()).toHaveLength(2);
    // parentA now reads that child's profile; parentC still does not.
    expect((await parentA.get(`/api/v1/schools/${F.schoolB1}/students/${F.studentB1}`)).statusCode).toBe(200);
    expect([403, 404]).toContain((await (await ctx.as('parentC')).get(`/api/v1/schools/${F.schoolB1}/students/${F.studentB1}`)).statusCode);
  });

  it('another family cannot take over a guardian row already linked; a staff session cannot activate', async () => {
    // A code for An's mother (linked to parentA) as a stale sheet would carry it.
    const { newActivationCode, codeHash } = await import('./activation-code.js');
    const plain = newActivationCode();
    await db
      .insertInto('activation_code')
      .values({ id: crypto.randomUUID(), school_id: F.schoolA1, student_id: F.studentAn, kind: 'guardian', guardian_id: '00000000-0000-7000-8000-000000007001', code_hash: codeHash('printed', normalizeCode(plain)!), expires_at: new Date(Date.now() + 86_400_000) })
      .execute();
    const parentC = await ctx.as('parentC');
    const res = await parentC.post('/api/v1/activation/redeem', { activationCode: plain, consent: true });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'guardian_already_linked' });
    expect(await childrenOf(parentC.cookie)).toEqual(['Hoàng Quốc Cường']);
    const staff = await (await ctx.as('homeroomA1')).post('/api/v1/activation/redeem', { activationCode: plain, consent: true });
    expect(staff.json()).toMatchObject({ code: 'not_a_family_account' });
    expect((await db.selectFrom('guardian').select('user_id').where('id', '=', '00000000-0000-7000-8000-000000007001').executeTakeFirstOrThrow()).user_id).toBe(F.users.parentA);
  });
});

describe('attempt limits: per address and per code, a right code refused once over', () => {
  it(`${MAX_ATTEMPTS_PER_TARGET} wrong codes starting like a real one lock that start; another start from another address still works`, async () => {
    const fresh = await (await ctx.as('principalA1')).post(`${cls(F.schoolA1, F.class6A2)}/activation/sheet.pdf`, { studentIds: [F.studentCuong] });
    const real = (await codesOn(fresh.rawPayload)).find((c) => c.for === 'Lý Thị Hạnh')!.code;
    const start = real.replace(/-/g, '').slice(0, 5);
    const wrong = (i: number) => `${start}${'ABCDE'.slice(0, 5 - String(i).length)}${'23456789'[i % 8]}`.slice(0, 10);
    for (let i = 0; i < MAX_ATTEMPTS_PER_TARGET; i++) {
      const r = await check(wrong(i) === real.replace(/-/g, '') ? `${start}ZZZZZ` : wrong(i), `198.51.100.${i + 1}`);
      expect(r.statusCode).toBe(400);
    }
    const locked = await check(real, '198.51.100.99');
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'activation_throttled', detail: expect.stringContaining('phút') });
    await db.deleteFrom('activation_attempt').execute();
    expect((await check(real, '198.51.100.99')).statusCode).toBe(200);
  });

  it(`${MAX_ATTEMPTS_PER_ADDRESS} wrong codes from one address lock it for every code`, async () => {
    const codes = Array.from({ length: MAX_ATTEMPTS_PER_ADDRESS }, (_, i) => `Z${'23456789ABCDEFGHJKMNPQRSTUVWXY'[i]}${'A'.repeat(8)}`);
    for (const c of codes) expect((await check(c, '192.0.2.50')).statusCode).toBe(400);
    const res = await check('ZZZ-ZZZ-ZZZZ', '192.0.2.50');
    expect(res.statusCode).toBe(429);
    expect((await check('ZZZ-ZZZ-ZZZZ', '192.0.2.51')).statusCode).toBe(400);
  });
});

describe('learner id + date of birth + a code sent to the guardian’s contact on record', () => {
  afterEach(() => void setContactCodeSender(null));

  it('with no sender plugged in but SMTP configured, the code goes out by the contact book’s e-mail and arrives at the SMTP server', async () => {
    const smtp = await startSmtp();
    configureChannels({ smtpUrl: smtp.url });
    try {
      const answer = (await anonymous('/api/v1/activation/contact-code', { learnerId: '0100000003', dateOfBirth: '2014-11-30' }, '192.0.2.90')).json<TContactCodeAnswer>();
      expect(answer.channelReady).toBe(true);
      await expect.poll(() => smtp.arrived.length, { timeout: 10_000 }).toBe(1);
      expect(smtp.arrived[0]).toMatchObject({ to: 'hanh.ly@example.vn' });
      expect(smtp.arrived[0]!.text).toMatch(/\d{6}/);
      expect(smtp.arrived[0]!.text).toContain('Hoàng Quốc Cường');
    } finally {
      closeMail();
      configureChannels('reset');
      await smtp.close();
    }
  });

  it('no channel configured: said in Vietnamese, pointing to the printed code, the same for any learner', async () => {
    const a = (await anonymous('/api/v1/activation/contact-code', { learnerId: '0100000003', dateOfBirth: '2014-11-30' })).json<TContactCodeAnswer>();
    const b = (await anonymous('/api/v1/activation/contact-code', { learnerId: '0999999999', dateOfBirth: '2014-11-30' })).json<TContactCodeAnswer>();
    expect(a).toEqual(b);
    expect(a).toMatchObject({ channelReady: false, message: expect.stringContaining('mã kích hoạt in trên phiếu') });
  });

  it('with an e-mail sender: the code goes to the guardian’s e-mail on record and links her; wrong details say the same whether or not the learner exists', async () => {
    const sent: ContactMessage[] = [];
    setContactCodeSender({ channels: ['email'], send: async (m) => void sent.push(m) });
    const unknown = (await anonymous('/api/v1/activation/contact-code', { learnerId: '0999999999', dateOfBirth: '2014-11-30' }, '192.0.2.80')).json<TContactCodeAnswer>();
    const known = (await anonymous('/api/v1/activation/contact-code', { learnerId: '0100000003', dateOfBirth: '2014-11-30' }, '192.0.2.80')).json<TContactCodeAnswer>();
    expect(known).toEqual(unknown);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: 'email', to: 'hanh.ly@example.vn' });
    expect(sent[0].text).toContain('Hoàng Quốc Cường');
    const code = /(\d{6})/.exec(sent[0].text)![1];
    expect(JSON.stringify(await db.selectFrom('activation_code').selectAll().where('kind', '=', 'contact').execute())).not.toContain(code);

    const wrongCode = await redeem({ learnerId: '0100000003', dateOfBirth: '2014-11-30', contactCode: code === '000000' ? '000001' : '000000', consent: true, newAccount: { username: 'me.cuong', password: 'Matkhau2025' } }, '192.0.2.81');
    const noLearner = await redeem({ learnerId: '0999999999', dateOfBirth: '2014-11-30', contactCode: code, consent: true, newAccount: { username: 'me.cuong', password: 'Matkhau2025' } }, '192.0.2.81');
    expect(wrongCode.statusCode).toBe(400);
    expect(noLearner.json()).toEqual(wrongCode.json());

    const ok = await redeem({ learnerId: '0100000003', dateOfBirth: '2014-11-30', contactCode: code, consent: true, newAccount: { username: 'me.cuong', password: 'Matkhau2025' } }, '192.0.2.81');
    expect(ok.statusCode).toBe(200);
    expect((await db.selectFrom('guardian').select('user_id').where('id', '=', CUONG_MOTHER).executeTakeFirstOrThrow()).user_id).not.toBeNull();
    expect(await childrenOf(cookieOf(ok))).toEqual(['Hoàng Quốc Cường']);
    const audit = await db.selectFrom('audit_log').select('after').where('action', '=', 'activation.redeem').where('username', '=', 'me.cuong').executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ activationMethod: 'contact' });
    // Used once.
    const again = await redeem({ learnerId: '0100000003', dateOfBirth: '2014-11-30', contactCode: code, consent: true, newAccount: { username: 'me.cuong2', password: 'Matkhau2025' } }, '192.0.2.81');
    expect(again.statusCode).toBe(400);
  });

  it(`${MAX_ATTEMPTS_PER_TARGET} wrong sent codes for one learner id lock that learner id`, async () => {
    for (let i = 0; i < MAX_ATTEMPTS_PER_TARGET; i++) {
      expect((await redeem({ learnerId: '0100000002', dateOfBirth: '2014-07-19', contactCode: `12345${i}`, consent: true }, `192.0.2.${100 + i}`)).statusCode).toBe(400);
    }
    expect((await redeem({ learnerId: '0100000002', dateOfBirth: '2014-07-19', contactCode: '123459', consent: true }, '192.0.2.120')).json()).toMatchObject({ code: 'activation_throttled' });
  });
});

describe('the public routes under hostile input (the route walk of hostile-input.test.ts skips public routes)', () => {
  it('never a 5xx, always a Vietnamese problem, never the input echoed, nothing written', async () => {
    const before = await db.selectFrom('app_user').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    let n = 0;
    for (const evil of [...SQL_INJECTION, ...XSS, ...UNICODE]) {
      const ip = `10.9.${Math.floor(n / 250)}.${(n++ % 250) + 1}`;
      for (const [url, body] of [
        ['/api/v1/activation/check', { activationCode: evil }],
        ['/api/v1/activation/redeem', { activationCode: evil, consent: true, newAccount: { username: evil, password: evil } }],
        ['/api/v1/activation/redeem', { learnerId: evil, dateOfBirth: evil, contactCode: evil, consent: true }],
        ['/api/v1/activation/contact-code', { learnerId: evil, dateOfBirth: '2014-01-01' }],
      ] as const) {
        const res = await anonymous(url, body, ip);
        expect(res.statusCode, `${url} ${evil.slice(0, 30)}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.headers['content-type']).toContain('application/problem+json');
        const detail = res.json<{ detail: string }>().detail;
        expect(detail).toMatch(/[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i);
        if (evil.length > 3) expect(detail).not.toContain(evil);
      }
    }
    const after = await db.selectFrom('app_user').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toEqual(before.n);
  });
});

describe('adoption per school, for the offices', () => {
  it('counts current students, students with a printed code, families activated', async () => {
    const counts = await adoptionCounts(db, [F.schoolA1, F.schoolB1, F.schoolA3]);
    expect(counts.get(F.schoolA1)).toMatchObject({ students: 3, codesPrinted: 3, familiesActivated: 3 });
    expect(counts.get(F.schoolB1)).toMatchObject({ students: 1, codesPrinted: 1, familiesActivated: 1 });
    expect(counts.get(F.schoolA3)).toEqual({ students: 1, codesPrinted: 0, familiesActivated: 0, familiesActive7d: 0, announcementsSent: 0, announcementReached: 0, announcementRead: 0 });
  });

  it('counts families active in the last 7 days and the last 30 days of announcements with their reading (issue 11, item 7)', async () => {
    // Nobody active: every account signed in long ago, no session used since.
    await db.updateTable('app_user').set({ last_login_at: new Date(Date.now() - 30 * 86_400_000) }).execute();
    await db.deleteFrom('user_session').execute();
    expect((await adoptionCounts(db, [F.schoolA1])).get(F.schoolA1)).toMatchObject({ familiesActive7d: 0, announcementsSent: 0 });
    // An's mother (parentA) signs in: one family of school A1 active; 8 days ago would not count.
    await db.updateTable('app_user').set({ last_login_at: new Date() }).where('id', '=', F.users.parentA).execute();
    await db.updateTable('app_user').set({ last_login_at: new Date(Date.now() - 8 * 86_400_000) }).where('id', '=', F.users.parentC).execute();
    expect((await adoptionCounts(db, [F.schoolA1])).get(F.schoolA1)).toMatchObject({ familiesActive7d: 1 });
    // An announcement sent today reached An's and Bình's families; An's read it. One sent 31 days ago and a draft do not count.
    const sent = crypto.randomUUID();
    const old = crypto.randomUUID();
    const draft = crypto.randomUUID();
    const base = { org_unit_id: F.schoolA1, created_by: F.users.principalA1, title: 'Họp phụ huynh', body: 'Chủ nhật', audience: JSON.stringify({ families: true }) };
    await db
      .insertInto('announcement')
      .values([
        { ...base, id: sent, status: 'sent', sent_at: new Date() },
        { ...base, id: old, status: 'sent', sent_at: new Date(Date.now() - 31 * 86_400_000) },
        { ...base, id: draft, status: 'draft', sent_at: null },
      ])
      .execute();
    await db
      .insertInto('announcement_student')
      .values([sent, old, draft].flatMap((a) => [F.studentAn, F.studentBinh].map((st) => ({ announcement_id: a, school_id: F.schoolA1, student_id: st, class_id: F.class6A1 }))))
      .execute();
    await db.insertInto('announcement_read').values({ announcement_id: sent, student_id: F.studentAn, user_id: F.users.parentA }).execute();
    expect((await adoptionCounts(db, [F.schoolA1])).get(F.schoolA1)).toMatchObject({ announcementsSent: 1, announcementReached: 2, announcementRead: 1 });
  });
});
