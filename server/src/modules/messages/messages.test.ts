import { describe, expect, it } from 'vitest';
import type { TFamilyMessages, TReportedMessages, TTeacherThreads, TThread } from '../../../../contracts/messages.js';
import { isoToday, parseDayMinute, quietHoursEnd, schoolYearOf } from '../../../../domain/index.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';

// Messages of the contact book (issue 11 §4). Fixture: Lê Thị Hoa (homeroomA1) is the homeroom
// teacher of 6A1 (An, child of parentA; Bình); Phạm Minh Đức (mathA1) teaches Toán in 6A2 (Cường,
// child of parentC). The jobs runner is off: a held notice stays queued where the test can read it.
const ctx = await setupTestApp({ jobs: false });
const db = ctx.handle.db;
const school = `/api/v1/schools/${F.schoolA1}`;
const anMessages = `${school}/students/${F.studentAn}/messages`;
const year = schoolYearOf(isoToday());
await db.updateTable('class').set({ year }).where('school_id', '=', F.schoolA1).execute();
await db.updateTable('teaching_assignment').set({ year }).where('school_id', '=', F.schoolA1).execute();

const notices = (userId: string) => db.selectFrom('notification').select(['kind', 'title', 'body', 'link', 'source_id']).where('user_id', '=', userId).where('kind', '=', 'message').execute();
const homeroomThread = async () => (await (await ctx.as('parentA')).get(anMessages)).json<TFamilyMessages>().threads.find((t) => t.teacherKey === 'homeroom')!;

describe('a thread between a parent and the homeroom teacher, about the child', () => {
  it('the parent writes, the teacher is told (who and about whom, never the text), reads it unread first and answers; names and roles only', async () => {
    const parent = await ctx.as('parentA');
    const before = (await parent.get(anMessages)).json<TFamilyMessages>();
    // Before any message: the homeroom teacher to write to, named by name and role.
    expect(before.threads).toEqual([expect.objectContaining({ id: null, teacherKey: 'homeroom', teacher: 'Cô Lê Thị Hoa — GVCN 6A1', messages: [], canWrite: true, closed: false })]);

    const sent = await parent.post(anMessages, { teacher: 'homeroom', body: '  Thưa cô, hôm nay cháu hơi mệt ạ.  ' });
    expect(sent.statusCode).toBe(200);
    const thread = sent.json<TThread>();
    expect(thread.messages).toEqual([expect.objectContaining({ side: 'family', author: 'Phụ huynh em Nguyễn Văn An', mine: true, body: 'Thưa cô, hôm nay cháu hơi mệt ạ.', notifyAt: null, reported: false })]);
    expect(await notices(F.users.homeroomA1)).toEqual([{ kind: 'message', title: 'Tin nhắn mới từ phụ huynh em Nguyễn Văn An', body: 'Lớp 6A1', link: `/tin-nhan?thread=${thread.id}`, source_id: thread.id }]);

    const teacher = await ctx.as('homeroomA1');
    const list = (await teacher.get(`${school}/message-threads`)).json<TTeacherThreads>();
    expect(list.threads).toEqual([expect.objectContaining({ id: thread.id, student: 'Nguyễn Văn An', className: '6A1', unread: 1, teacher: 'Phụ huynh em Nguyễn Văn An', lastMessage: 'Thưa cô, hôm nay cháu hơi mệt ạ.' })]);
    const opened = await teacher.get(`${school}/message-threads/${thread.id}`);
    // No phone number or e-mail of anyone in what either side reads (the guardian's phone is 0912345678).
    expect(opened.body).not.toContain('0912345678');
    expect(opened.json<TThread>().teacher).toBe('Phụ huynh em Nguyễn Văn An');
    // Read state per side: opened once, no longer unread for the teacher; the family's side is unchanged.
    expect((await teacher.get(`${school}/message-threads`)).json<TTeacherThreads>().threads[0]!.unread).toBe(0);

    const reply = await teacher.post(`${school}/message-threads/${thread.id}/messages`, { body: 'Cảm ơn chị, cô sẽ để ý cháu.' });
    expect(reply.statusCode).toBe(200);
    expect(await db.selectFrom('notification').select(['title', 'link']).where('user_id', '=', F.users.parentA).where('kind', '=', 'message').execute()).toEqual([
      { title: 'Tin nhắn mới từ Cô Lê Thị Hoa — GVCN 6A1', link: `/con-cua-toi/${F.schoolA1}/${F.studentAn}#tin-nhan` },
    ]);
    const family = await homeroomThread();
    expect(family.unread).toBe(1);
    expect(family.messages.map((m) => [m.author, m.mine])).toEqual([
      ['Phụ huynh em Nguyễn Văn An', true],
      ['Cô Lê Thị Hoa — GVCN 6A1', false],
    ]);
    expect((await homeroomThread()).unread).toBe(0);
  });

  it('text only, with a length limit: an empty or 2,001-character message is refused naming the field', async () => {
    const parent = await ctx.as('parentA');
    const empty = await parent.post(anMessages, { teacher: 'homeroom', body: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ detail: string }>().detail).toContain('Nội dung:');
    const long = await parent.post(anMessages, { teacher: 'homeroom', body: 'a'.repeat(2001) });
    expect(long.statusCode).toBe(400);
    expect(long.json<{ detail: string }>().detail).toContain('tối đa 2000 ký tự');
  });

  it('another family (an id of a child not theirs in the URL) and a teacher of another class are refused, and learn nothing', async () => {
    const thread = await homeroomThread();
    const other = await ctx.as('parentC');
    for (const res of [await other.get(anMessages), await other.post(anMessages, { teacher: 'homeroom', body: 'Xin chào' })]) {
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('Nguyễn Văn An');
    }
    const math = await ctx.as('mathA1');
    const read = await math.get(`${school}/message-threads/${thread.id}`);
    expect(read.statusCode).toBe(404);
    expect(read.body).not.toContain('hơi mệt');
    expect((await math.post(`${school}/message-threads/${thread.id}/messages`, { body: 'Xin chào' })).statusCode).toBe(404);
    expect((await math.get(`${school}/message-threads`)).json<TTeacherThreads>().threads).toEqual([]);
    // A student's own account does not write to the teachers (parents do).
    expect((await (await ctx.as('studentAn')).get(anMessages)).statusCode).toBe(404);
  });

  it('the teacher closes the thread (audited): the family reads it closed and cannot write; reopened, they can', async () => {
    const thread = await homeroomThread();
    const teacher = await ctx.as('homeroomA1');
    const parent = await ctx.as('parentA');
    expect((await teacher.post(`${school}/message-threads/${thread.id}/close`)).json<TThread>().closed).toBe(true);
    expect(await homeroomThread()).toMatchObject({ closed: true, canWrite: false });
    const refused = await parent.post(anMessages, { teacher: 'homeroom', body: 'Cô ơi?' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'thread_closed', detail: expect.stringContaining('Cô Lê Thị Hoa — GVCN 6A1 đã đóng cuộc trò chuyện') });
    expect((await teacher.post(`${school}/message-threads/${thread.id}/reopen`)).json<TThread>().closed).toBe(false);
    expect((await parent.post(anMessages, { teacher: 'homeroom', body: 'Cô ơi, cháu khoẻ rồi ạ.' })).statusCode).toBe(200);
    const audit = await db.selectFrom('audit_log').select(['action', 'entity_id', 'after']).where('action', 'like', 'message_thread.%').orderBy('at').execute();
    expect(audit).toEqual([
      { action: 'message_thread.close', entity_id: F.studentAn, after: { thread_teacher: 'Cô Lê Thị Hoa — GVCN 6A1' } },
      { action: 'message_thread.reopen', entity_id: F.studentAn, after: { thread_teacher: 'Cô Lê Thị Hoa — GVCN 6A1' } },
    ]);
  });

  it("a message written in the teacher's quiet hours is kept; the notice waits for their end (a queued job with run_after); the family reads when", async () => {
    const teacher = await ctx.as('homeroomA1');
    // Quiet hours around now, across midnight or not: from one hour ago to two hours ahead (Vietnam time).
    const nowMinute = Math.floor(((Date.now() / 60_000 + 420) % 1440 + 1440) % 1440);
    const from = (nowMinute + 1440 - 60) % 1440;
    const to = (nowMinute + 120) % 1440;
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    const set = await teacher.put(`${school}/quiet-hours`, { quiet: true, quietFrom: hhmm(from), quietTo: hhmm(to) });
    expect(set.json()).toEqual({ quiet: true, quietFrom: hhmm(from), quietTo: hhmm(to) });
    const told = (await notices(F.users.homeroomA1)).length;

    const parent = await ctx.as('parentA');
    const sent = (await parent.post(anMessages, { teacher: 'homeroom', body: 'Tin nhắn lúc cô nghỉ.' })).json<TThread>();
    const expected = quietHoursEnd({ from: parseDayMinute(hhmm(from))!, to: parseDayMinute(hhmm(to))! }, new Date())!;
    const last = sent.messages.at(-1)!;
    expect(Math.abs(new Date(last.notifyAt!).getTime() - expected.getTime())).toBeLessThan(61_000);
    expect(sent.quietHours).toBe(`${hhmm(from)}–${hhmm(to)}`);
    // Not told now …
    expect(await notices(F.users.homeroomA1)).toHaveLength(told);
    // … but a job waits for the end of the quiet hours.
    const job = await db.selectFrom('background_job').select(['run_after', 'params', 'state']).where('kind', '=', 'message_notice').executeTakeFirstOrThrow();
    expect(job.state).toBe('queued');
    expect(new Date(job.run_after).toISOString()).toBe(last.notifyAt);
    expect(job.params).toMatchObject({ messageId: last.id });

    await teacher.put(`${school}/quiet-hours`, { quiet: false, quietFrom: '21:00', quietTo: '06:30' });
    const bad = await teacher.put(`${school}/quiet-hours`, { quiet: true, quietFrom: '25:00', quietTo: '06:30' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ detail: string }>().detail).toContain('Giờ yên tĩnh bắt đầu');
  });

  it('a message is reported to the principal with a reason (audited, once, only the other side’s); the principal reads reported messages only', async () => {
    const thread = await homeroomThread();
    const teacherMessage = thread.messages.find((m) => m.side === 'staff')!;
    const ownMessage = thread.messages.find((m) => m.side === 'family')!;
    const parent = await ctx.as('parentA');
    expect((await parent.post(`${school}/messages/${ownMessage.id}/report`, { reason: 'Thử báo cáo' })).statusCode).toBe(422);
    expect((await parent.post(`${school}/messages/${teacherMessage.id}/report`, { reason: 'x' })).statusCode).toBe(400);
    expect((await parent.post(`${school}/messages/${teacherMessage.id}/report`, { reason: 'Lời lẽ không phù hợp' })).json()).toEqual({ ok: true });
    expect((await parent.post(`${school}/messages/${teacherMessage.id}/report`, { reason: 'Lời lẽ không phù hợp' })).statusCode).toBe(409);
    // Another family cannot report it, nor learn it exists.
    expect((await (await ctx.as('parentC')).post(`${school}/messages/${teacherMessage.id}/report`, { reason: 'Lời lẽ không phù hợp' })).statusCode).toBe(404);

    const principal = await ctx.as('principalA1');
    const reported = await principal.get(`${school}/reported-messages`);
    expect(reported.json<TReportedMessages>().items).toEqual([
      expect.objectContaining({ id: teacherMessage.id, author: 'Cô Lê Thị Hoa — GVCN 6A1', body: 'Cảm ơn chị, cô sẽ để ý cháu.', student: 'Nguyễn Văn An', className: '6A1', reportedBy: 'Phụ huynh em Nguyễn Văn An', reason: 'Lời lẽ không phù hợp' }),
    ]);
    // Never the other messages of the thread.
    expect(reported.body).not.toContain('hơi mệt');
    expect((await principal.get(`${school}/message-threads/${thread.id}`)).statusCode).toBe(404);
    expect(await db.selectFrom('notification').select('title').where('user_id', '=', F.users.principalA1).execute()).toEqual([{ title: 'Có tin nhắn bị báo cáo' }]);
    expect(await db.selectFrom('audit_log').select(['action', 'after']).where('action', '=', 'message.report').execute()).toEqual([
      { action: 'message.report', after: { message_author: 'Cô Lê Thị Hoa — GVCN 6A1', report_reason: 'Lời lẽ không phù hợp' } },
    ]);
    expect((await (await ctx.as('homeroomA1')).get(`${school}/reported-messages`)).statusCode).toBe(404);
    expect((await (await ctx.as('principalB1')).get(`${school}/reported-messages`)).statusCode).toBe(404);
  });

  it('a sender is limited to 20 messages in 10 minutes, told when to come back', async () => {
    const parent = await ctx.as('parentC');
    const url = `${school}/students/${F.studentCuong}/messages`;
    for (let i = 0; i < 20; i++) expect((await parent.post(url, { teacher: 'homeroom', body: `Tin ${i + 1}` })).statusCode).toBe(200);
    const refused = await parent.post(url, { teacher: 'homeroom', body: 'Tin 21' });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ code: 'message_rate_limited', detail: expect.stringContaining('20 tin nhắn trong 10 phút') });
  });
});

describe('subject teachers, where the principal turns it on; a replaced homeroom teacher', () => {
  it('off by default; the principal turns it on (audited) and the class’s subject teachers appear to the family', async () => {
    await db.insertInto('teaching_assignment').values({ school_id: F.schoolA1, id: crypto.randomUUID(), year, term: 1, class_id: F.class6A1, subject_code: 'toan', staff_id: F.teacherMath }).execute();
    const parent = await ctx.as('parentA');
    expect((await parent.post(anMessages, { teacher: F.teacherMath, body: 'Thưa thầy' })).statusCode).toBe(422);
    const principal = await ctx.as('principalA1');
    expect((await principal.get(`${school}/contact-settings`)).json()).toEqual({ subjectTeacherMessages: false });
    expect((await (await ctx.as('homeroomA1')).put(`${school}/contact-settings`, { subjectTeacherMessages: true })).statusCode).toBe(404);
    expect((await principal.put(`${school}/contact-settings`, { subjectTeacherMessages: true })).json()).toEqual({ subjectTeacherMessages: true });
    expect(await db.selectFrom('audit_log').select('after').where('action', '=', 'contact.settings').execute()).toEqual([{ after: { subject_teacher_messages: true } }]);

    const threads = (await parent.get(anMessages)).json<TFamilyMessages>().threads;
    expect(threads.map((t) => t.teacher)).toEqual(['Cô Lê Thị Hoa — GVCN 6A1', 'Thầy Phạm Minh Đức — GV Toán 6A1']);
    const sent = await parent.post(anMessages, { teacher: F.teacherMath, body: 'Thưa thầy, cháu xin nghỉ tiết Toán.' });
    expect(sent.statusCode).toBe(200);
    const math = await ctx.as('mathA1');
    const list = (await math.get(`${school}/message-threads`)).json<TTeacherThreads>().threads;
    expect(list).toEqual([expect.objectContaining({ student: 'Nguyễn Văn An', unread: 1, lastMessage: 'Thưa thầy, cháu xin nghỉ tiết Toán.' })]);
    // The homeroom teacher does not read the subject teacher's thread.
    expect((await (await ctx.as('homeroomA1')).get(`${school}/message-threads/${list[0]!.id}`)).statusCode).toBe(404);
  });

  it('a homeroom teacher replaced loses the thread; the new one reads its history', async () => {
    const thread = await homeroomThread();
    await db.insertInto('role_grant').values({ id: crypto.randomUUID(), user_id: F.users.mathA1, role: 'homeroom_teacher', org_unit_id: F.schoolA1 }).execute();
    await db.updateTable('class').set({ homeroom_teacher_id: F.teacherMath }).where('id', '=', F.class6A1).execute();
    const old = await ctx.as('homeroomA1');
    expect((await old.get(`${school}/message-threads/${thread.id}`)).statusCode).toBe(404);
    expect((await old.get(`${school}/message-threads`)).json<TTeacherThreads>().threads).toEqual([]);
    const now = (await ctx.as('mathA1'));
    const read = (await now.get(`${school}/message-threads/${thread.id}`)).json<TThread>();
    expect(read.messages.map((m) => m.author)).toContain('Cô Lê Thị Hoa — GVCN 6A1');
    // The family now writes to the new homeroom teacher in the same thread.
    expect((await homeroomThread()).teacher).toBe('Thầy Phạm Minh Đức — GVCN 6A1');
  });
});
