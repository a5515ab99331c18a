/** Helpers of the planner tests: a parsed sheet built in memory (no workbook, no database). */
import { type Cell, type MappedColumn, type ParsedSheet, type SheetSpec, foldHeader } from './sheet-columns.js';

/** The sheet parseSheet would return for a header row (row 1) and data rows below it. */
export function sheetOf<F extends string>(spec: SheetSpec<F>, headers: string[], rows: Cell[][]): ParsedSheet<F> {
  const columns = new Map<F, MappedColumn>();
  headers.forEach((header, index) => {
    const field = spec.fields.find((f) => f.aliases.includes(foldHeader(header)));
    if (field && !columns.has(field.field)) columns.set(field.field, { index, header });
  });
  return {
    ok: true,
    sheetName: 'Danh sách',
    headerRow: 1,
    date1904: false,
    columns,
    headers: headers.map((header, index) => ({ index, header })),
    ignoredHeaders: [],
    dateColumns: new Set(),
    rows: rows.map((cells, i) => ({ rowNumber: i + 2, cells })),
    skippedRows: [],
    blankRows: 0,
  };
}
