import { describe, expect, it } from 'vitest';
import { pdfPageItems, pdfPageTexts, readPdfTable } from '../../test/pdf-text.js';
import { buildPdfTable } from './pdf-table.js';

describe('printable PDF lists', () => {
  const rows = Array.from({ length: 120 }, (_, i) => ({ n: i + 1, name: `Nguyễn Thị Ánh Tuyết ${String.fromCharCode(65 + (i % 26))}` }));
  const columns = [
    { header: 'STT', width: 40, value: (r: (typeof rows)[number]) => r.n },
    { header: 'Họ và tên', width: 300, value: (r: (typeof rows)[number]) => r.name },
  ];

  it('is a real PDF whose text (extracted with pdf.js) keeps every Vietnamese letter and tone mark', async () => {
    const pdf = await buildPdfTable(['DANH SÁCH HỌC SINH — Lớp 6A1', 'Trường THCS Đồng Khởi'], columns, rows.slice(0, 3));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const [page] = await pdfPageTexts(pdf);
    expect(page).toContain('DANH SÁCH HỌC SINH — Lớp 6A1');
    expect(page).toContain('Trường THCS Đồng Khởi');
    expect(page).toContain('Nguyễn Thị Ánh Tuyết A');
    expect(page).toContain('Trang 1/1');
  });

  it('runs over pages with the header row repeated and numbered pages', async () => {
    const pages = await pdfPageTexts(await buildPdfTable(['DANH SÁCH'], columns, rows));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const [i, text] of pages.entries()) {
      expect(text).toContain('Họ và tên');
      expect(text).toContain(`Trang ${i + 1}/${pages.length}`);
    }
    const all = pages.join('\n');
    for (const r of rows) expect(all).toContain(r.name);
  });

  it('keeps every letter in the text layer of a list printed after one with composed letters (fonts shared between documents)', async () => {
    await buildPdfTable(['Nguyễn Thị Ánh Tuyết — lầu, ấy, ổ'], columns, rows.slice(0, 2));
    const [page] = await pdfPageTexts(await buildPdfTable(['Danh sách lớp'], columns, [{ n: 1, name: 'Lê Văn An' }]));
    expect(page).toContain('Danh sách lớp');
    expect(page).toContain('Lê Văn An');
  });

  it('prints markup, quotes and formulas exactly as written (text, never interpreted)', async () => {
    const hostile = ['<img src=x onerror=alert(1)>', '"><script>alert(1)</script>', '=HYPERLINK("http://x")', "'; DROP TABLE student; --"];
    const [page] = await pdfPageTexts(await buildPdfTable(['Danh sách'], columns, hostile.map((name, i) => ({ n: i + 1, name }))));
    for (const h of hostile) expect(page).toContain(h);
  });

  it('sizes a nowrap column to its longest value; when such columns crowd the page the font shrinks, they never wrap', async () => {
    type R = { n: number; name: string; a: string; b: string };
    const long = Array.from({ length: 60 }, (_, i): R => ({
      n: i + 1,
      name: `Nguyễn Hoàng Phương Thị Ngọc Khánh Linh Tôn Nữ Bảo Châu Quỳnh Anh ${i}`,
      a: `MÃ-RẤT-DÀI-${String(i).padStart(3, '0')}-0123456789-ABCDEFGHIJ`,
      b: `27/08/2014 — 31/12/2025 — ${i}`,
    }));
    const cols = [
      { header: 'STT', width: 30, nowrap: true, value: (r: R) => r.n },
      { header: 'Họ và tên', width: 300, value: (r: R) => r.name },
      { header: 'Mã', width: 60, nowrap: true, value: (r: R) => r.a },
      { header: 'Thời gian', width: 60, nowrap: true, value: (r: R) => r.b },
    ];
    const items = await pdfPageItems(await buildPdfTable(['Thử'], cols, long));
    const pages = items.map((p) => readPdfTable(p, 'STT'));
    // Too wide at the normal 9.5 pt for the name column to keep three quarters of its width: smaller.
    const sizes = new Set(items.flat().filter((it) => it.str === long[0].a).map((it) => it.size.toFixed(1)));
    expect([...sizes].map(Number).every((size) => size < 9.5 && size >= 7)).toBe(true);
    const rows = pages.flatMap((p) => p.rows);
    expect(rows.map((r) => r.cells[0])).toEqual(long.map((r) => String(r.n)));
    for (const [i, r] of rows.entries()) {
      expect([r.cells[2], r.cells[3]]).toEqual([long[i].a, long[i].b]);
      expect([r.lines[0], r.lines[2], r.lines[3]], r.cells.join(' | ')).toEqual([1, 1, 1]);
    }
    expect(rows.some((r) => r.lines[1] > 1)).toBe(true); // the name column gave up the width
  });
});
