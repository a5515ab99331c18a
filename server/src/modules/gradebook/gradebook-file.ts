/**
 * The grid's .xlsx as a file format, both ways, without a database: what the export's hidden
 * version column holds, and how a filled-in copy is read back (header row, columns by their
 * labels, one entry per student row). The rules about whom a row is and what a cell may hold are
 * the import's (gradebook-import.ts); this file only says where things are.
 */
import { searchFold, type GradebookColumn } from '../../../../domain/index.js';
import type { Cell, SheetRow } from '../imports/xlsx-rows.js';

/** A problem of the file, at the row and column Excel shows. */
export type FileIssue = { row: number; column: string; message: string };

/** Which grid a file was exported from (its hidden column's header). */
export type GridRef = { classId: string; subjectCode: string; term: number };

const VERSION_PREFIX = 'Phiên bản ô điểm';
const VERSION_HEADER_RE = /^Phiên bản ô điểm ([0-9a-f-]{36})\/([a-z0-9_]{1,40})\/([12])$/;

/** The hidden column's header: which grid the file is. */
export const versionHeader = (g: GridRef) => `${VERSION_PREFIX} ${g.classId}/${g.subjectCode}/${g.term}`;

// TT22's columns, then a primary grid's two checkpoints (level, periodic test, comment: primary-grid.ts).
const COLUMN_ORDER = ['tx1', 'tx2', 'tx3', 'tx4', 'tx5', 'tx6', 'tx7', 'tx8', 'tx9', 'gk', 'ck', 'nx', 'gk_muc', 'gk_kt', 'gk_nx', 'ck_muc', 'ck_kt', 'ck_nx'];

/**
 * A row's cell versions as the export saw them: "tx1=3 gk=1" (a cell never written is left out:
 * version 0). A cell written once and emptied since (cleared in the grid) is marked "tx2=4e": the
 * import must know the cell was empty in the file it made, so that an empty cell of the file
 * clears only a mark the teacher saw and deleted, never one entered after the export.
 */
export function versionToken(cells: Readonly<Record<string, { version: number; value?: string | null } | undefined>>): string {
  return Object.entries(cells)
    .flatMap(([k, c]) => (c && c.version > 0 ? [{ k, version: c.version, empty: 'value' in c && !c.value }] : []))
    .sort((a, b) => COLUMN_ORDER.indexOf(a.k) - COLUMN_ORDER.indexOf(b.k))
    .map(({ k, version, empty }) => `${k}=${version}${empty ? 'e' : ''}`)
    .join(' ');
}

export function parseVersionHeader(text: string): GridRef | null {
  const m = VERSION_HEADER_RE.exec(text.trim());
  return m ? { classId: m[1], subjectCode: m[2], term: Number(m[3]) } : null;
}

/** What the export saw of a row's cells: their versions, and which of them were empty (cleared in the grid). */
export type RowVersions = { versions: Map<string, number>; emptyAtExport: Set<string> };

/** The versions of a row's cells; null when the text is not a token the export wrote. */
export function parseVersionToken(text: string): RowVersions | null {
  const versions = new Map<string, number>();
  const emptyAtExport = new Set<string>();
  for (const part of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^(tx[1-9]|gk|ck|nx|(?:gk|ck)_(?:muc|kt|nx))=(\d{1,9})(e?)$/.exec(part);
    if (!m) return null;
    versions.set(m[1], Number(m[2]));
    if (m[3]) emptyAtExport.add(m[1]);
  }
  return { versions, emptyAtExport };
}

/** A student row of the file: who (as written) and the grid cells as text. */
export type FileRow = {
  row: number;
  code: string;
  name: string;
  dob: string;
  /** column key → the cell's text ('' = empty). */
  values: Map<string, string>;
  /** The export's versions for this row (and its cells that were empty); null when the file has no version column. */
  versions: RowVersions | null;
};

export type GridFile = {
  /** The grid the export named; null for a file without the hidden column (made by hand). */
  grid: GridRef | null;
  /** Grid columns the file has, in file order. */
  columns: GradebookColumn[];
  rows: FileRow[];
  issues: FileIssue[];
};

/** Students in a class are ~45; a file far past that is not a class's grid. */
export const MAX_FILE_ROWS = 500;

/** A header as compared: no accents, case or punctuation ("Họ và tên" → "ho va ten"). */
export const fold = (s: string) => searchFold(s).replace(/[^a-z0-9]+/g, ' ').trim();
export const NAME_HEADERS = new Set(['ho va ten', 'ho ten', 'hoc sinh', 'ho va ten hoc sinh']);
export const CODE_HEADERS = new Set(['ma hoc sinh', 'ma dinh danh', 'ma dinh danh bo gd dt', 'ma hs']);
const SUMMARY_HEADERS = new Set(['dtbmhk', 'ket qua', 'stt', 'ngay sinh']);

/**
 * An Excel cell as the text a teacher would have typed: numbers as written ("8.5" — the mark
 * parser takes a point or a comma), the export's quote before = + - @ taken off again, a formula
 * by the value Excel last showed. `null` with a reason when the cell cannot be a mark or a comment.
 */
export function cellText(cell: Cell | undefined): { text: string } | { error: string } {
  if (cell === null || cell === undefined) return { text: '' };
  if (typeof cell === 'string') return { text: /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell };
  if (typeof cell === 'number') return { text: String(cell) };
  if (typeof cell === 'boolean') return { error: `ô chứa giá trị ${cell ? 'TRUE' : 'FALSE'}, không phải điểm` };
  if (cell instanceof Date) return { error: 'Excel đã đổi ô này thành ngày tháng; hãy định dạng cột là Văn bản (Text) rồi nhập lại điểm, ví dụ 8,5' };
  if (cell.kind === 'error') return { error: `ô báo lỗi ${cell.code}` };
  if (cell.result === null) return { error: 'ô chứa công thức chưa có kết quả; hãy dán giá trị (Paste Values)' };
  return cellText(cell.result);
}

/**
 * What the export writes in the empty cells of a student exempt from the subject (miễn học,
 * TT22 Điều 11; the same decision in a primary grid); the import reads it back as "nothing
 * entered" for that student only.
 */
export const EXEMPT_TEXT = 'Miễn';
export const isExemptText = (text: string) => fold(text) === fold(EXEMPT_TEXT);

/** Reads the first sheet's rows: the header row (one of the first ten), the columns it names, and every non-blank row below. */
export function readGridRows(rows: SheetRow[], gridColumns: GradebookColumn[]): GridFile {
  const issues: FileIssue[] = [];
  const headerAt = rows.findIndex((r) => r.rowNumber <= 10 && r.cells.some((c) => typeof c === 'string' && NAME_HEADERS.has(fold(c))));
  if (headerAt < 0) {
    return { grid: null, columns: [], rows: [], issues: [{ row: 1, column: '', message: 'Không tìm thấy dòng tiêu đề có cột "Họ và tên". Hãy dùng tệp tải về từ sổ điểm (nút "Tải .xlsx") và giữ nguyên dòng tiêu đề.' }] };
  }
  const header = rows[headerAt];
  const byLabel = new Map<string, GradebookColumn>();
  for (const c of gridColumns) {
    byLabel.set(fold(c.label), c);
    byLabel.set(fold(c.title), c);
  }
  let nameAt = -1;
  let codeAt = -1;
  let dobAt = -1;
  let versionAt = -1;
  let grid: GridRef | null = null;
  const columnAt = new Map<number, GradebookColumn>();
  header.cells.forEach((cell, i) => {
    if (typeof cell !== 'string' || cell.trim() === '') return;
    const f = fold(cell);
    const ref = parseVersionHeader(cell);
    if (ref || cell.trim().startsWith(VERSION_PREFIX)) {
      versionAt = i;
      grid = ref;
      return;
    }
    if (NAME_HEADERS.has(f) && nameAt < 0) nameAt = i;
    else if (CODE_HEADERS.has(f) && codeAt < 0) codeAt = i;
    else if (f === 'ngay sinh' && dobAt < 0) dobAt = i;
    else if (byLabel.has(f)) {
      const col = byLabel.get(f);
      if (!col) return;
      if ([...columnAt.values()].includes(col)) issues.push({ row: header.rowNumber, column: cell.trim(), message: `Cột ${col.label} có hai lần trong tệp; hãy giữ một cột.` });
      else columnAt.set(i, col);
    } else if (/^tx ?\d+$/.test(f) && !SUMMARY_HEADERS.has(f)) {
      issues.push({
        row: header.rowNumber,
        column: cell.trim(),
        message: `Sổ điểm này không có cột ${cell.trim()} (các cột: ${gridColumns.map((c) => c.label).join(', ')}). Hãy xóa cột đó, hoặc tải lại tệp từ sổ điểm.`,
      });
    }
  });
  if (columnAt.size === 0 && issues.length === 0) {
    issues.push({ row: header.rowNumber, column: '', message: `Dòng tiêu đề không có cột điểm nào của sổ (${gridColumns.map((c) => c.label).join(', ')}).` });
  }
  const text = (cells: Cell[], at: number) => {
    if (at < 0) return '';
    const t = cellText(cells[at]);
    if ('error' in t) return '';
    return t.text.replace(/\s+/g, ' ').trim();
  };
  const out: FileRow[] = [];
  for (const r of rows.slice(headerAt + 1)) {
    const values = new Map<string, string>();
    let blank = true;
    for (const [i, col] of columnAt) {
      const t = cellText(r.cells[i]);
      if ('error' in t) {
        issues.push({ row: r.rowNumber, column: col.label, message: `${col.title}: ${t.error}.` });
        blank = false;
        continue;
      }
      values.set(col.key, t.text);
      if (t.text.trim() !== '') blank = false;
    }
    // Excel drops the leading zero of a learner id typed as a number: 100000003 is 0100000003.
    const rawCode = codeAt >= 0 ? r.cells[codeAt] : null;
    const code = typeof rawCode === 'number' ? String(rawCode).padStart(10, '0') : text(r.cells, codeAt);
    const name = text(r.cells, nameAt);
    if (blank && code === '' && name === '') continue;
    if (out.length >= MAX_FILE_ROWS) {
      issues.push({ row: r.rowNumber, column: '', message: `Tệp có hơn ${MAX_FILE_ROWS} dòng học sinh; một lớp không có ngần ấy học sinh. Hãy dùng tệp sổ điểm của một lớp.` });
      break;
    }
    let versions: RowVersions | null = null;
    if (versionAt >= 0) {
      versions = parseVersionToken(text(r.cells, versionAt));
      // A damaged token counts as "no versions known" for that row: the stricter value rule applies.
    }
    out.push({ row: r.rowNumber, code, name, dob: text(r.cells, dobAt), values, versions });
  }
  return { grid, columns: [...columnAt.values()], rows: out, issues };
}
