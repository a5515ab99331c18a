import { describe, expect, it } from 'vitest';
import { pdfPageTexts } from '../../test/pdf-text.js';
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

  it('prints markup, quotes and formulas exactly as written (text, never interpreted)', async () => {
    const hostile = ['<img src=x onerror=alert(1)>', '"><script>alert(1)</script>', '=HYPERLINK("http://x")', "'; DROP TABLE student; --"];
    const [page] = await pdfPageTexts(await buildPdfTable(['Danh sách'], columns, hostile.map((name, i) => ({ n: i + 1, name }))));
    for (const h of hostile) expect(page).toContain(h);
  });
});
