import type { CellValue } from 'exceljs';

/**
 * The text of a cell however ExcelJS stored it: rich text runs joined, a hyperlink's text and
 * target, a formula and its cached result, an error code. `String(value)` would turn every one of
 * those into "[object Object]", and a check that a name does not appear would then pass whatever
 * the cell held.
 */
export function xlsxCellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if ('error' in value) return value.error;
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) return `${value.text} ${value.hyperlink}`;
  const formula = 'sharedFormula' in value ? value.sharedFormula : value.formula;
  return `=${formula} ${xlsxCellText(value.result ?? null)}`.trimEnd();
}
