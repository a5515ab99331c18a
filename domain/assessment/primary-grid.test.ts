import { describe, expect, it } from 'vitest';
import { formatCell, parseCell } from './gradebook-grid.js';
import { gridPlaceOf, tt27Columns, tt27RowSummary } from './primary-grid.js';

describe('primary grid columns (TT27/2020 Điều 7)', () => {
  it('grade 1 Toán, term I: a level and a comment at mid-term I; level, test and comment at end of term I (Điều 7 khoản 2: tests at end of term only)', () => {
    expect(tt27Columns(1, 'toan', 1).map((c) => `${c.key}:${c.kind}:${c.checkpoint}`)).toEqual([
      'gk_muc:subject_level:mid_term1',
      'gk_nx:comment:mid_term1',
      'ck_muc:subject_level:end_term1',
      'ck_kt:test_score:end_term1',
      'ck_nx:comment:end_term1',
    ]);
  });

  it('grade 4 Toán and Tiếng Việt also sit the mid-term tests (Điều 7 khoản 2), Khoa học only at the end of each term', () => {
    for (const s of ['toan', 'tieng_viet']) expect(tt27Columns(4, s, 2).map((c) => c.key)).toEqual(['gk_muc', 'gk_kt', 'gk_nx', 'ck_muc', 'ck_kt', 'ck_nx']);
    expect(tt27Columns(4, 'khoa_hoc', 1).map((c) => c.key)).toEqual(['gk_muc', 'gk_nx', 'ck_muc', 'ck_kt', 'ck_nx']);
    expect(tt27Columns(4, 'dao_duc', 2).map((c) => c.key)).toEqual(['gk_muc', 'gk_nx', 'ck_muc', 'ck_nx']);
  });

  it('maps the four checkpoints onto the two terms', () => {
    expect(gridPlaceOf('mid_term1')).toEqual({ term: 1, position: 'gk' });
    expect(gridPlaceOf('end_year')).toEqual({ term: 2, position: 'ck' });
    expect(tt27Columns(3, 'toan', 2).find((c) => c.key === 'ck_muc')?.checkpoint).toBe('end_year');
  });
});

describe('primary cells', () => {
  it('a periodic test score is a whole number 1–10 (Điều 7 khoản 2): 0, 11 and 7,5 refused, 7 and 10 accepted', () => {
    for (const bad of ['0', '11', '7,5', '7.5', 'bảy']) {
      const p = parseCell('test_score', bad);
      expect(p.ok).toBe(false);
      if (!p.ok) expect(p.message).toMatch(/^Điểm kiểm tra định kì là số nguyên từ 1 đến 10/);
    }
    expect(parseCell('test_score', '7')).toEqual({ ok: true, value: { kind: 'score', tenths: 70 } });
    expect(parseCell('test_score', '10')).toEqual({ ok: true, value: { kind: 'score', tenths: 100 } });
  });

  it('levels typed as letters or words, with or without accents, come back as T / H / C', () => {
    for (const [typed, shown] of [
      ['T', 'T'],
      ['hoàn thành tốt', 'T'],
      ['HTT', 'T'],
      ['h', 'H'],
      ['Hoan thanh', 'H'],
      ['C', 'C'],
      ['Chưa hoàn thành', 'C'],
    ]) {
      const p = parseCell('subject_level', typed);
      expect(p.ok && formatCell(p.value)).toBe(shown);
    }
    const bad = parseCell('subject_level', 'Đ');
    expect(bad.ok).toBe(false);
    expect(parseCell('subject_level', '8').ok).toBe(false);
  });

  it('a row summary names what is missing, never a level it does not have', () => {
    const cols = tt27Columns(4, 'toan', 1);
    expect(tt27RowSummary(cols, {}).text).toBe('Chưa đủ điều kiện xếp loại');
    const half = tt27RowSummary(cols, { ck_muc: { kind: 'subject_level', level: 'hoan_thanh_tot' } });
    expect(half.outcome).toEqual({ status: 'incomplete', reasons: ['thiếu điểm kiểm tra định kì cuối học kì I'] });
    expect(tt27RowSummary(cols, { ck_muc: { kind: 'subject_level', level: 'hoan_thanh_tot' }, ck_kt: { kind: 'score', tenths: 90 } }).text).toBe('Hoàn thành tốt (9)');
    expect(tt27RowSummary(cols, { gk_muc: { kind: 'subject_level', level: 'hoan_thanh' }, gk_kt: { kind: 'score', tenths: 60 } }).text).toBe('Hoàn thành (6)');
  });
});

describe('quality and competency levels (TT27 Điều 7: Tốt / Đạt / Cần cố gắng)', () => {
  it('reads letters and words, refuses the rest', async () => {
    const { parseQualityLevel } = await import('./primary-grid.js');
    expect(['T', 'tốt', 'Đ', 'Dat', 'C', 'CCG', 'Cần cố gắng'].map(parseQualityLevel)).toEqual(['tot', 'tot', 'dat', 'dat', 'can_co_gang', 'can_co_gang', 'can_co_gang']);
    expect(parseQualityLevel('Khá')).toBeNull();
    expect(parseQualityLevel('H')).toBeNull();
  });
});

describe('gradebookRowSummary (what the server answers and the browser recomputes)', () => {
  it('picks the TT22 summary for a TT22 grid and the checkpoint level for a primary one', async () => {
    const { gradebookRowSummary } = await import('./primary-grid.js');
    const { tt22Columns } = await import('./gradebook-grid.js');
    const primary = { ruleSet: 'tt27_2020' as const, assessment: 'comment' as const, requiredRegular: 0, columns: tt27Columns(2, 'toan', 2) };
    expect(gradebookRowSummary(primary, { ck_muc: { kind: 'subject_level', level: 'hoan_thanh' }, ck_kt: { kind: 'score', tenths: 60 } }).text).toBe('Hoàn thành (6)');
    const tt22 = { ruleSet: 'tt22_2021' as const, assessment: 'comment' as const, requiredRegular: 2, columns: tt22Columns('comment', 2) };
    const pass = { kind: 'pass_fail', result: 'dat' } as const;
    expect(gradebookRowSummary(tt22, { tx1: pass, tx2: pass, gk: pass, ck: pass }).text).toBe('Đạt');
  });
});
