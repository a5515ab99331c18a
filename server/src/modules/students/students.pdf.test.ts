import { describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { XSS } from '../../../test/hostile-corpora.js';
import { pdfPageItems, pdfPageTexts, readPdfTable } from '../../../test/pdf-text.js';

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
    // Named after the class and its school year (issue 8).
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Danh-sach-lop-6A1-2025-2026.pdf"; filename*=UTF-8''${encodeURIComponent('Danh-sách-lớp-6A1-2025-2026.pdf')}`,
    );
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

describe('a class list over several pages (issue 8: the row after a page break printed bold, its date wrapped)', () => {
  const classId = '00000000-0000-7000-8000-00000000c6a7';
  const COUNT = 75;
  // Long names (they must wrap in the name column), learner ids and the longer temporary codes.
  const families = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Võ'];
  const middles = ['Hoàng Phương Thị Ngọc', 'Thị Khánh Quỳnh Như', 'Văn Đức Thành Trung', 'Ngọc Bảo Trâm Anh', 'Thị Thanh Xuân Mai'];
  const given = ['An', 'Bình', 'Chi', 'Dũng', 'Đạt', 'Giang', 'Hạnh', 'Khánh', 'Linh', 'Minh', 'Ngọc', 'Phương', 'Quân', 'Thảo', 'Uyên'];
  const students = Array.from({ length: COUNT }, (_, i) => ({
    fullName: `${families[i % families.length]} ${middles[Math.floor(i / given.length) % middles.length]} ${given[i % given.length]}`,
    dateOfBirth: `2014-08-${String((i % 28) + 1).padStart(2, '0')}`,
    learnerId: i % 2 === 0 ? `01000070${String(i).padStart(2, '0')}` : null,
  }));

  it('prints every row whole, once, in order, in the body font, with the header on every page', async () => {
    await ctx.handle.db
      .insertInto('class')
      .values({ school_id: F.schoolA1, id: classId, year: 2025, name: '6A7', grade: 6, age_group: null, site_id: null, homeroom_teacher_id: null })
      .execute();
    const s = await ctx.as('principalA1');
    for (const st of students) {
      const res = await s.post(`${A1}/students`, { ...st, sex: 'female', classId, admissionDate: '2025-09-05' });
      expect(res.statusCode, res.body).toBe(200);
    }
    const expected = new Map<string, { date: string; id: string }>();
    for (const item of (await s.get(`${A1}/students?classId=${classId}&pageSize=100`)).json().items as { fullName: string; dateOfBirth: string; learnerId: string | null; tempCode: string | null }[]) {
      const [y, m, d] = item.dateOfBirth.split('-');
      expected.set(item.fullName, { date: `${d}/${m}/${y}`, id: item.learnerId ?? item.tempCode ?? '' });
    }
    expect(expected.size).toBe(COUNT);
    const order = [...expected.keys()]; // the list's class-list order, which the printout follows

    const res = await s.get(`${A1}/students/export.pdf?classId=${classId}`);
    expect(res.statusCode).toBe(200);
    const pages = (await pdfPageItems(res.rawPayload)).map((p) => readPdfTable(p, 'STT'));
    expect(pages.length).toBeGreaterThanOrEqual(3);

    const headerFont = pages[0].header[0].fontName;
    const bodyFont = pages[0].rows[0].fontNames[0];
    expect(bodyFont).not.toBe(headerFont);
    const printed: string[] = [];
    for (const [p, page] of pages.entries()) {
      // The header repeats on every page, in the header's font.
      expect(page.header.map((h) => h.str.trim()).join(' '), `page ${p + 1}`).toMatch(/^STT Họ và tên Ngày sinh Giới tính Dân tộc Lớp Mã định/);
      for (const h of page.header) expect(h.fontName, `page ${p + 1} header`).toBe(headerFont);
      expect(page.rows.length, `page ${p + 1}`).toBeGreaterThan(0);
      for (const [r, row] of page.rows.entries()) {
        const where = `page ${p + 1}, row ${r + 1}: ${row.cells.join(' | ')}`;
        // Every row in the body font — the first row after a break included.
        expect(row.fontNames, where).toEqual([bodyFont]);
        const [stt, name, date, , , className, id] = row.cells;
        expect(stt, where).toBe(String(printed.length + 1));
        const want = expected.get(name);
        expect(want, where).toBeDefined();
        // Date and id whole, on one line, in this row.
        expect(date, where).toBe(want?.date);
        expect(id, where).toBe(want?.id);
        expect(className, where).toBe('6A7');
        printed.push(name);
      }
    }
    // None lost, none doubled, in class-list order.
    expect(printed).toEqual(order);
    // The long names really wrap (so rows of several lines meet the page breaks); dates and ids never do.
    const all = pages.flatMap((p) => p.rows);
    expect(all.filter((r) => r.lines[1] > 1).length).toBeGreaterThan(COUNT / 2);
    for (const r of all) expect([r.lines[0], r.lines[2], r.lines[6]], r.cells.join(' | ')).toEqual([1, 1, 1]);
  });
});
