import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../../test/harness.js';

const ctx = await setupTestApp();

describe('GET /api/v1/reference/code-lists/:list', () => {
  it('returns a Ministry code list in its source order, codes with leading zeros', async () => {
    const s = await ctx.as('parentA');
    const res = await s.get('/api/v1/reference/code-lists/DM_DAN_TOC');
    expect(res.statusCode).toBe(200);
    const items = res.json() as { code: string; name: string; parentCode: string | null }[];
    expect(items).toHaveLength(55);
    expect(items[0]).toEqual({ code: '01', name: 'Kinh', parentCode: null });
    expect(items[1]).toEqual({ code: '02', name: 'Tày', parentCode: null });
  });

  it('keeps the source order even when codes are not sorted (DM_TRINH_DO_CHUYEN_MON starts with 13)', async () => {
    const s = await ctx.as('homeroomA1');
    const items = (await s.get('/api/v1/reference/code-lists/DM_TRINH_DO_CHUYEN_MON')).json() as { code: string }[];
    expect(items.slice(0, 4).map((i) => i.code)).toEqual(['13', '14', '15', '01']);
  });

  it('gives the parent code of hierarchical lists', async () => {
    const s = await ctx.as('principalA1');
    const items = (await s.get('/api/v1/reference/code-lists/DM_HUYEN')).json() as { code: string; parentCode: string | null }[];
    expect(items[0]).toMatchObject({ code: '001', name: 'Quận Ba Đình', parentCode: '01' });
  });

  it('answers 404 with a Vietnamese hint for unknown or malformed list names', async () => {
    const s = await ctx.as('principalA1');
    for (const name of ['DM_KHONG_CO', 'dm_dan_toc', 'DM_DAN_TOC1', "DM_DAN_TOC'%20or%201=1--", 'DM%2E%2E']) {
      const res = await s.get(`/api/v1/reference/code-lists/${name}`);
      expect(res.statusCode, name).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
    const res = await s.get('/api/v1/reference/code-lists/DM_KHONG_CO');
    expect(res.json().detail).toBe('Không có danh mục "DM_KHONG_CO". Hãy kiểm tra lại tên danh mục (ví dụ DM_DAN_TOC).');
  });

  it('needs a signed-in user', async () => {
    expect((await ctx.anonymous.get('/api/v1/reference/code-lists/DM_DAN_TOC')).statusCode).toBe(401);
    expect((await ctx.anonymous.get('/api/v1/reference/subjects')).statusCode).toBe(401);
  });
});

describe('GET /api/v1/reference/subjects', () => {
  it('lists the subject catalog in catalog order', async () => {
    const s = await ctx.as('studentAn');
    const res = await s.get('/api/v1/reference/subjects');
    expect(res.statusCode).toBe(200);
    const subjects = res.json() as { code: string; name: string }[];
    expect(subjects.slice(0, 3)).toEqual([
      { code: 'tieng_viet', name: 'Tiếng Việt' },
      { code: 'ngu_van', name: 'Ngữ văn' },
      { code: 'toan', name: 'Toán' },
    ]);
    expect(subjects.map((x) => x.code)).toContain('khtn');
  });
});

describe('OpenAPI', () => {
  it('documents the school, admin and reference endpoints', async () => {
    const res = await ctx.anonymous.get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths as Record<string, unknown>);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/reference/code-lists/{list}',
        '/api/v1/schools/{schoolId}/staff',
        '/api/v1/schools/{schoolId}/classes/{classId}',
        '/api/v1/users/{userId}/reset-password',
        '/api/v1/audit/export.xlsx',
      ]),
    );
  });
});
