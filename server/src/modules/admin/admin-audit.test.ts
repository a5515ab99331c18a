import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isoToday } from '../../../../domain/index.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { xlsxCellText } from '../../../test/xlsx-text.js';

const ctx = await setupTestApp();

type View = { when: string; who: string; action: string; target: string; unit: string | null; changes: { label: string; before: string | null; after: string | null; text: string }[] };
type Entry = { id: string; at: string; action: string; entity: string; entityId: string | null; orgUnitId: string | null; orgUnitName: string | null; username: string | null; before: unknown; after: unknown; view: View };
type Page = { total: number; items: Entry[] };

let classId = '';

beforeAll(async () => {
  const a1 = await ctx.as('principalA1');
  const created = await a1.post(`/api/v1/schools/${F.schoolA1}/classes`, { year: 2025, name: '9A1', grade: 9 });
  expect(created.statusCode).toBe(200);
  classId = created.json().id;
  expect((await a1.patch(`/api/v1/schools/${F.schoolA1}/classes/${classId}`, { name: '9A2' })).statusCode).toBe(200);
  expect((await a1.post(`/api/v1/schools/${F.schoolA1}/staff`, { fullName: 'Hà Văn Sơn' })).statusCode).toBe(200);
  const b1 = await ctx.as('principalB1');
  expect((await b1.post(`/api/v1/schools/${F.schoolB1}/staff`, { fullName: 'Lý Thị Mai' })).statusCode).toBe(200);
});

describe('GET /audit', () => {
  it('shows a principal the entries of their school, newest first, with unit names and before/after', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.get(`/api/v1/audit?unitId=${F.schoolA1}`);
    expect(res.statusCode).toBe(200);
    const page = res.json() as Page;
    expect(page.total).toBe(3);
    expect(page.items.map((i) => i.action)).toEqual(['staff.create', 'class.update', 'class.create']);
    const update = page.items[1]!;
    expect(update).toMatchObject({ entity: 'class', entityId: classId, orgUnitId: F.schoolA1, orgUnitName: 'Trường THCS Lê Lợi', username: 'ht.a1' });
    expect(update.before).toMatchObject({ name: '9A1' });
    expect(update.after).toMatchObject({ name: '9A2' });
    expect(update.view).toMatchObject({ who: 'Trần Văn Hùng (Hiệu trưởng)', action: 'Sửa lớp', target: 'Lớp 9A2 (2025-2026)', unit: 'Trường THCS Lê Lợi' });
    expect(update.view.changes.map((c) => c.text)).toEqual(['Tên lớp: 9A1 → 9A2']);
    expect(page.items[0]!.view.target).toBe('Cán bộ Hà Văn Sơn');
    expect(page.items.map((i) => i.at)).toEqual([...page.items.map((i) => i.at)].sort().reverse());
  });

  it('does not show another school its entries, nor let it ask for them', async () => {
    const s = await ctx.as('principalB1');
    expect((await s.get(`/api/v1/audit?unitId=${F.schoolA1}`)).statusCode).toBe(404);
    const own = (await s.get(`/api/v1/audit?unitId=${F.schoolB1}`)).json() as Page;
    expect(own.total).toBe(1);
    expect(own.items[0]).toMatchObject({ action: 'staff.create', orgUnitId: F.schoolB1 });
  });

  it('offices see the entries of every school below them (today’s tree)', async () => {
    const soA = (await (await ctx.as('soA')).get(`/api/v1/audit?unitId=${F.provinceA}`)).json() as Page;
    expect(soA.total).toBe(3);
    const commune = (await (await ctx.as('communeA')).get(`/api/v1/audit?unitId=${F.communeA1}`)).json() as Page;
    expect(commune.total).toBe(3);
    expect((await (await ctx.as('soB')).get(`/api/v1/audit?unitId=${F.provinceA}`)).statusCode).toBe(404);
    const all = (await (await ctx.as('admin')).get(`/api/v1/audit?unitId=${F.ministry}`)).json() as Page;
    expect(all.total).toBe(4);
  });

  it('filters by entity, user and dates, and pages', async () => {
    const s = await ctx.as('principalA1');
    const get = async (qs: string) => (await s.get(`/api/v1/audit?unitId=${F.schoolA1}&${qs}`)).json() as Page;
    expect((await get('entity=class')).items.map((i) => i.action)).toEqual(['class.update', 'class.create']);
    expect((await get(`userId=${F.users.principalA1}`)).total).toBe(3);
    expect((await get(`userId=${F.users.soA}`)).total).toBe(0);
    const today = isoToday();
    expect((await get(`from=${today}&to=${today}`)).total).toBe(3);
    expect((await get('to=2020-01-01')).total).toBe(0);
    const paged = await get('pageSize=1&page=2');
    expect(paged.total).toBe(3);
    expect(paged.items.map((i) => i.action)).toEqual(['class.update']);
    const bad = await s.get(`/api/v1/audit?unitId=${F.schoolA1}&from=2026-02-01&to=2026-01-01`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid_date_range', detail: 'Ngày bắt đầu (01/02/2026) phải trước hoặc bằng ngày kết thúc (01/01/2026).' });
  });

  it('is closed to teachers, school staff and parents', async () => {
    for (const who of ['homeroomA1', 'staffA1', 'parentA'] as const) {
      expect((await (await ctx.as(who)).get(`/api/v1/audit?unitId=${F.schoolA1}`)).statusCode, who).toBe(404);
    }
  });
});

describe('GET /audit/export.xlsx', () => {
  it('exports the same entries as a workbook, in the presenter\'s words (no ids, codes or JSON)', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.get(`/api/v1/audit/export.xlsx?unitId=${F.schoolA1}&entity=class`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Thời điểm', 'Người thực hiện', 'Thao tác', 'Đối tượng', 'Đơn vị', 'Nội dung']);
    expect(sheet.rowCount).toBe(3);
    const row = (n: number) => [1, 2, 3, 4, 5, 6].map((c) => xlsxCellText(sheet.getRow(n).getCell(c).value));
    const update = row(2);
    expect(update[0]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(update.slice(1)).toEqual(['Trần Văn Hùng (Hiệu trưởng)', 'Sửa lớp', 'Lớp 9A2 (2025-2026)', 'Trường THCS Lê Lợi', 'Tên lớp: 9A1 → 9A2']);
    expect(row(3)[2]).toBe('Thêm lớp');
    expect(row(3)[5]).toContain('Tên lớp: 9A1');
    for (const n of [2, 3]) {
      for (const text of row(n)) expect(text).not.toMatch(/[{}[\]"]|[0-9a-f]{8}-[0-9a-f]{4}-|\d{4}-\d{2}-\d{2}|\b[a-z]+_[a-z_]+\b/);
    }
    expect((await (await ctx.as('principalB1')).get(`/api/v1/audit/export.xlsx?unitId=${F.schoolA1}`)).statusCode).toBe(404);
  });
});

describe('a student edit in the audit log', () => {
  it('reads as the principal would say it: the student by name as they were, each change with its Vietnamese label', async () => {
    const s = await ctx.as('principalA1');
    const before = await s.get(`/api/v1/schools/${F.schoolA1}/students/${F.studentBinh}`);
    expect(before.statusCode).toBe(200);
    // A known starting point: 27/08/2014, Kinh, male.
    expect((await s.patch(`/api/v1/schools/${F.schoolA1}/students/${F.studentBinh}`, { dateOfBirth: '2014-08-27', ethnicityCode: '01', sex: 'male' })).statusCode).toBe(200);
    const edit = await s.patch(`/api/v1/schools/${F.schoolA1}/students/${F.studentBinh}`, { dateOfBirth: '2014-08-28', ethnicityCode: '02', sex: 'female' });
    expect(edit.statusCode, edit.body).toBe(200);
    // Renamed afterwards: the entry keeps the name the student had when it was written.
    expect((await s.patch(`/api/v1/schools/${F.schoolA1}/students/${F.studentBinh}`, { fullName: 'Đặng Thị Bình Minh' })).statusCode).toBe(200);

    const page = (await s.get(`/api/v1/audit?unitId=${F.schoolA1}&entity=student&pageSize=10`)).json() as Page;
    const [rename, change] = page.items;
    expect(rename!.view.changes.map((c) => c.text)).toEqual(['Họ và tên: Đặng Thị Bình → Đặng Thị Bình Minh']);
    expect(rename!.view.target).toBe('Học sinh Đặng Thị Bình Minh');
    expect(change!.view).toMatchObject({ who: 'Trần Văn Hùng (Hiệu trưởng)', action: 'Sửa hồ sơ học sinh', target: 'Học sinh Đặng Thị Bình', unit: 'Trường THCS Lê Lợi' });
    expect(change!.view.when).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(change!.view.changes.map((c) => c.text).sort()).toEqual(['Dân tộc: Kinh → Tày', 'Giới tính: Nam → Nữ', 'Ngày sinh: 27/08/2014 → 28/08/2014'].sort());
    expect(change!.view.changes.find((c) => c.label === 'Ngày sinh')).toMatchObject({ before: '27/08/2014', after: '28/08/2014' });
  });
});
