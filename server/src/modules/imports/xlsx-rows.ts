/**
 * Reads the rows of an .xlsx (already checked by zip-guard) with ExcelJS's streaming reader and turns every cell into a small
 * plain value. Measured on 20,000 student rows: ~2 s streaming vs ~5 s (and twice the memory)
 * for the in-memory `workbook.xlsx.load`, so the streaming reader it is.
 *
 * Styles are ignored on purpose (faster, and dates then arrive as Excel serial numbers, which
 * parseVnDate understands exactly, without time-zone shifts). Formulas are never evaluated:
 * a formula cell keeps only Excel's cached result, marked as such, and the column rules
 * decide whether that result is acceptable.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../../platform/errors.js';
import { asciiSafeXlsx } from './xlsx-ascii.js';

export type FormulaCell = { kind: 'formula'; result: string | number | boolean | null };
export type ErrorCell = { kind: 'error'; code: string };
export type Cell = string | number | boolean | Date | FormulaCell | ErrorCell | null;

export type SheetRow = {
  /** Row number as Excel shows it. */
  rowNumber: number;
  /** 0-based by column (A = 0). */
  cells: Cell[];
};

export type SheetInfo = { name: string; index: number; date1904: boolean };

/** What a consumer does with each sheet: return false from onRow to skip the rest of the sheet. */
export type SheetVisitor = {
  onSheet: (info: SheetInfo) => void;
  onRow: (row: SheetRow) => boolean | void;
  onSheetEnd: () => void;
  /** Stop reading further sheets. */
  done: () => boolean;
};

type RawValue = unknown;

function plain(v: RawValue): string | number | boolean | Date | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    return v;
  }
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as { richText?: { text?: string }[]; text?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text ?? '').join('');
    if (typeof o.text === 'string') return o.text;
  }
  return null;
}

/** ExcelJS cell value → Cell. Exported for tests. */
export function toCell(v: RawValue): Cell {
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as { formula?: unknown; sharedFormula?: unknown; result?: unknown; error?: unknown };
    if ('formula' in o || 'sharedFormula' in o) {
      const r = o.result;
      if (r !== null && typeof r === 'object' && !(r instanceof Date) && 'error' in r) {
        return { kind: 'formula', result: null };
      }
      const p = plain(r);
      return { kind: 'formula', result: p instanceof Date ? null : p };
    }
    if ('error' in o) return { kind: 'error', code: String(o.error) };
  }
  return plain(v);
}

/**
 * Streams the workbook sheet by sheet (in file order; hidden sheets are skipped).
 * Resolves when every sheet was read or the visitor says it is done.
 */
export async function readWorkbookRows(buffer: Buffer, visitor: SheetVisitor): Promise<void> {
  try {
    await streamRows(buffer, visitor);
  } catch (e) {
    // What the visitor refused stays its own refusal; anything the reader itself trips on (broken
    // XML, a cell or row without its reference, an impossible column, a DOCTYPE) is the file's fault,
    // said in words, not a server error.
    if (e instanceof VisitorFailure) throw e.failure;
    throw new AppError(
      422,
      'xlsx_damaged',
      'Tệp Excel bị hỏng hoặc có phần không đọc được (thường do một chương trình khác Excel tạo ra). Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx rồi tải lên lại.',
    );
  }
}

/** An exception from the visitor, carried through the reader's own error handling untouched. */
class VisitorFailure extends Error {
  constructor(readonly failure: unknown) {
    super('the sheet visitor failed');
  }
}
function visiting<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new VisitorFailure(e);
  }
}

async function streamRows(buffer: Buffer, visitor: SheetVisitor): Promise<void> {
  // See xlsx-ascii.ts: without this, the streaming reader garbles a few Vietnamese names per file.
  const safe = asciiSafeXlsx(buffer);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([safe]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  type WorksheetReader = AsyncIterable<{ number: number; values: unknown }> & { name?: string; state?: string; id?: number };
  const wbReader = reader as unknown as AsyncIterable<WorksheetReader> & { properties?: { model?: { date1904?: boolean } } };
  let index = 0;
  for await (const sheet of wbReader) {
    if (visiting(() => visitor.done())) break;
    if (sheet.state === 'hidden' || sheet.state === 'veryHidden') {
      for await (const _ of sheet) {
        // drain: the zip stream must be consumed to reach the next part
      }
      continue;
    }
    const date1904 = wbReader.properties?.model?.date1904 === true;
    visiting(() => visitor.onSheet({ name: sheet.name ?? `Sheet${index + 1}`, index, date1904 }));
    index += 1;
    let skipping = false;
    for await (const row of sheet) {
      if (skipping) continue;
      const values = row.values as unknown[];
      const cells: Cell[] = [];
      // row.values is 1-based and sparse.
      for (let c = 1; c < values.length; c++) cells.push(toCell(values[c]));
      if (visiting(() => visitor.onRow({ rowNumber: row.number, cells })) === false) skipping = true;
    }
    visiting(() => visitor.onSheetEnd());
  }
}
