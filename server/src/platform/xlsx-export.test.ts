import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildXlsx, neutraliseCell } from './xlsx-export.js';

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
