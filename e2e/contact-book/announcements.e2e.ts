import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PAGE_DEFAULTS, SHOT_DIR, launchBrowser } from '../browser.js';
import { arrivedMail } from '../mailbox.js';
import { type ApiSession, apiCall, childInClass, apiLogin, checkWidths, signIn, shownWords, toast } from '../gradebook/helpers.js';

// An announcement (thông báo) at 360 px, as people do it: gvcn.demo (homeroom teacher of 6A1)
// writes one to the families of 6A1 with a PDF attached and sends it; phuhuynh.demo (mother of a
// learner of 6A1) finds it marked new on her child's page, opens it and sees the file; the teacher
// then reads the receipt: one more family has read it, her child is no longer on the "chưa đọc"
// list. Both pages at 1366 and 360 px: no sideways overflow, no serious axe violation, no ids.
// phuhuynh.demo asked for e-mail in her notice settings: the announcement's e-mail arrives at the
// local SMTP server the app sends to (the global setup's SMTP_URL), naming it and linking to it.
const baseUrl = inject('baseUrl');
const API = `${baseUrl}/api/v1`;
const CODES = /\b(draft|scheduled|sent|cancelled|families|classIds)\b|\{"/;
const PHONE = { width: 360, height: 740 };

type Me = { children: { schoolId: string; studentId: string; fullName: string }[] };

let browser: Browser;
let teacherCtx: BrowserContext;
let parentCtx: BrowserContext;
let teacher: Page;
let parentPage: Page;
let parent: ApiSession;
let child: Me['children'][number];
const PARENT_EMAIL = 'me.minh@example.vn';
const title = `Họp phụ huynh lớp 6A1 — ${new Date().toISOString().slice(11, 19)}`;
const body = 'Kính gửi quý phụ huynh,\n\nNhà trường mời quý phụ huynh dự họp lúc 7 giờ 30 sáng Chủ nhật.\nTrân trọng.';

beforeAll(async () => {
  browser = await launchBrowser();
  parent = await apiLogin(API, 'phuhuynh.demo');
  child = await childInClass(API, parent, '6A1');
  await apiCall(API, parent, 'PUT', '/me/notice-settings', { push: false, email: true, emailAddress: PARENT_EMAIL, emailDigest: false, webhook: false });
  teacherCtx = await browser.newContext({ viewport: PHONE, ...PAGE_DEFAULTS, bypassCSP: true });
  parentCtx = await browser.newContext({ viewport: PHONE, ...PAGE_DEFAULTS, bypassCSP: true });
  teacher = await signIn(teacherCtx, baseUrl, 'gvcn.demo');
  parentPage = await signIn(parentCtx, baseUrl, 'phuhuynh.demo');
});

afterAll(async () => {
  await browser?.close();
});

describe('announcements (thông báo) at 360 px', () => {
  it('the homeroom teacher writes to 6A1 with a PDF and sends it', async () => {
    await teacher.goto(`${baseUrl}/thong-bao`);
    // The page is named as the menu names it.
    await teacher.getByRole('heading', { name: 'Gửi thông báo' }).waitFor();
    await teacher.getByTestId('announcement-compose').click();
    await teacher.getByTestId('announcement-title').fill(title);
    await teacher.getByTestId('announcement-body').fill(body);
    // gvcn.demo is the homeroom teacher of one class: it is chosen already, and it is 6A1.
    await expect.poll(() => teacher.getByTestId('announcement-classes').innerText()).toContain('6A1');
    await teacher.getByRole('button', { name: 'Lưu bản nháp' }).click();
    await teacher.getByTestId('announcement-detail').waitFor();
    await teacher.getByTestId('announcement-file').setInputFiles({ name: 'giay-moi-hop.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    await teacher.getByRole('link', { name: 'giay-moi-hop.pdf' }).waitFor();
    await teacher.getByTestId('announcement-send').click();
    await teacher.locator('.ant-modal-confirm').getByRole('button', { name: 'Gửi ngay' }).click();
    await toast(teacher, 'Đã gửi thông báo.');
    await teacher.getByTestId('announcement-receipts').waitFor();
    expect(await teacher.getByTestId('announcement-unread').innerText()).toContain(child.fullName);
    await teacher.screenshot({ path: path.join(SHOT_DIR, 'contact-book', 'announcement-sent-360.png') });
  });

  it('the announcement’s e-mail arrives at the local SMTP server, in Vietnamese, with a link to it', async () => {
    await expect.poll(() => arrivedMail().filter((m) => m.to === PARENT_EMAIL && m.subject.includes(title)).length, { timeout: 60_000 }).toBe(1);
    const mail = arrivedMail().find((m) => m.to === PARENT_EMAIL && m.subject.includes(title))!;
    expect(mail.text).toContain('/con-cua-toi/');
    // What a lock screen or a mail server may keep: the title and the school, never the child's marks or a phone number.
    expect(mail.text).not.toMatch(/\b0\d{9}\b/);
  });

  it('phuhuynh.demo finds it new on her child’s page, opens it and sees the file', async () => {
    await parentPage.goto(`${baseUrl}/con-cua-toi/${child.schoolId}/${child.studentId}/thong-bao`);
    const list = parentPage.getByTestId('family-announcements');
    const item = list.getByTestId('family-announcement').filter({ hasText: title });
    await item.waitFor({ timeout: 30_000 });
    expect(await item.innerText()).toContain('Mới');
    await checkWidths(parentPage, 'contact-book/family-announcements');
    await item.click();
    const opened = parentPage.getByTestId('family-announcement-open');
    await opened.getByText('Nhà trường mời quý phụ huynh dự họp').waitFor();
    // The body as typed: its line breaks kept.
    expect(await opened.locator('.ann-body').innerText()).toBe(body);
    const file = opened.getByRole('link', { name: 'giay-moi-hop.pdf' });
    const res = await parentPage.request.get(new URL((await file.getAttribute('href'))!, baseUrl).toString());
    expect(res.status()).toBe(200);
    expect((await res.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await shownWords(parentPage, CODES);
    await checkWidths(parentPage, 'contact-book/family-announcement-open');
    // Back to the list: no longer new.
    await opened.getByRole('button', { name: /Tất cả thông báo/ }).click();
    await expect.poll(async () => list.getByTestId('family-announcement').filter({ hasText: title }).innerText()).not.toContain('Mới');
  });

  it('the teacher sees the read receipt and the child off the "chưa đọc" list', async () => {
    await teacher.reload();
    const receipts = teacher.getByTestId('announcement-receipts');
    await receipts.waitFor();
    await expect.poll(() => teacher.getByTestId('announcement-read-count').innerText()).toMatch(/^1\/\d+ gia đình đã đọc/);
    const unread = teacher.getByTestId('announcement-unread');
    if (await unread.count()) expect(await unread.innerText()).not.toContain(child.fullName);
    await shownWords(teacher, CODES);
    await checkWidths(teacher, 'contact-book/announcement-receipts');
    // Through the API too: the family of the child counts as read.
    const mine = await apiCall<{ items: { id: string; title: string }[] }>(API, parent, 'GET', `/schools/${child.schoolId}/students/${child.studentId}/announcements`);
    expect(mine.items.filter((i) => i.title === title)).toHaveLength(1);
  });

  it('the principal writes to the staff: the homeroom teacher reads it on "Thông báo nhận được", one card at 1366 and 360 px', async () => {
    const principal = await apiLogin(API, 'hieutruong.demo');
    const staffTitle = `Lịch trực Tết — ${new Date().toISOString().slice(11, 19)}`;
    const drafted = await apiCall<{ id: string }>(API, principal, 'POST', `/org-units/${child.schoolId}/announcements`, {
      title: staffTitle,
      body: 'Thầy cô xem lịch trực Tết đính kèm và xác nhận trước thứ Sáu.',
      audience: { families: false, staff: true },
    });
    await apiCall(API, principal, 'POST', `/org-units/${child.schoolId}/announcements/${drafted.id}/send`, {});
    await teacher.goto(`${baseUrl}/thong-bao-nhan`);
    await teacher.getByRole('heading', { name: 'Thông báo nhận được' }).waitFor();
    const item = teacher.getByTestId('received-announcements').getByTestId('family-announcement').filter({ hasText: staffTitle });
    await item.waitFor();
    expect(await item.innerText()).toContain('Mới');
    // The reader is its own card: not drawn inside another (a frame within a frame at 1366 px).
    expect(await teacher.locator('.ant-card .ann-family').count()).toBe(0);
    await shownWords(teacher, CODES);
    await checkWidths(teacher, 'contact-book/received-announcements');
    await item.click();
    await teacher.getByTestId('family-announcement-open').getByText('xác nhận trước thứ Sáu').waitFor();
  });
});
