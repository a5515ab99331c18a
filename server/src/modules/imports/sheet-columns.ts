/**
 * Shared machinery for every import kind: header detection, column mapping, reading cells
 * with the formula policy, code-list matching, and the row-issue collector.
 *
 * Formula policy (decided here, applied to every import kind):
 * - identity columns (ids, names, date of birth, class name, staff code) must hold typed
 *   values: a formula cell there is an error, because a formula result that changes when the
 *   file is re-opened (TODAY(), lookups into other files) must never decide who a record is;
 * - other columns take Excel's cached result when it is a plain value; a formula without a
 *   cached result (file saved by a tool that does not compute) is an error.
 * Formulas are never evaluated.
 */
import { cleanText, formatVnDate, parseVnDate, searchFold } from '../../../../domain/index.js';
import { type Cell, type SheetRow, readWorkbookRows } from './xlsx-rows.js';

export type Severity = 'error' | 'warning';

export type ImportIssue = {
  row: number;
  column: string;
  value: string | null;
  message: string;
  severity: Severity;
};

export const FORMULA_MESSAGE = 'Ô chứa công thức; hãy dán giá trị (Paste Values)';

// ------------------------------------------------------------------ text helpers


/** Header text → comparison key: accents, case, punctuation, "(…)" hints and "*" marks removed. */
export function foldHeader(s: string): string {
  return searchFold(s.replace(/\([^)]*\)/g, ' ').replace(/\[[^\]]*\]/g, ' '))
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Code-list names and free values → key: folded, and hyphens/spaces/apostrophes removed ("Ê-đê" = "Ê Đê" = "ede"). */
export const foldKey = (s: string): string => searchFold(s).replace(/[^a-z0-9]/g, '');

const pad2 = (n: number) => String(n).padStart(2, '0');

/** How a cell is shown back to the user in the error sheet. */
export function cellText(cell: Cell | undefined): string | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  if (cell instanceof Date) return `${pad2(cell.getUTCDate())}/${pad2(cell.getUTCMonth() + 1)}/${cell.getUTCFullYear()}`;
  if (cell.kind === 'formula') return cell.result === null ? '(công thức)' : `(công thức) ${String(cell.result)}`;
  return `#${cell.code.replace(/^#/, '')}`;
}

/**
 * How a cell is shown back to the user (error sheet: the "Giá trị" column and the copy of the bad
 * rows). The reader ignores styles, so a date cell arrives as its Excel serial number (45123):
 * in a date column such a number is shown as the day it stands for (dd/mm/yyyy), exactly as
 * parseVnDate reads it, so the user recognises their own cell. Numbers that are not a valid day
 * stay as typed.
 */
export function displayCell(cell: Cell | undefined, asDate: boolean, date1904: boolean): string | null {
  if (asDate) {
    const serialText = (n: number) => {
      const res = parseVnDate(date1904 ? n + 1462 : n);
      return res.ok ? formatVnDate(res.value) : String(n);
    };
    if (typeof cell === 'number') return serialText(cell);
    if (cell !== null && cell !== undefined && typeof cell === 'object' && !(cell instanceof Date) && cell.kind === 'formula' && typeof cell.result === 'number') {
      return `(công thức) ${serialText(cell.result)}`;
    }
  }
  return cellText(cell);
}

/** Unmapped columns whose header starts with "Ngày" (Ngày sinh mẹ, Ngày vào Đội…) hold dates too. */
const DATE_HEADER_RE = /^ngay\b/;

const isBlankCell = (c: Cell | undefined) => c === null || c === undefined || (typeof c === 'string' && cleanText(c) === '');

// ------------------------------------------------------------------ column specs

export type FieldSpec<F extends string> = {
  field: F;
  /** Canonical header, as in our template and in messages. */
  label: string;
  /** Folded header texts that mean this field, best first (see foldHeader). */
  aliases: string[];
  /** Formula cells are refused in this column. */
  identity?: boolean;
  /** The column holds dates: Excel serial numbers are shown back as dd/mm/yyyy. */
  date?: boolean;
};

/**
 * A column whose header only makes sense next to another one: "Số điện thoại" right after
 * "Họ tên mẹ" is the mother's phone, after "Họ tên người giám hộ" the guardian's (the Ministry's
 * student list repeats a bare "Số điện thoại" beside each guardian's name). The nearest column
 * to its left that maps to a field in `after` decides; unmapped columns in between (job, year of
 * birth…) are skipped. A field already mapped by its own header is never taken over.
 */
export type CompanionColumn<F extends string> = {
  /** Folded header texts (see foldHeader). */
  aliases: string[];
  /** Field of the column on the left → field this column then maps to. */
  after: Partial<Record<F, F>>;
};

export type ColumnRequirement<F extends string> = {
  /** What to tell the user is missing. */
  label: string;
  satisfied: (present: ReadonlySet<F>) => boolean;
};

export type SheetSpec<F extends string> = {
  /** Vietnamese noun for messages: "học sinh", "cán bộ", "lớp". */
  noun: string;
  fields: FieldSpec<F>[];
  required: ColumnRequirement<F>[];
  /** A row is the header row when the fields found in it satisfy this. */
  isHeader: (present: ReadonlySet<F>) => boolean;
  /** A data row counts as a record when one of these fields has a value; other rows are skipped. */
  keyFields: F[];
  /** Upper bound of data rows. */
  maxRows: number;
  companions?: CompanionColumn<F>[];
};

export type MappedColumn = { index: number; header: string };

export type ParsedSheet<F extends string> = {
  ok: true;
  sheetName: string;
  headerRow: number;
  date1904: boolean;
  columns: Map<F, MappedColumn>;
  /** Every header cell of the header row (for the copy of the original rows). */
  headers: { index: number; header: string }[];
  /** Header cells that matched no field. */
  ignoredHeaders: string[];
  /** 0-based indexes of the columns that hold dates (see displayCell). */
  dateColumns: Set<number>;
  rows: SheetRow[];
  /** Non-blank rows skipped because they hold none of the key fields (titles, sub-totals…). */
  skippedRows: number[];
  blankRows: number;
};

export type ParseFailure = { ok: false; code: string; message: string };

/** Maps the cells of one row to fields; null when nothing matched. */
function matchHeaderRow<F extends string>(spec: SheetSpec<F>, cells: Cell[]) {
  const aliasIndex = new Map<string, { field: F; rank: number }>();
  for (const f of spec.fields) f.aliases.forEach((a, rank) => aliasIndex.set(a, { field: f.field, rank }));
  const best = new Map<F, { index: number; header: string; rank: number }>();
  const headers: { index: number; header: string }[] = [];
  const fieldAt = new Map<number, F>();
  const unmatched: { index: number; header: string }[] = [];
  cells.forEach((cell, index) => {
    if (typeof cell !== 'string' && typeof cell !== 'number') return;
    const header = cleanText(String(cell));
    if (header === '') return;
    headers.push({ index, header });
    const hit = aliasIndex.get(foldHeader(header));
    if (!hit) {
      unmatched.push({ index, header });
      return;
    }
    fieldAt.set(index, hit.field);
    const prev = best.get(hit.field);
    // Best alias wins; on a tie the leftmost column (a student's "Họ tên" comes before the parents').
    if (!prev || hit.rank < prev.rank) best.set(hit.field, { index, header, rank: hit.rank });
  });
  // Companion columns ("Số điện thoại" beside a guardian's name), left to right.
  const ignored: string[] = [];
  for (const u of unmatched) {
    const folded = foldHeader(u.header);
    const companion = spec.companions?.find((c) => c.aliases.includes(folded));
    let left: F | undefined;
    for (let i = u.index - 1; i >= 0 && left === undefined; i--) left = fieldAt.get(i);
    const target = companion && left !== undefined ? companion.after[left] : undefined;
    if (target !== undefined && !best.has(target)) {
      best.set(target, { index: u.index, header: u.header, rank: 0 });
      fieldAt.set(u.index, target);
    } else ignored.push(u.header);
  }
  return { best, headers, ignored };
}

const HEADER_SEARCH_ROWS = 10;

/** Footer lines of exported lists ("Tổng cộng", "Người lập biểu", "Ngày … tháng … năm"). */
const FOOTER_RE = /^(tong cong|tong so|cong \d|nguoi lap|hieu truong|ngay( \d+)? thang|xac nhan|ky ten)\b/;

/**
 * Reads a workbook and finds the import table: the first visible sheet with a header row in
 * its first 10 rows. Data rows follow the header; blank rows are dropped, rows without any key
 * field are skipped (reported as warnings by the caller unless they trail the data).
 */
export async function parseSheet<F extends string>(
  buffer: Buffer,
  spec: SheetSpec<F>,
  onProgress?: (rowsRead: number) => void,
): Promise<ParsedSheet<F> | ParseFailure> {
  type Candidate = { sheet: string; row: number; found: Set<F> };
  let bestCandidate: Candidate | null = null;
  let result: ParsedSheet<F> | null = null;
  let current: ParsedSheet<F> | null = null;
  let sheetName = '';
  let date1904 = false;
  let tooMany = false;
  let read = 0;

  await readWorkbookRows(buffer, {
    done: () => result !== null || tooMany,
    onSheet: (info) => {
      sheetName = info.name;
      date1904 = info.date1904;
      current = null;
    },
    onRow: (row) => {
      if (current === null) {
        if (row.rowNumber > HEADER_SEARCH_ROWS) return false;
        const { best, headers, ignored } = matchHeaderRow(spec, row.cells);
        const found = new Set(best.keys());
        if (found.size > 0 && (!bestCandidate || found.size > bestCandidate.found.size)) {
          bestCandidate = { sheet: sheetName, row: row.rowNumber, found };
        }
        if (spec.isHeader(found)) {
          const dateFields = new Set(spec.fields.filter((f) => f.date).map((f) => f.field));
          const dateColumns = new Set<number>();
          for (const [f, v] of best) if (dateFields.has(f)) dateColumns.add(v.index);
          const mapped = new Set([...best.values()].map((v) => v.index));
          for (const h of headers) if (!mapped.has(h.index) && DATE_HEADER_RE.test(foldHeader(h.header))) dateColumns.add(h.index);
          current = {
            ok: true,
            sheetName,
            headerRow: row.rowNumber,
            date1904,
            columns: new Map([...best].map(([f, v]) => [f, { index: v.index, header: v.header }])),
            headers,
            ignoredHeaders: ignored,
            dateColumns,
            rows: [],
            skippedRows: [],
            blankRows: 0,
          };
        }
        return true;
      }
      const sheet: ParsedSheet<F> = current;
      read += 1;
      if (read % 500 === 0) onProgress?.(read);
      if (row.cells.every(isBlankCell)) {
        sheet.blankRows += 1;
        return true;
      }
      sheet.rows.push(row);
      if (sheet.rows.length > spec.maxRows + 50) {
        tooMany = true;
        return false;
      }
      return true;
    },
    onSheetEnd: () => {
      if (current) result = current;
    },
  });

  if (tooMany) {
    return {
      ok: false,
      code: 'too_many_rows',
      message: `Tệp có quá nhiều dòng (tối đa ${spec.maxRows.toLocaleString('vi-VN')} ${spec.noun}). Hãy chia thành nhiều tệp.`,
    };
  }
  if (!result) {
    const cand = bestCandidate as Candidate | null;
    const present = cand?.found ?? new Set<F>();
    const missing = spec.required.filter((r) => !r.satisfied(present)).map((r) => r.label);
    const where = cand ? ` (dòng tiêu đề gần đúng nhất: dòng ${cand.row}, trang "${cand.sheet}")` : '';
    return {
      ok: false,
      code: 'missing_columns',
      message: `Không tìm thấy dòng tiêu đề danh sách ${spec.noun} trong ${HEADER_SEARCH_ROWS} dòng đầu${where}. Thiếu cột: ${missing.join(', ')}. Hãy dùng tệp mẫu hoặc đặt đúng tên cột.`,
    };
  }
  const parsed: ParsedSheet<F> = result;
  const present = new Set(parsed.columns.keys());
  const missing = spec.required.filter((r) => !r.satisfied(present)).map((r) => r.label);
  if (missing.length > 0) {
    return {
      ok: false,
      code: 'missing_columns',
      message: `Thiếu cột: ${missing.join(', ')} (dòng tiêu đề là dòng ${parsed.headerRow}, trang "${parsed.sheetName}"). Hãy thêm các cột này hoặc dùng tệp mẫu.`,
    };
  }

  // Rows with none of the key fields: trailing ones (totals, signatures) are dropped silently,
  // the others are reported so the user sees nothing was lost without notice.
  const keyIdx = spec.keyFields.map((f) => parsed.columns.get(f)?.index).filter((i): i is number => i !== undefined);
  const nameIdx = keyIdx[0];
  const isRecord = (r: SheetRow) => keyIdx.some((i) => !isBlankCell(r.cells[i]));
  const isFooter = (r: SheetRow) => {
    const first = nameIdx === undefined ? undefined : r.cells[nameIdx];
    const others = keyIdx.slice(1).every((i) => isBlankCell(r.cells[i]));
    return typeof first === 'string' && others && FOOTER_RE.test(foldHeader(first));
  };
  let end = parsed.rows.length;
  while (end > 0 && (!isRecord(parsed.rows[end - 1]) || isFooter(parsed.rows[end - 1]))) end -= 1;
  const kept: SheetRow[] = [];
  for (let i = 0; i < end; i++) {
    const r = parsed.rows[i];
    if (isRecord(r)) kept.push(r);
    else parsed.skippedRows.push(r.rowNumber);
  }
  parsed.rows = kept;
  if (kept.length > spec.maxRows) {
    return {
      ok: false,
      code: 'too_many_rows',
      message: `Tệp có ${kept.length.toLocaleString('vi-VN')} dòng, quá giới hạn ${spec.maxRows.toLocaleString('vi-VN')} ${spec.noun}. Hãy chia thành nhiều tệp.`,
    };
  }
  if (kept.length === 0) {
    return { ok: false, code: 'no_rows', message: `Tệp không có dòng ${spec.noun} nào dưới dòng tiêu đề (dòng ${parsed.headerRow}).` };
  }
  return parsed;
}

// ------------------------------------------------------------------ reading cells of a row

export type RawValue = string | number | boolean | Date;

/**
 * Cell access for one data row: applies the formula policy, cleans text and records issues
 * against the file's own column header.
 */
export class RowReader<F extends string> {
  constructor(
    private readonly sheet: ParsedSheet<F>,
    private readonly specByField: Map<F, FieldSpec<F>>,
    readonly row: SheetRow,
    private readonly issues: ImportIssue[],
  ) {}

  get rowNumber(): number {
    return this.row.rowNumber;
  }

  has(field: F): boolean {
    return this.sheet.columns.has(field);
  }

  header(field: F): string {
    return this.sheet.columns.get(field)?.header ?? this.specByField.get(field)?.label ?? field;
  }

  cell(field: F): Cell {
    const col = this.sheet.columns.get(field);
    return col ? (this.row.cells[col.index] ?? null) : null;
  }

  /** Records an issue for this row and field. */
  report(field: F, message: string, severity: Severity = 'error', value?: string | null): void {
    this.issues.push({
      row: this.row.rowNumber,
      column: this.header(field),
      value: value === undefined ? displayCell(this.cell(field), this.specByField.get(field)?.date === true, this.sheet.date1904) : value,
      message,
      severity,
    });
  }

  /** The cell's value after the formula policy; undefined when an error was recorded, null when blank. */
  raw(field: F): RawValue | null | undefined {
    const cell = this.cell(field);
    if (cell === null) return null;
    if (typeof cell === 'string') {
      const t = cleanText(cell);
      return t === '' ? null : t;
    }
    if (typeof cell === 'number' || typeof cell === 'boolean' || cell instanceof Date) return cell;
    if (cell.kind === 'error') {
      this.report(field, `Ô có lỗi Excel (${cellText(cell)}); hãy sửa công thức hoặc nhập giá trị`);
      return undefined;
    }
    if (this.specByField.get(field)?.identity || cell.result === null) {
      this.report(field, FORMULA_MESSAGE);
      return undefined;
    }
    const r = cell.result;
    if (typeof r === 'string') {
      const t = cleanText(r);
      return t === '' ? null : t;
    }
    return r;
  }

  /** Text value (numbers written without exponent); null when blank, undefined after an error. */
  text(field: F, maxLength = 255): string | null | undefined {
    const v = this.raw(field);
    if (v === null || v === undefined) return v;
    let s: string;
    if (typeof v === 'number') s = Number.isInteger(v) ? v.toFixed(0) : String(v);
    else if (v instanceof Date) s = cellText(v) ?? '';
    else s = String(v);
    if (s.length > maxLength) {
      this.report(field, `Quá dài (${s.length} ký tự; tối đa ${maxLength})`);
      return undefined;
    }
    return s;
  }
}

export function rowReaders<F extends string>(sheet: ParsedSheet<F>, spec: SheetSpec<F>, issues: ImportIssue[]): RowReader<F>[] {
  const byField = new Map(spec.fields.map((f) => [f.field, f]));
  return sheet.rows.map((r) => new RowReader(sheet, byField, r, issues));
}

// ------------------------------------------------------------------ code lists

export type CodeItem = { code: string; name: string };

/**
 * Matches a cell against a code list by code ("01", or 1 when Excel dropped the zero) or by
 * name, ignoring case, accents, spaces and hyphens ("muong" = "Mường", "HMông" = "Hmông").
 */
export class CodeMatcher {
  private readonly byKey = new Map<string, string>();
  private readonly codes: Set<string>;
  readonly nameOf: Map<string, string>;

  constructor(items: CodeItem[], aliases: Record<string, string> = {}) {
    this.codes = new Set(items.map((i) => i.code));
    this.nameOf = new Map(items.map((i) => [i.code, i.name]));
    for (const i of items) {
      const k = foldKey(i.name);
      if (!this.byKey.has(k)) this.byKey.set(k, i.code);
    }
    for (const [alias, code] of Object.entries(aliases)) this.byKey.set(foldKey(alias), code);
  }

  private readonly memo = new Map<string, string | null>();

  match(v: RawValue): string | null {
    if (typeof v === 'string') {
      // The same few values repeat on every row ("Kinh", "Nam", "Đang học"): fold each once.
      let hit = this.memo.get(v);
      if (hit === undefined) {
        hit = this.matchText(v);
        if (this.memo.size < 10_000) this.memo.set(v, hit);
      }
      return hit;
    }
    if (typeof v === 'number') {
      if (!Number.isInteger(v) || v < 0) return null;
      const code = String(v).padStart(2, '0');
      return this.codes.has(code) ? code : null;
    }
    return null;
  }

  private matchText(v: string): string | null {
    const s = cleanText(v);
    if (this.codes.has(s)) return s;
    if (/^\d$/.test(s) && this.codes.has(`0${s}`)) return `0${s}`;
    return this.byKey.get(foldKey(s)) ?? null;
  }
}

// ------------------------------------------------------------------ small value parsers

/**
 * Vietnamese phone number, as the numbering plan has it since 2018: mobile = 10 digits starting
 * with 03, 05, 07, 08 or 09; landline = 11 digits starting with 02 (area code + number).
 * "+84 …" and "84…" become 0…, and a leading 0 that Excel dropped (912345678) is put back.
 * `column` is the file's own header, named in the message so the user finds the cell.
 */
export function normalizePhone(v: RawValue, column?: string): { ok: true; value: string } | { ok: false; reason: string } {
  let s = typeof v === 'number' ? (Number.isInteger(v) ? v.toFixed(0) : String(v)) : String(v);
  s = s.replace(/[\s.\-()]/g, '').replace(/^'/, '');
  if (s.startsWith('+84')) s = `0${s.slice(3)}`;
  else if (s.startsWith('84') && (s.length === 11 || s.length === 12)) s = `0${s.slice(2)}`;
  if (/^[1-9]\d{8,9}$/.test(s)) s = `0${s}`;
  if (!/^0[35789]\d{8}$/.test(s) && !/^02\d{9}$/.test(s)) {
    const where = column ? ` ở cột "${column}"` : '';
    return {
      ok: false,
      reason: `Số điện thoại "${String(v)}"${where} không phải số điện thoại Việt Nam hợp lệ: cần 10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09 (ví dụ 0912345678), hoặc số máy bàn 11 chữ số bắt đầu bằng 02`,
    };
  }
  return { ok: true, value: s };
}

export function parseYesNo(v: RawValue): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : null;
  const k = foldKey(String(v));
  if (['co', 'x', '1', 'yes', 'true', 'dung', 'lopghep'].includes(k)) return true;
  if (['khong', '0', 'no', 'false', 'sai', 'k'].includes(k)) return false;
  return null;
}

/** "6", 6, "Khối 6", "K6", "lớp 6" → 6 (0–12). */
export function parseGrade(v: RawValue): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 12 ? v : null;
  const m = /^(?:khoi|lop|k)?\s*(\d{1,2})$/.exec(searchFold(String(v)).replace(/\s+/g, ' ').trim());
  if (!m) return null;
  const g = Number(m[1]);
  return g >= 0 && g <= 12 ? g : null;
}

/** Class names compare without case and spaces: "6a1" = "6A1" = "6 A1". */
export const classKey = (name: string): string => searchFold(name).replace(/\s+/g, '');

/** Re-exported so the kind modules need one import. */
export { parseSheet as parseImportSheet };
export type { Cell, SheetRow };
export { readWorkbookRows };
