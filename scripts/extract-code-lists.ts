/**
 * Extract the Ministry sector-database code lists (DM_* and the other UPPER_SNAKE
 * code-list sheets) from the start-of-year data dictionary workbook into JSON.
 *
 *   npx tsx scripts/extract-code-lists.ts [path-to-xlsx]
 *
 * Default input: ../shared/data/sector-db/data-dictionary-start-of-year-2020.xlsx
 * (relative to the repository root). Outputs:
 *   server/src/db/reference/code-lists.json   every code list except administrative units
 *   server/src/db/reference/admin-units.json  DM_TINH, DM_HUYEN, DM_XA (with `parent`)
 *
 * Workbook layout (every code-list sheet): row 2 = title, row 4 = header starting with
 * "STT", data from row 5. Ministry lists ("DM Bộ") use headers "Mã" / "Tên …"; the
 * SME mapping lists use CONSTANT_CODE / CONSTANT_TITLE / MAPPING_CODE / MOET_CODE /
 * CONSTANT_DESCRIPTION. Columns other than STT/code/name are kept in `attrs`, keyed by
 * the original header text. Codes stay strings exactly as given (leading zeros kept);
 * source order is preserved; duplicates (present in some *_SME lists) are kept.
 *
 * Re-runnable and deterministic: same workbook in, byte-identical JSON out.
 */
import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const defaultInput = path.resolve(repoRoot, '../shared/data/sector-db/data-dictionary-start-of-year-2020.xlsx');
const outDir = path.join(repoRoot, 'server/src/db/reference');

/** Administrative units go to their own file; value = header of the parent-code column. */
const ADMIN_LISTS: Record<string, string | null> = {
  DM_TINH: null,
  DM_HUYEN: 'Mã TP',
  DM_XA: 'Mã QH',
};
/** Parent *name* columns of the admin sheets: redundant with the parent code, dropped. */
const ADMIN_DROPPED_HEADERS = new Set(['Tỉnh / Thành Phố', 'Quận Huyện']);

export interface CodeEntry {
  code: string;
  name: string;
  parent?: string;
  attrs?: Record<string, string>;
}

export interface ListMeta {
  /** Title from the DANH_MUC index sheet ("Tên danh mục"), else the sheet's own title row. */
  title: string;
  /** Title row (row 2) of the sheet itself. */
  sheetTitle: string;
  /** "moet" = marked "DM Bộ" in the index, "sme" = marked "SME", "unindexed" = not in the index. */
  scope: 'moet' | 'sme' | 'unindexed';
  /** Original header row (STT excluded). */
  columns: string[];
  count: number;
  /** Free-text notes found under the table (rows with text but no code/name pair). */
  notes?: string[];
}

interface OutputFile {
  source: string;
  sourceFile: string;
  sourceSha256: string;
  sourceModified: string | null;
  generatedBy: string;
  meta: Record<string, ListMeta>;
  lists: Record<string, CodeEntry[]>;
}

const nfc = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

function cellString(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v && v.result !== undefined && v.result !== null) {
      const r = v.result;
      if (r instanceof Date) return r.toISOString().slice(0, 10);
      return typeof r === 'object' ? r.error : String(r);
    }
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('error' in v) return v.error;
  }
  // A formula without a cached result: nothing a code list can use.
  return '';
}

const isCodeListSheet = (name: string) => /^[A-Z][A-Z0-9_]*$/.test(name) && name !== 'DANH_MUC';

function readIndex(wb: ExcelJS.Workbook): Map<string, { title: string; scope: 'moet' | 'sme' }> {
  const index = new Map<string, { title: string; scope: 'moet' | 'sme' }>();
  const ws = wb.getWorksheet('DANH_MUC');
  if (!ws) return index;
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const sheet = nfc(cellString(row.getCell(2)));
    if (!sheet) continue;
    const title = nfc(cellString(row.getCell(3)));
    const scope = nfc(cellString(row.getCell(5))) ? 'sme' : 'moet';
    index.set(sheet, { title, scope });
  }
  return index;
}

function extractSheet(ws: ExcelJS.Worksheet, warn: (m: string) => void) {
  // Header row: first row (within the first 10) whose column A is "STT".
  let headerRow = 0;
  for (let r = 1; r <= Math.min(10, ws.rowCount); r++) {
    if (/^stt$/i.test(nfc(cellString(ws.getRow(r).getCell(1))))) {
      headerRow = r;
      break;
    }
  }
  if (!headerRow) throw new Error(`${ws.name}: no header row starting with "STT"`);

  let sheetTitle = '';
  for (let r = 1; r < headerRow && !sheetTitle; r++) {
    ws.getRow(r).eachCell((c) => {
      if (!sheetTitle) sheetTitle = nfc(cellString(c));
    });
  }

  const width = Math.max(ws.columnCount, ws.getRow(headerRow).cellCount);
  const headers: string[] = [];
  for (let c = 1; c <= width; c++) headers[c] = nfc(cellString(ws.getRow(headerRow).getCell(c)));

  const find = (pred: (h: string) => boolean) => {
    for (let c = 2; c <= width; c++) if (pred(headers[c])) return c;
    return 0;
  };
  const codeCol = find((h) => h === 'Mã' || h === 'CONSTANT_CODE') || find((h) => /^Mã(\s|$)/.test(h));
  const nameCol = find((h) => h === 'CONSTANT_TITLE') || find((h) => /^Tên(\s|$)/.test(h));
  if (!codeCol || !nameCol) throw new Error(`${ws.name}: cannot find code/name columns in [${headers.join(' | ')}]`);

  const parentHeader = ADMIN_LISTS[ws.name] ?? null;
  const parentCol = parentHeader ? find((h) => h === parentHeader) : 0;
  if (parentHeader && !parentCol) throw new Error(`${ws.name}: parent column "${parentHeader}" not found`);
  const isAdmin = ws.name in ADMIN_LISTS;

  const attrCols: number[] = [];
  for (let c = 2; c <= width; c++) {
    if (c === codeCol || c === nameCol || c === parentCol) continue;
    if (isAdmin && ADMIN_DROPPED_HEADERS.has(headers[c])) continue;
    attrCols.push(c);
  }

  // Width of string codes, to flag numeric cells that may have lost leading zeros.
  const entries: CodeEntry[] = [];
  const notes: string[] = [];
  const usedBlankHeaders = new Set<number>();
  const numericCodes: { row: number; code: string }[] = [];
  let minStringWidth = Infinity;

  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const codeCell = row.getCell(codeCol);
    const code = nfc(cellString(codeCell));
    const name = nfc(cellString(row.getCell(nameCol)));
    if (!code && !name) {
      // Possibly a free-text note in another column.
      row.eachCell((c) => {
        const t = nfc(cellString(c));
        if (t && !/^\d+$/.test(t)) notes.push(t);
      });
      continue;
    }
    if (!code || !name) {
      const text = [code, name].filter(Boolean).join(' ');
      notes.push(text);
      warn(`${ws.name} row ${r}: not a code/name pair, kept as note: ${JSON.stringify(text)}`);
      continue;
    }
    if (typeof codeCell.value === 'number') numericCodes.push({ row: r, code });
    else minStringWidth = Math.min(minStringWidth, code.length);

    const entry: CodeEntry = { code, name };
    if (parentCol) {
      const p = nfc(cellString(row.getCell(parentCol)));
      if (p) entry.parent = p;
      else warn(`${ws.name} row ${r}: code ${code} has no parent`);
    }
    const attrs: Record<string, string> = {};
    for (const c of attrCols) {
      const v = nfc(cellString(row.getCell(c)));
      if (!v) continue;
      if (!headers[c]) usedBlankHeaders.add(c);
      attrs[headers[c] || `col${c}`] = v;
    }
    if (Object.keys(attrs).length) entry.attrs = attrs;
    entries.push(entry);
  }

  for (const n of numericCodes) {
    if (n.code.length < minStringWidth) {
      warn(`${ws.name} row ${n.row}: numeric code ${n.code} is shorter than the string codes (${minStringWidth}); kept as is`);
    }
  }
  const seen = new Map<string, number>();
  for (const e of entries) seen.set(e.code, (seen.get(e.code) ?? 0) + 1);
  const dups = [...seen].filter(([, n]) => n > 1).map(([c]) => c);
  if (dups.length) warn(`${ws.name}: duplicate codes kept as in source: ${dups.join(', ')}`);

  return {
    entries,
    sheetTitle,
    columns: headers
      .map((h, c) => (h ? h : usedBlankHeaders.has(c) ? `col${c}` : ''))
      .slice(2)
      .filter(Boolean),
    notes,
  };
}

/** One entry per line: readable diffs, still valid JSON. */
function serialize(file: OutputFile): string {
  const { lists, ...head } = file;
  const headJson = JSON.stringify(head, null, 2);
  const names = Object.keys(lists);
  const body = names
    .map((name, i) => {
      const rows = lists[name].map((e) => '      ' + JSON.stringify(e)).join(',\n');
      const arr = rows ? `[\n${rows}\n    ]` : '[]';
      return `    ${JSON.stringify(name)}: ${arr}${i < names.length - 1 ? ',' : ''}`;
    })
    .join('\n');
  return `${headJson.slice(0, -2)},\n  "lists": {\n${body}\n  }\n}\n`;
}

async function main() {
  const input = path.resolve(process.argv[2] ?? defaultInput);
  const buf = readFileSync(input);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);

  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  const index = readIndex(wb);

  const base = (): Omit<OutputFile, 'meta' | 'lists'> => ({
    source:
      `${path.basename(input)} — Ministry of Education and Training sector database, start-of-year ` +
      `exchange description (dated 26/10/2020; workbook last modified ` +
      `${wb.modified ? wb.modified.toISOString().slice(0, 10) : 'unknown'}), as published in XuanNgoc-Nhung/csdln-v2`,
    sourceFile: path.basename(input),
    sourceSha256: createHash('sha256').update(buf).digest('hex'),
    sourceModified: wb.modified ? wb.modified.toISOString() : null,
    generatedBy: 'npx tsx scripts/extract-code-lists.ts',
  });
  const main: OutputFile = { ...base(), meta: {}, lists: {} };
  const admin: OutputFile = { ...base(), meta: {}, lists: {} };

  const sheetNames = new Set<string>();
  for (const ws of wb.worksheets) {
    if (!isCodeListSheet(ws.name)) continue;
    sheetNames.add(ws.name);
    const { entries, sheetTitle, columns, notes } = extractSheet(ws, warn);
    const idx = index.get(ws.name);
    if (!idx) warn(`${ws.name}: sheet not listed in the DANH_MUC index`);
    const meta: ListMeta = {
      title: idx?.title || sheetTitle,
      sheetTitle,
      scope: idx?.scope ?? 'unindexed',
      columns,
      count: entries.length,
      ...(notes.length ? { notes } : {}),
    };
    if (!entries.length) warn(`${ws.name}: no entries`);
    const target = ws.name in ADMIN_LISTS ? admin : main;
    target.meta[ws.name] = meta;
    target.lists[ws.name] = entries;
  }
  for (const name of index.keys()) {
    if (!sheetNames.has(name)) warn(`DANH_MUC index lists "${name}" but there is no such sheet`);
  }

  mkdirSync(outDir, { recursive: true });
  const mainPath = path.join(outDir, 'code-lists.json');
  const adminPath = path.join(outDir, 'admin-units.json');
  writeFileSync(mainPath, serialize(main));
  writeFileSync(adminPath, serialize(admin));

  const all = { ...main.lists, ...admin.lists };
  const pad = Math.max(...Object.keys(all).map((n) => n.length));
  console.log(`Source: ${input}`);
  for (const [name, entries] of Object.entries(all)) {
    const where = name in ADMIN_LISTS ? ' (admin-units.json)' : '';
    console.log(`  ${name.padEnd(pad)} ${String(entries.length).padStart(6)}${where}`);
  }
  const rel = (p: string) => path.relative(repoRoot, p);
  console.log(
    `${Object.keys(all).length} lists: ${Object.keys(main.lists).length} in ${rel(mainPath)} ` +
      `(${statSync(mainPath).size} bytes), ${Object.keys(admin.lists).length} in ${rel(adminPath)} ` +
      `(${statSync(adminPath).size} bytes)`,
  );
  if (warnings.length) {
    console.log(`\n${warnings.length} warning(s):`);
    for (const w of warnings) console.log(`  - ${w}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
