import ExcelJS from 'exceljs';
import { pdfPageTexts } from './pdf-text.js';

// What a list answer hands out, as a set of keys, so two answers to the same route can be
// compared: a filter given a hostile value must never return anything its benign control did
// not (hostile-input.test.ts). The keys depend on the answer's type:
// - JSON: every uuid-looking value of a field named `id` or `…Id` (students, staff, classes,
//   audit entries, users, org units — whatever the list holds), plus a top-level `total`;
// - .xlsx: every data row of every sheet, cells joined by a tab, the running "STT" number left out
//   (a shorter list renumbers its rows);
// - PDF: every learner id (10 digits) or temporary code printed, plus the row count the title
//   states ("N học sinh").
// A refused answer (not 2xx) hands out nothing: an empty set.

export type ResultKeys = { kind: 'json' | 'xlsx' | 'pdf' | 'refused' | 'other'; keys: Set<string>; total: number | null };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_KEY_RE = /^(id|\w+Id)$/;

/** Every uuid held by an `id` / `…Id` field anywhere in a JSON value. */
export function jsonIds(value: unknown, out = new Set<string>(), key = ''): Set<string> {
  if (typeof value === 'string') {
    if (ID_KEY_RE.test(key) && UUID_RE.test(value)) out.add(value.toLowerCase());
  } else if (Array.isArray(value)) {
    for (const v of value) jsonIds(v, out, key);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) jsonIds(v, out, k);
  }
  return out;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return 'richText' in v ? v.richText.map((r) => r.text).join('') : JSON.stringify(v);
  return String(v);
}

/** Data rows of every sheet of a workbook (row 1 is the header), without the STT column. */
export async function xlsxRows(buf: Buffer): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const rows: string[] = [];
  wb.eachSheet((sheet) => {
    const header = sheet.getRow(1).values as ExcelJS.CellValue[];
    const skip = new Set(header.flatMap((h, i) => (cellText(h).trim() === 'STT' ? [i] : [])));
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const values = row.values as ExcelJS.CellValue[];
      rows.push(`${sheet.name}\t${values.map((v, i) => (skip.has(i) ? '' : cellText(v))).join('\t')}`);
    });
  });
  return rows;
}

const LEARNER_CODE_RE = /\b(\d{10}|TMP-[A-Za-z0-9]{1,32}-\d{6,})\b/g;

export async function resultKeys(res: { statusCode: number; headers: Record<string, string | string[] | number | undefined>; body: string; rawPayload: Buffer }): Promise<ResultKeys> {
  if (res.statusCode < 200 || res.statusCode > 299) return { kind: 'refused', keys: new Set(), total: null };
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('json')) {
    const body = JSON.parse(res.body) as unknown;
    const total = body && typeof body === 'object' && 'total' in body && typeof body.total === 'number' ? body.total : null;
    return { kind: 'json', keys: jsonIds(body), total };
  }
  if (type.includes('spreadsheetml')) {
    const rows = await xlsxRows(res.rawPayload);
    return { kind: 'xlsx', keys: new Set(rows), total: rows.length };
  }
  if (type.includes('application/pdf')) {
    const text = (await pdfPageTexts(res.rawPayload)).join('\n').replace(/\s+/g, ' ');
    const stated = text.match(/(\d+) học sinh/);
    return { kind: 'pdf', keys: new Set(text.match(LEARNER_CODE_RE) ?? []), total: stated ? Number(stated[1]) : null };
  }
  return { kind: 'other', keys: new Set(), total: null };
}

/** What `hostile` returned that `control` did not: keys outside the control's set, or a larger total. */
export function widening(hostile: ResultKeys, control: ResultKeys): string[] {
  const extra = [...hostile.keys].filter((k) => !control.keys.has(k));
  if (hostile.total !== null && hostile.total > (control.total ?? 0)) extra.push(`total ${hostile.total} > ${control.total ?? 0}`);
  return extra;
}
