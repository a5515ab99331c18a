import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { makeSheetWorkbook, makeStudentWorkbook } from '../../../../bench/fixtures/make-student-xlsx.js';
import { XLSX_SKELETON, makeZip, zipBomb } from '../../../../bench/fixtures/make-zip.js';
import { CodeMatcher, classKey, foldHeader, normalizePhone, parseGrade } from './sheet-columns.js';
import { parsePosition } from './staff-import.js';
import { parseStudentWorkbook } from './student-import.js';
import { readWorkbookRows } from './xlsx-rows.js';
import { checkXlsxArchive, inspectZip } from './zip-guard.js';

describe('zip guard', () => {
  it('accepts a real workbook and reports its parts', async () => {
    const res = await checkXlsxArchive(await makeStudentWorkbook({ rows: 20 }));
    expect(res.ok).toBe(true);
    if (res.ok) expect(res.entries.map((e) => e.name)).toContain('xl/worksheets/sheet1.xml');
  });

  it('rejects bombs by ratio, by declared total, by entry count and by lying sizes', async () => {
    expect(inspectZip(zipBomb(10))).toMatchObject({ ok: false, code: 'xlsx_suspicious_ratio' });
    const declared = makeZip([...XLSX_SKELETON, { name: 'xl/a.xml', data: 'x', declaredSize: 200 * 1024 * 1024 }]);
    expect(inspectZip(declared)).toMatchObject({ ok: false, code: 'xlsx_too_large_uncompressed' });
    const liar = makeZip([...XLSX_SKELETON, { name: 'xl/a.xml', data: Buffer.alloc(2_000_000, 0x20), declaredSize: 10 }]);
    expect(inspectZip(liar).ok).toBe(true); // the headers alone look harmless…
    expect(await checkXlsxArchive(liar)).toMatchObject({ ok: false, code: 'xlsx_suspicious_ratio' }); // …inflating tells the truth
    const small = { ...{ maxTotalUncompressed: 1e9, maxEntries: 3, maxRatio: 100, ratioAppliesAbove: 1e9 } };
    expect(inspectZip(makeZip([...XLSX_SKELETON, { name: 'a', data: '' }, { name: 'b', data: '' }]), small)).toMatchObject({ ok: false, code: 'xlsx_too_many_parts' });
  });

  it('rejects hidden or overlapping entries, truncation and non-zip input', () => {
    const good = makeZip([...XLSX_SKELETON, { name: 'xl/a.xml', data: 'hello' }]);
    expect(inspectZip(good).ok).toBe(true);
    // an extra local entry that the central directory does not list
    const hidden = makeZip([{ name: 'xl/hidden.xml', data: 'evil' }, ...XLSX_SKELETON]);
    const cdStart = hidden.readUInt32LE(hidden.length - 6);
    // drop the hidden entry's central record: the walk from byte 0 meets an unlisted local header
    const cd = hidden.subarray(cdStart, hidden.length - 22);
    const firstCentralLen = 46 + 'xl/hidden.xml'.length;
    const eocd = Buffer.from(hidden.subarray(hidden.length - 22));
    eocd.writeUInt16LE(2, 8);
    eocd.writeUInt16LE(2, 10);
    eocd.writeUInt32LE(cd.length - firstCentralLen, 12);
    const tampered = Buffer.concat([hidden.subarray(0, cdStart), cd.subarray(firstCentralLen), eocd]);
    expect(inspectZip(tampered)).toMatchObject({ ok: false, code: 'xlsx_damaged' });
    expect(inspectZip(good.subarray(0, good.length - 10))).toMatchObject({ ok: false });
    expect(inspectZip(Buffer.from('hello'))).toMatchObject({ ok: false, status: 415 });
  });
});

describe('reading cells', () => {
  it('keeps Vietnamese text intact across stream chunk boundaries (ExcelJS streaming bug)', async () => {
    // 3-byte UTF-8 characters in a 150 KB string: the raw streaming reader cuts some of them.
    const long = 'Nguyễn Thị Ngọc Ánh Đặng Hữu Lộc Phước '.repeat(4000);
    const rows: string[] = [];
    await readWorkbookRows(await makeSheetWorkbook([{ name: 'S', rows: [['Họ tên'], [long], ['Trần Thị Thu Huyền']] }]), {
      done: () => false,
      onSheet: () => undefined,
      onSheetEnd: () => undefined,
      onRow: (r) => {
        const c = r.cells[0];
        rows.push(typeof c === 'string' ? c : JSON.stringify(c));
      },
    });
    expect(rows[1]).toBe(long);
    expect(rows.join('')).not.toContain('\uFFFD');
  });

  it('a sheet the reader cannot follow is a Vietnamese 422 (xlsx_damaged), never a server error; the visitor\'s own refusal passes through', async () => {
    const good = await makeSheetWorkbook([{ name: 'S', rows: [['Họ tên'], ['An']] }]);
    const files = unzipSync(new Uint8Array(good));
    const sheetName = Object.keys(files).find((n) => /worksheets\/sheet1\.xml$/.test(n))!;
    const sheet = strFromU8(files[sheetName]);
    const withSheet = (xml: string) => Buffer.from(zipSync({ ...files, [sheetName]: strToU8(xml) }));
    const read = (file: Buffer, onRow: () => void = () => undefined) =>
      readWorkbookRows(file, { done: () => false, onSheet: () => undefined, onSheetEnd: () => undefined, onRow });
    const damaged = [
      // A column reference past XFD, as the attacker review sent it.
      sheet.replace(/<c r="A2"/, '<c r="ZZZZ2"'),
      // XML that does not close.
      sheet.replace('</sheetData>', '<row r="3"><c r="A3"><v>5</v></sheetData>'),
    ];
    for (const xml of damaged) {
      await expect(read(withSheet(xml))).rejects.toMatchObject({ status: 422, code: 'xlsx_damaged', detail: expect.stringContaining('Tệp Excel bị hỏng') });
    }
    const mine = new Error('the visitor refuses');
    await expect(read(good, () => { throw mine; })).rejects.toBe(mine);
  });

  it('3,000 generated rows parse without replacement characters', async () => {
    const sheet = await parseStudentWorkbook(await makeStudentWorkbook({ rows: 3000, seed: 99 }));
    expect(sheet.ok).toBe(true);
    if (!sheet.ok) return;
    const all = sheet.rows.flatMap((r) => r.cells.filter((c): c is string => typeof c === 'string'));
    expect(all.some((s) => s.includes('\uFFFD'))).toBe(false);
  });
});

describe('column helpers', () => {
  it('folds headers: accents, case, punctuation, hints in brackets, required marks', () => {
    expect(foldHeader('Mã định danh Bộ GD&ĐT')).toBe('ma dinh danh bo gd dt');
    expect(foldHeader(' NGÀY SINH (dd/mm/yyyy) *')).toBe('ngay sinh');
    expect(foldHeader('SĐT  mẹ')).toBe('sdt me');
  });

  it('matches code lists by name or code, ignoring accents, case, hyphens; numbers that lost a zero', () => {
    const m = new CodeMatcher(
      [
        { code: '01', name: 'Kinh' },
        { code: '06', name: 'Mường' },
        { code: '08', name: 'Hmông' },
        { code: '12', name: 'Ê-đê' },
      ],
      { Mông: '08' },
    );
    expect(['Kinh', 'kinh', ' KINH ', '01', '1'].map((v) => m.match(v))).toEqual(['01', '01', '01', '01', '01']);
    expect(m.match(1)).toBe('01');
    expect(m.match('muong')).toBe('06');
    expect(m.match('HMông')).toBe('08');
    expect(m.match("H'Mông")).toBe('08');
    expect(m.match('Mông')).toBe('08');
    expect(m.match('Ê Đê')).toBe('12');
    expect(m.match('Kinh tế')).toBeNull();
  });

  it('phones, grades, class names, positions', () => {
    expect(normalizePhone(912345678)).toEqual({ ok: true, value: '0912345678' });
    expect(normalizePhone('+84 912.345.678')).toEqual({ ok: true, value: '0912345678' });
    expect(normalizePhone('12345').ok).toBe(false);
    // The numbering plan since 2018: mobiles 03/05/07/08/09 + 8 digits, landlines 02 + 9 digits.
    expect(['0321234567', '0561234567', '0701234567', '0861234567', '84 98 765 4321', '02438123456', 2438123456].map((v) => normalizePhone(v))).toEqual([
      { ok: true, value: '0321234567' },
      { ok: true, value: '0561234567' },
      { ok: true, value: '0701234567' },
      { ok: true, value: '0861234567' },
      { ok: true, value: '0987654321' },
      { ok: true, value: '02438123456' },
      { ok: true, value: '02438123456' },
    ]);
    // Old 11-digit mobiles (01x), a 10-digit number starting 02, 04 or 06, too long or too short.
    for (const bad of ['01234567890', '0123456789', '0243812345', '0412345678', '0612345678', '091234567890', '091234567']) {
      expect(normalizePhone(bad).ok, bad).toBe(false);
    }
    expect(normalizePhone('0123456789', 'Số điện thoại')).toEqual({
      ok: false,
      reason:
        'Số điện thoại "0123456789" ở cột "Số điện thoại" không phải số điện thoại Việt Nam hợp lệ: cần 10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09 (ví dụ 0912345678), hoặc số máy bàn 11 chữ số bắt đầu bằng 02',
    });
    expect([parseGrade(6), parseGrade('Khối 7'), parseGrade('K9'), parseGrade('13'), parseGrade('sáu')]).toEqual([6, 7, 9, null, null]);
    expect(classKey('6 a1')).toBe(classKey('6A1'));
    expect(['Hiệu trưởng', 'Phó Hiệu trưởng', 'GV', 'Giáo viên', 'Kế toán', 'Bí thư'].map(parsePosition)).toEqual([
      'principal',
      'vice_principal',
      'teacher',
      'teacher',
      'staff',
      null,
    ]);
  });
});
