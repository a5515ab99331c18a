import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { TAnnouncementDetail, TFamilyAnnouncement } from '../../../../contracts/announcements.js';
import { F, KITS } from '../../../test/fixture-ids.js';
import { type Session, setupTestApp } from '../../../test/harness.js';
import { JobRunner } from '../../platform/jobs.js';
import { multipart } from '../imports/imports.test-helpers.js';
import { sendDueNow, sniffType } from './announcements.service.js';

// Announcements (thông báo, issue 11 item 3) end to end through the API, on the fixture province:
// school A1 has 6A1 (An — parentA, the student account hs.an — and Bình, no family account) and
// 6A2 (Cường — parentC); homeroomA1 is 6A1's homeroom teacher; communeA1 (communeA) is over A1, A2,
// M1, M2; A3 belongs to communeA2. Rules: announcements.service.ts and the policy rows
// announcementSend / familyAnnouncements of server/test/access-policy.ts.
const ctx = await setupTestApp({ jobs: false });
const db = ctx.handle.db;
const unit = (id: string) => `/api/v1/org-units/${id}/announcements`;
const child = (schoolId: string, studentId: string) => `/api/v1/schools/${schoolId}/students/${studentId}/announcements`;

async function draft(s: Session, unitId: string, body: Record<string, unknown>) {
  const res = await s.post(unit(unitId), { body: 'Kính gửi quý phụ huynh,\n\nNhà trường thông báo…', ...body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TAnnouncementDetail>();
}
async function sendNow(s: Session, unitId: string, id: string) {
  const res = await s.post(`${unit(unitId)}/${id}/send`, { sendAt: null });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TAnnouncementDetail>();
}
const inbox = (userId: string, sourceId: string) => db.selectFrom('notification').select(['user_id', 'student_id', 'school_id', 'title', 'body', 'link', 'read_at']).where('source_id', '=', sourceId).where('user_id', '=', userId).execute();
const inboxOf = (sourceId: string) => db.selectFrom('notification').select(['user_id', 'student_id']).where('source_id', '=', sourceId).orderBy('user_id').execute();

function upload(s: Session, unitId: string, id: string, fileName: string, body: Buffer) {
  const m = multipart(fileName, body);
  return ctx.app.inject({ method: 'POST', url: `${unit(unitId)}/${id}/attachments`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': m.contentType }, payload: m.payload });
}
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32)]);

describe('audiences: who sends to whom', () => {
  it("the principal to a class's families: its guardians' accounts get it per child, another class's do not; the student account only when chosen", async () => {
    const p = await ctx.as('principalA1');
    const a = await draft(p, F.schoolA1, { title: 'Họp phụ huynh lớp 6A1', audience: { families: true, classIds: [F.class6A1] } });
    expect(a).toMatchObject({ status: 'draft', audienceText: 'Cha mẹ học sinh lớp 6A1', canManage: true });
    const sent = await sendNow(p, F.schoolA1, a.id);
    expect(sent.status).toBe('sent');
    expect(sent.counts).toEqual({ students: 2, linked: 1, read: 0, staff: 0, staffRead: 0 });
    expect(await inboxOf(a.id)).toEqual([{ user_id: F.users.parentA, student_id: F.studentAn }]);
    const [notice] = await inbox(F.users.parentA, a.id);
    // What a lock screen may show: the title and the sender, a link into the app.
    expect(notice).toMatchObject({ title: 'Họp phụ huynh lớp 6A1', body: 'Thông báo của Trường THCS Lê Lợi', link: `/con-cua-toi/${F.schoolA1}/${F.studentAn}?thong-bao=${a.id}` });
    // The unread list: both, Bình's family has no account linked.
    expect(sent.unread.map((u) => [u.fullName, u.className, u.linked])).toEqual([
      ['Nguyễn Văn An', '6A1', true],
      ['Đặng Thị Bình', '6A1', false],
    ]);

    const withStudents = await draft(p, F.schoolA1, { title: 'Lịch thi học kì', audience: { families: false, students: true, classIds: [F.class6A1] } });
    await sendNow(p, F.schoolA1, withStudents.id);
    expect(await inboxOf(withStudents.id)).toEqual([{ user_id: F.users.studentAn, student_id: F.studentAn }]);
  });

  it("the whole school: every current student's family and the school's staff accounts (the sender left out)", async () => {
    const p = await ctx.as('principalA1');
    const a = await draft(p, F.schoolA1, { title: 'Nghỉ Tết Dương lịch', audience: { families: true, staff: true } });
    expect(a.audienceText).toBe('Cha mẹ học sinh toàn trường; cán bộ, giáo viên của trường');
    const sent = await sendNow(p, F.schoolA1, a.id);
    expect(sent.counts).toMatchObject({ students: 3, linked: 2, staff: 3 });
    const got = (await inboxOf(a.id)).map((n) => `${n.user_id}|${n.student_id ?? '-'}`).sort();
    expect(got).toEqual(
      [`${F.users.parentA}|${F.studentAn}`, `${F.users.parentC}|${F.studentCuong}`, `${F.users.staffA1}|-`, `${F.users.homeroomA1}|-`, `${F.users.mathA1}|-`].sort(),
    );
  });

  it('a homeroom teacher writes to their own class only, never another class nor the staff, and sees only their own', async () => {
    const t = await ctx.as('homeroomA1');
    const list = (await t.get(unit(F.schoolA1))).json<{ options: { wholeSchool: boolean; classes: { name: string }[] }; items: { authorName: string }[] }>();
    expect(list.options.wholeSchool).toBe(false);
    expect(list.options.classes.map((c) => c.name)).toEqual(['6A1']);
    expect(list.items).toEqual([]);
    const other = await t.post(unit(F.schoolA1), { title: 'x', body: 'y', audience: { families: true, classIds: [F.class6A2] } });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'announcement_not_your_class' });
    expect(other.json<{ detail: string }>().detail).toContain('Lớp nhận thông báo');
    const whole = await t.post(unit(F.schoolA1), { title: 'x', body: 'y', audience: { families: true } });
    expect(whole.statusCode).toBe(403);
    expect((await t.post(unit(F.schoolA1), { title: 'x', body: 'y', audience: { families: true, staff: true, classIds: [F.class6A1] } })).statusCode).toBe(403);
    const mine = await draft(t, F.schoolA1, { title: 'Lớp 6A1 đi tham quan', audience: { families: true, classIds: [F.class6A1] } });
    await sendNow(t, F.schoolA1, mine.id);
    expect(await inboxOf(mine.id)).toEqual([{ user_id: F.users.parentA, student_id: F.studentAn }]);
    // The principal's announcements are not the teacher's to read or touch.
    const principals = await db.selectFrom('announcement').select('id').where('created_by', '=', F.users.principalA1).execute();
    expect((await t.get(`${unit(F.schoolA1)}/${principals[0]!.id}`)).statusCode).toBe(404);
    expect((await t.get(unit(F.schoolA1))).json<{ items: { title: string }[] }>().items.map((i) => i.title)).toEqual(['Lớp 6A1 đi tham quan']);
    // A subject teacher sends nothing.
    expect((await (await ctx.as('mathA1')).get(unit(F.schoolA1))).statusCode).toBe(404);
  });

  it('an office writes to the staff of the schools below it today, and to their families when it chooses; never a school elsewhere, never from another office', async () => {
    const o = await ctx.as('communeA');
    const list = (await o.get(unit(F.communeA1))).json<{ options: { unitKind: string; schools: { id: string }[] } }>();
    expect(list.options.unitKind).toBe('office');
    expect(list.options.schools.map((s) => s.id).sort()).toEqual([F.schoolA1, F.schoolA2, F.schoolM1, F.schoolM2].sort());
    const elsewhere = await o.post(unit(F.communeA1), { title: 'x', body: 'y', audience: { staff: true, families: false, schoolIds: [F.schoolA3] } });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json()).toMatchObject({ code: 'school_not_below' });
    // Not in a school's name, not in the name of the office below (the province officer).
    expect((await o.get(unit(F.schoolA1))).statusCode).toBe(404);
    expect((await (await ctx.as('soA')).get(unit(F.communeA1))).statusCode).toBe(404);
    expect((await (await ctx.as('communeA2')).get(unit(F.communeA1))).statusCode).toBe(404);

    const staffOnly = await draft(o, F.communeA1, { title: 'Tập huấn chuyển đổi số', audience: { families: false, staff: true, schoolIds: [F.schoolA1] } });
    const sent = await sendNow(o, F.communeA1, staffOnly.id);
    expect(sent.counts).toMatchObject({ students: 0, staff: 4 });
    expect((await inboxOf(staffOnly.id)).every((n) => n.student_id === null)).toBe(true);
    expect((await inboxOf(staffOnly.id)).map((n) => n.user_id)).not.toContain(F.users.parentA);

    const families = await draft(o, F.communeA1, { title: 'Phòng chống dịch sốt xuất huyết', audience: { families: true, staff: false } });
    await sendNow(o, F.communeA1, families.id);
    const got = await inboxOf(families.id);
    expect(got).toContainEqual({ user_id: F.users.parentA, student_id: F.studentAn });
    // A3's family is under another commune: not reached.
    expect(await db.selectFrom('announcement_student').select('student_id').where('announcement_id', '=', families.id).where('school_id', '=', F.schoolA3).execute()).toEqual([]);
  });

  it('refuses an empty audience or a title too long in Vietnamese, naming the field', async () => {
    const p = await ctx.as('principalA1');
    const none = await p.post(unit(F.schoolA1), { title: 'x', body: 'y', audience: { families: false } });
    expect(none.statusCode).toBe(400);
    expect(none.json<{ detail: string }>().detail).toMatch(/^Người nhận: /);
    const long = await p.post(unit(F.schoolA1), { title: 'a'.repeat(201), body: 'y', audience: {} });
    expect(long.json<{ detail: string }>().detail).toContain('Tiêu đề');
    const blank = await p.post(unit(F.schoolA1), { title: 'Tiêu đề', body: '   \n ', audience: {} });
    expect(blank.json<{ detail: string }>().detail).toContain('Nội dung');
  });
});

describe('attachments: type by content, size, and who may download', () => {
  it('takes a PDF and a PNG; refuses a renamed file, an unknown type, a file over 5 MB and a sixth file', async () => {
    expect(sniffType(PDF)).toBe('application/pdf');
    expect(sniffType(Buffer.from('MZ\x90\x00'))).toBeNull();
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Danh sách').addRow(['Họ và tên']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    expect(sniffType(xlsx)).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    // A zip that is not an Office document is not a .docx.
    expect(sniffType(Buffer.from(zipSync({ 'a.txt': new Uint8Array([1]) })))).toBeNull();
    const p = await ctx.as('principalA1');
    const a = await draft(p, F.schoolA1, { title: 'Thực đơn bán trú', audience: { families: true, classIds: [F.class6A1] } });
    expect((await upload(p, F.schoolA1, a.id, 'thuc-don.pdf', PDF)).statusCode).toBe(200);
    const renamed = await upload(p, F.schoolA1, a.id, 'anh.pdf', PNG);
    expect(renamed.statusCode).toBe(415);
    expect(renamed.json()).toMatchObject({ code: 'attachment_content_mismatch' });
    expect(renamed.json<{ detail: string }>().detail).toContain('anh.pdf');
    expect((await upload(p, F.schoolA1, a.id, 'virus.exe', Buffer.from('MZ\x90\x00'))).json()).toMatchObject({ code: 'attachment_type' });
    const big = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]);
    const tooBig = await upload(p, F.schoolA1, a.id, 'lon.pdf', big);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json<{ detail: string }>().detail).toContain('5 MB');
    for (let i = 2; i <= 5; i++) expect((await upload(p, F.schoolA1, a.id, `anh-${i}.png`, PNG)).statusCode).toBe(200);
    expect((await upload(p, F.schoolA1, a.id, 'anh-6.png', PNG)).json()).toMatchObject({ code: 'attachments_full' });
    const detail = await sendNow(p, F.schoolA1, a.id);
    expect(detail.attachments.map((f) => f.fileName)).toEqual(['thuc-don.pdf', 'anh-2.png', 'anh-3.png', 'anh-4.png', 'anh-5.png']);
    // Sent: no more changes to its files.
    expect((await upload(p, F.schoolA1, a.id, 'muon.pdf', PDF)).json()).toMatchObject({ code: 'announcement_already_sent' });

    const file = detail.attachments[0]!;
    const own = await (await ctx.as('parentA')).get(`${child(F.schoolA1, F.studentAn)}/${a.id}/attachments/${file.id}`);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('application/pdf');
    expect(own.rawPayload.equals(PDF)).toBe(true);
    // parentC's child is in 6A2: not reached, neither through his child nor through An's path.
    expect((await (await ctx.as('parentC')).get(`${child(F.schoolA1, F.studentCuong)}/${a.id}/attachments/${file.id}`)).statusCode).toBe(404);
    expect((await (await ctx.as('parentC')).get(`${child(F.schoolA1, F.studentAn)}/${a.id}/attachments/${file.id}`)).statusCode).toBe(404);
    // A parent of another school (B1's student's guardian, given an account here).
    await db.updateTable('guardian').set({ user_id: F.users.principalB1 }).where('student_id', '=', F.studentB1).execute();
    const parentB = await (await ctx.as('principalB1')).get(`${child(F.schoolB1, F.studentB1)}/${a.id}/attachments/${file.id}`);
    expect([403, 404]).toContain(parentB.statusCode);
    expect((await (await ctx.as('principalB1')).get(`${child(F.schoolA1, F.studentAn)}/${a.id}/attachments/${file.id}`)).statusCode).toBe(404);
    expect((await (await ctx.as('principalB1')).get(`${unit(F.schoolA1)}/${a.id}/attachments/${file.id}`)).statusCode).toBe(404);
    // The sender downloads it too.
    expect((await p.get(`${unit(F.schoolA1)}/${a.id}/attachments/${file.id}`)).rawPayload.equals(PDF)).toBe(true);
  });
});

describe('scheduled sending', () => {
  it('waits for its time as a job, can be edited and cancelled before; a cancelled one never goes', async () => {
    const p = await ctx.as('principalA1');
    const a = await draft(p, F.schoolA1, { title: 'Lịch họp', audience: { families: true, classIds: [F.class6A1] } });
    const past = await p.post(`${unit(F.schoolA1)}/${a.id}/send`, { sendAt: new Date(Date.now() - 60_000).toISOString() });
    expect(past.json()).toMatchObject({ code: 'send_at_past' });
    const at = new Date(Date.now() + 2 * 3600_000);
    const scheduled = (await p.post(`${unit(F.schoolA1)}/${a.id}/send`, { sendAt: at.toISOString() })).json<TAnnouncementDetail>();
    expect(scheduled).toMatchObject({ status: 'scheduled', sendAt: at.toISOString(), canManage: true });
    const job = await db.selectFrom('background_job').select(['run_after', 'state']).where('kind', '=', 'announcement_send').where('params', '@>', JSON.stringify({ announcementId: a.id }) as never).executeTakeFirstOrThrow();
    expect(new Date(job.run_after).toISOString()).toBe(at.toISOString());
    expect(await inboxOf(a.id)).toEqual([]);
    // Not due yet: nothing happens.
    expect(await sendDueNow(db, a.id)).toBe(false);
    const edited = await p.put(`${unit(F.schoolA1)}/${a.id}`, { title: 'Lịch họp (sửa giờ)', body: 'Họp lúc 8 giờ.', audience: { families: true, classIds: [F.class6A1] } });
    expect(edited.json()).toMatchObject({ title: 'Lịch họp (sửa giờ)', status: 'scheduled' });
    expect((await p.post(`${unit(F.schoolA1)}/${a.id}/cancel`)).json()).toMatchObject({ status: 'cancelled' });
    await db.updateTable('announcement').set({ send_at: new Date(Date.now() - 1000) }).where('id', '=', a.id).execute();
    expect(await sendDueNow(db, a.id)).toBe(false);
    expect(await inboxOf(a.id)).toEqual([]);
    expect((await p.post(`${unit(F.schoolA1)}/${a.id}/send`, { sendAt: null })).json()).toMatchObject({ code: 'announcement_cancelled' });
    const audit = await db.selectFrom('audit_log').select(['action', 'target_label', 'before', 'after']).where('entity_id', '=', a.id).orderBy('at').execute();
    expect(audit.map((r) => r.action)).toEqual(['announcement.schedule', 'announcement.edit', 'announcement.cancel']);
    // The edit of a scheduled announcement says what it was and what will go out.
    expect(audit[1]).toMatchObject({
      target_label: 'Lịch họp (sửa giờ)',
      before: { status: 'scheduled', title: 'Lịch họp', body: 'Kính gửi quý phụ huynh,\n\nNhà trường thông báo…' },
      after: { title: 'Lịch họp (sửa giờ)', body: 'Họp lúc 8 giờ.' },
    });
    // Only what changed (the audience did not).
    expect(Object.keys(audit[1]!.after as object).sort()).toEqual(['body', 'title']);
  });

  it('the job runner sends it when due, exactly once', async () => {
    const p = await ctx.as('principalA1');
    const a = await draft(p, F.schoolA1, { title: 'Thông báo hẹn giờ', audience: { families: true, classIds: [F.class6A1] } });
    await p.post(`${unit(F.schoolA1)}/${a.id}/send`, { sendAt: new Date(Date.now() + 3600_000).toISOString() });
    // Time passes: the announcement and its job are due.
    await db.updateTable('announcement').set({ send_at: new Date(Date.now() - 1000) }).where('id', '=', a.id).execute();
    await db.updateTable('background_job').set({ run_after: new Date(Date.now() - 1000) }).where('kind', '=', 'announcement_send').where('state', '=', 'queued').execute();
    const runner = new JobRunner(db, { pollMs: 20 });
    runner.start();
    for (let i = 0; i < 200 && (await inboxOf(a.id)).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    await runner.stop();
    expect(await inboxOf(a.id)).toEqual([{ user_id: F.users.parentA, student_id: F.studentAn }]);
    expect(await sendDueNow(db, a.id)).toBe(false);
    expect((await inboxOf(a.id)).length).toBe(1);
    const audit = await db.selectFrom('audit_log').select(['action', 'user_id']).where('entity_id', '=', a.id).orderBy('at').execute();
    expect(audit).toEqual([
      { action: 'announcement.schedule', user_id: F.users.principalA1 },
      { action: 'announcement.send', user_id: null },
    ]);
  });
});

describe('what staff received', () => {
  it('a teacher reads the principal\'s staff announcement in "Thông báo nhận được", with its file; the sender sees it read; nobody else can open it', async () => {
    const p = await ctx.as('principalA1');
    const a = await draft(p, F.schoolA1, { title: 'Họp hội đồng sư phạm', audience: { families: false, staff: true } });
    expect((await upload(p, F.schoolA1, a.id, 'bien-ban.pdf', PDF)).statusCode).toBe(200);
    await sendNow(p, F.schoolA1, a.id);
    // The inbox notice opens the received page, not the sender's.
    expect(await inbox(F.users.mathA1, a.id)).toEqual([expect.objectContaining({ link: `/thong-bao-nhan?thong-bao=${a.id}` })]);

    const teacher = await ctx.as('mathA1');
    const list = (await teacher.get('/api/v1/me/announcements')).json<{ items: { id: string; title: string; read: boolean; senderName: string; attachmentCount: number }[]; unread: number }>();
    expect(list.items.find((i) => i.id === a.id)).toMatchObject({ title: 'Họp hội đồng sư phạm', read: false, senderName: 'Trần Văn Hùng — Trường THCS Lê Lợi', attachmentCount: 1 });
    expect(list.unread).toBeGreaterThanOrEqual(1);
    const opened = (await teacher.get(`/api/v1/me/announcements/${a.id}`)).json<TFamilyAnnouncement>();
    expect(opened).toMatchObject({ title: 'Họp hội đồng sư phạm', body: 'Kính gửi quý phụ huynh,\n\nNhà trường thông báo…', read: true });
    const file = await teacher.get(`/api/v1/me/announcements/${a.id}/attachments/${opened.attachments[0]!.id}`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PDF)).toBe(true);
    expect((await teacher.get('/api/v1/me/announcements')).json<{ items: { id: string; read: boolean }[] }>().items.find((i) => i.id === a.id)).toMatchObject({ read: true });
    expect((await inbox(F.users.mathA1, a.id))[0]!.read_at).not.toBeNull();
    expect((await p.get(`${unit(F.schoolA1)}/${a.id}`)).json<TAnnouncementDetail>().counts).toMatchObject({ staff: 3, staffRead: 1 });

    // A parent, another school's principal, the sender herself (not a receiver): 404, nothing of it.
    for (const who of ['parentA', 'principalB1', 'principalA1'] as const) {
      const s2 = await ctx.as(who);
      const res = await s2.get(`/api/v1/me/announcements/${a.id}`);
      expect(res.statusCode, who).toBe(404);
      expect(res.body).not.toContain('Họp hội đồng');
      expect((await s2.get(`/api/v1/me/announcements/${a.id}/attachments/${opened.attachments[0]!.id}`)).statusCode, who).toBe(404);
      expect((await s2.get('/api/v1/me/announcements')).body).not.toContain('Họp hội đồng');
    }
  });
});

describe('read receipts and reminders', () => {
  it('a family opening it records the read; the sender sees the count and the unread list; reminding reaches the unread only, not twice an hour', async () => {
    const p = await ctx.as('principalA1');
    const a = await draft(p, F.schoolA1, { title: 'Khám sức khỏe định kì', audience: { families: true } });
    await sendNow(p, F.schoolA1, a.id);
    // Bình's mother gets an account now.
    const binhMother = crypto.randomUUID();
    await db.insertInto('app_user').values({ id: binhMother, username: 'me.binh', password_hash: 'x', display_name: 'Mẹ em Bình' }).execute();
    await db.insertInto('guardian').values({ school_id: F.schoolA1, id: crypto.randomUUID(), student_id: F.studentBinh, relation: 'mother', full_name: 'Đặng Thị Hương', phone: null, email: null, occupation: null, birth_year: 1986, user_id: binhMother }).execute();

    const parent = await ctx.as('parentA');
    const list = (await parent.get(child(F.schoolA1, F.studentAn))).json<{ items: { id: string; read: boolean }[]; unread: number }>();
    expect(list.items.find((i) => i.id === a.id)).toMatchObject({ read: false });
    const opened = (await parent.get(`${child(F.schoolA1, F.studentAn)}/${a.id}`)).json<TFamilyAnnouncement>();
    expect(opened).toMatchObject({ title: 'Khám sức khỏe định kì', body: 'Kính gửi quý phụ huynh,\n\nNhà trường thông báo…', senderName: 'Trần Văn Hùng — Trường THCS Lê Lợi' });
    expect((await inbox(F.users.parentA, a.id))[0]!.read_at).not.toBeNull();
    expect((await parent.get(child(F.schoolA1, F.studentAn))).json<{ items: { id: string; read: boolean }[] }>().items.find((i) => i.id === a.id)).toMatchObject({ read: true });

    const detail = (await p.get(`${unit(F.schoolA1)}/${a.id}`)).json<TAnnouncementDetail>();
    expect(detail.counts).toMatchObject({ students: 3, linked: 3, read: 1 });
    expect(detail.unread.map((u) => u.fullName).sort()).toEqual(['Hoàng Quốc Cường', 'Đặng Thị Bình'].sort());

    const tooSoon = await p.post(`${unit(F.schoolA1)}/${a.id}/remind`);
    expect(tooSoon.statusCode).toBe(409);
    expect(tooSoon.json<{ detail: string }>().detail).toMatch(/nhắc lại sau \d\d:\d\d ngày \d\d\/\d\d\/\d{4}/);
    await db.updateTable('announcement').set({ sent_at: new Date(Date.now() - 2 * 3600_000) }).where('id', '=', a.id).execute();
    const reminded = await p.post(`${unit(F.schoolA1)}/${a.id}/remind`);
    expect(reminded.json()).toEqual({ reminded: 2 });
    const again = await db.selectFrom('notification').select(['user_id', 'title']).where('source_id', '=', a.id).where('title', 'like', 'Nhắc lại:%').orderBy('user_id').execute();
    expect(again.map((n) => n.user_id).sort()).toEqual([F.users.parentC, binhMother].sort());
    // Opening someone else's child's announcement: nothing found, nothing recorded.
    expect((await (await ctx.as('parentC')).get(`${child(F.schoolA1, F.studentAn)}/${a.id}`)).statusCode).toBe(404);
    expect(await db.selectFrom('announcement_read').select('user_id').where('announcement_id', '=', a.id).execute()).toEqual([{ user_id: F.users.parentA }]);
  });

  it('a parent of two children in two schools sees each school’s announcement once, in that child’s list only', async () => {
    // parentA is also the guardian of A3's pupil.
    await db.updateTable('guardian').set({ user_id: F.users.parentA }).where('id', '=', KITS.A3.guardianId).execute();
    await db.insertInto('role_grant').values({ id: crypto.randomUUID(), user_id: F.users.parentA, role: 'parent', org_unit_id: F.schoolA3 }).execute();
    const a1 = await draft(await ctx.as('principalA1'), F.schoolA1, { title: 'Trường A1: lịch nghỉ', audience: { families: true } });
    await sendNow(await ctx.as('principalA1'), F.schoolA1, a1.id);
    const a3 = await draft(await ctx.as('principalA3'), F.schoolA3, { title: 'Trường A3: lịch nghỉ', audience: { families: true } });
    await sendNow(await ctx.as('principalA3'), F.schoolA3, a3.id);
    const parent = await ctx.as('parentA');
    const an = (await parent.get(child(F.schoolA1, F.studentAn))).json<{ items: { title: string }[] }>().items.map((i) => i.title);
    const khoa = (await parent.get(child(F.schoolA3, KITS.A3.studentId))).json<{ items: { title: string }[] }>().items.map((i) => i.title);
    expect(an.filter((t) => t.startsWith('Trường'))).toEqual(['Trường A1: lịch nghỉ']);
    expect(khoa).toEqual(['Trường A3: lịch nghỉ']);
    expect(await inbox(F.users.parentA, a3.id)).toEqual([expect.objectContaining({ student_id: KITS.A3.studentId, school_id: F.schoolA3 })]);
    // The other school's announcement through the wrong child: not found.
    expect((await parent.get(`${child(F.schoolA1, F.studentAn)}/${a3.id}`)).statusCode).toBe(404);
  });

  it("a parent of two children of one class gets one notice, not two; reading it on one child's page counts for both", async () => {
    // Cường's younger sibling joins his class, with the same father's account (parentC).
    const sibling = crypto.randomUUID();
    const cuong = await db.selectFrom('student').selectAll().where('id', '=', F.studentCuong).executeTakeFirstOrThrow();
    await db
      .insertInto('student')
      .values({ ...cuong, id: sibling, person_id: crypto.randomUUID(), family_name: 'Hoàng', middle_name: 'Minh', given_name: 'Châu', search_text: 'hoang minh chau', learner_id: null, citizen_id: null, temp_code: 'TAM-CHAU', register_number: null })
      .execute();
    await db.insertInto('guardian').values({ school_id: F.schoolA1, id: crypto.randomUUID(), student_id: sibling, relation: 'father', full_name: 'Hoàng Văn Tú', phone: null, email: null, occupation: null, birth_year: 1982, user_id: F.users.parentC }).execute();
    const p = await ctx.as('principalA1');
    const a = await draft(p, F.schoolA1, { title: 'Họp phụ huynh cuối kì', audience: { families: true, classIds: [cuong.current_class_id!] } });
    await sendNow(p, F.schoolA1, a.id);
    const notices = await inbox(F.users.parentC, a.id);
    expect(notices).toHaveLength(1);
    const first = [F.studentCuong, sibling].sort()[0]!;
    expect(notices[0]).toMatchObject({ student_id: first, link: `/con-cua-toi/${F.schoolA1}/${first}?thong-bao=${a.id}` });
    // Both children's pages list it; opening it on the second child's page counts for both.
    const other = first === sibling ? F.studentCuong : sibling;
    const parent = await ctx.as('parentC');
    expect((await parent.get(`${child(F.schoolA1, other)}/${a.id}`)).statusCode).toBe(200);
    for (const id of [F.studentCuong, sibling]) {
      expect((await parent.get(child(F.schoolA1, id))).json<{ items: { id: string; read: boolean }[] }>().items.find((i) => i.id === a.id)).toMatchObject({ read: true });
    }
    const detail = (await p.get(`${unit(F.schoolA1)}/${a.id}`)).json<TAnnouncementDetail>();
    expect(detail.counts).toMatchObject({ read: 2 });
    expect(detail.unread.map((u) => u.fullName)).not.toContain('Hoàng Minh Châu');
  });
});
