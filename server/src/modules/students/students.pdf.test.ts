import { describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { XSS } from '../../../test/hostile-corpora.js';
import { pdfPageTexts } from '../../../test/pdf-text.js';

// The printable class list: same filter and scope as the list and the Excel export.
const ctx = await setupTestApp();
const A1 = `/api/v1/schools/${F.schoolA1}`;

async function printed(who: 'principalA1' | 'mathA1' | 'admin', query: string) {
  const s = await ctx.as(who);
  const res = await ctx.app.inject({ method: 'GET', url: `${A1}/students/export.pdf${query}`, headers: { cookie: s.cookie } });
  return { res, text: res.statusCode === 200 ? (await pdfPageTexts(res.rawPayload)).join('\n') : '' };
}

describe('GET /schools/:schoolId/students/export.pdf (in danh sách lớp)', () => {
  it('prints one class as an A4 PDF: title, school, names in class-list order with their accents', async () => {
    const { res, text } = await printed('principalA1', `?classId=${F.class6A1}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="Danh_sach_hoc_sinh_-_lop_6A1_-_/);
    expect(text).toContain('DANH SÁCH HỌC SINH — Lớp 6A1');
    expect(text).toContain('Trường THCS Lê Lợi');
    // Class-list order is by given name: An before Bình.
    expect(text.indexOf('Nguyễn Văn An')).toBeGreaterThan(-1);
    expect(text.indexOf('Nguyễn Văn An')).toBeLessThan(text.indexOf('Đặng Thị Bình'));
    expect(text).not.toContain('Hoàng Quốc Cường'); // 6A2
  });

  it('a subject teacher prints only the students they teach; each printed student gets an access-log line', async () => {
    const before = await ctx.handle.db.selectFrom('access_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'list_export').executeTakeFirstOrThrow();
    const { res, text } = await printed('mathA1', '');
    expect(res.statusCode).toBe(200);
    expect(text).toContain('Hoàng Quốc Cường');
    expect(text).not.toContain('Nguyễn Văn An');
    const after = await ctx.handle.db.selectFrom('access_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'list_export').executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(1);
  });

  it('a school name full of markup and formulas prints exactly as written', async () => {
    const admin = await ctx.as('admin');
    const name = `${XSS[0]} & "Trường" ${XSS[5]}`;
    expect((await admin.post(`/api/v1/org-units/${F.schoolA1}/rename`, { name, effectiveDate: '2025-10-01' })).statusCode).toBe(200);
    const { text } = await printed('admin', `?classId=${F.class6A1}`);
    expect(text.replace(/\s+/g, ' ')).toContain(name);
  });

  it('parents and other schools cannot print the list', async () => {
    const parent = await ctx.as('parentA');
    expect((await parent.get(`${A1}/students/export.pdf`)).statusCode).toBe(404);
    const other = await ctx.as('principalB1');
    expect((await other.get(`${A1}/students/export.pdf`)).statusCode).toBe(404);
  });
});
