import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { attachmentHeader, buildXlsx, neutraliseCell } from './xlsx-export.js';

describe('Excel export hardening (OWASP CSV/formula injection)', () => {
  it('neutralises cells starting with = + - @', () => {
    expect(neutraliseCell('=1+1')).toBe("'=1+1");
    expect(neutraliseCell('+84912')).toBe("'+84912");
    expect(neutraliseCell('-2')).toBe("'-2");
    expect(neutraliseCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseCell('Nguyễn Văn An')).toBe('Nguyễn Văn An');
  });

  it('writes a real workbook whose cells read back as text, never as formulas', async () => {
    const buf = await buildXlsx('Học sinh', [{ header: 'Họ tên', value: (r: { n: string }) => r.n }], [
      { n: 'Nguyễn Văn An' },
      { n: '=HYPERLINK("http://x","y")' },
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Học sinh')!;
    expect(ws.getCell('A1').value).toBe('Họ tên');
    expect(ws.getCell('A2').value).toBe('Nguyễn Văn An');
    expect(ws.getCell('A3').type).not.toBe(ExcelJS.ValueType.Formula);
    expect(ws.getCell('A3').value).toBe('\'=HYPERLINK("http://x","y")');
  });
});

describe('download names (Content-Disposition, RFC 6266 / RFC 5987)', () => {
  // RFC 5987 §3.2.1: value-chars are attr-char or %XX; attr-char = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~".
  const EXT_VALUE = /^[A-Za-z0-9!#$&+\-.^_`|~]*(?:%[0-9A-F]{2}[A-Za-z0-9!#$&+\-.^_`|~]*)*$/;
  const parts = (h: string) => /^attachment; filename="([^"]*)"; filename\*=UTF-8''(.*)$/.exec(h);

  it('gives an ASCII fallback and the Vietnamese name as a valid ext-value, even with quotes, brackets and stars', () => {
    for (const name of ['Danh-sách-lớp-6A1-2025-2026.xlsx', "Lớp 6A1 (chiều) * 'mới'.pdf", 'Đặng "Bình"; x.xlsx']) {
      const m = parts(attachmentHeader(name));
      expect(m, name).not.toBeNull();
      expect(m![1]).toMatch(/^[A-Za-z0-9._-]+$/);
      expect(m![2], name).toMatch(EXT_VALUE);
      expect(decodeURIComponent(m![2])).toBe(name);
    }
    expect(attachmentHeader('Danh-sách-lớp-6A1-2025-2026.xlsx')).toBe(
      "attachment; filename=\"Danh-sach-lop-6A1-2025-2026.xlsx\"; filename*=UTF-8''Danh-s%C3%A1ch-l%E1%BB%9Bp-6A1-2025-2026.xlsx",
    );
  });
});
