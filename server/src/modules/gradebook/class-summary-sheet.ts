/**
 * The one sheet layout of a class's summary workbook (class-summary.ts and its subject pages,
 * class-summary-subjects.ts): the school, the heading, the title and a status line; a two-row
 * header where a group spans its own columns and a lone column is merged down; a row per student;
 * the signatures under them.
 */
import type ExcelJS from 'exceljs';
import { neutraliseCell } from '../../platform/xlsx-export.js';

export type Line = { cells: Array<string | number | null> };
/** A column of the header: alone (merged over both header rows) or a group over its own columns. */
export type HeaderGroup = { text: string; width: number; sub?: undefined } | { text: string; sub: Array<{ text: string; width: number }> };
export type SheetData = {
  schoolName: string;
  heading: string;
  title: string;
  status: string;
  header: HeaderGroup[];
  lines: Line[];
  /** Whether the last column is free text (notes); default yes. */
  lastIsNotes?: boolean;
  /** Who signs under the table, left and right; default the homeroom teacher and the principal. */
  signers?: [string, string?];
};

const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** One sheet: title lines, a two-row header (groups over their columns), a row per student, the signatures. */
export function writeSheet(wb: ExcelJS.Workbook, name: string, d: SheetData) {
  const ws = wb.addWorksheet(name, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '6:7' },
    views: [{ state: 'frozen', xSplit: 2, ySplit: 7 }],
  });
  const total = d.header.reduce((n, g) => n + (g.sub ? g.sub.length : 1), 0);
  // The last column is the notes (left-aligned, wrapped) unless the sheet says otherwise.
  const notes = d.lastIsNotes ?? true;

  ws.mergeCells(1, 1, 1, Math.min(total, 8));
  ws.getCell(1, 1).value = neutraliseCell(d.schoolName.toUpperCase());
  ws.getCell(1, 1).font = { bold: true };
  ws.mergeCells(2, 1, 2, total);
  ws.getCell(2, 1).value = d.heading;
  ws.getCell(2, 1).font = { bold: true, size: 14 };
  ws.mergeCells(3, 1, 3, total);
  ws.getCell(3, 1).value = neutraliseCell(d.title);
  ws.mergeCells(4, 1, 4, total);
  ws.getCell(4, 1).value = d.status;
  ws.getCell(4, 1).font = { italic: true };
  for (const r of [2, 3, 4]) ws.getCell(r, 1).alignment = { horizontal: 'center', wrapText: true };

  // Header: rows 6–7; a column without a second row is merged down.
  let col = 1;
  for (const g of d.header) {
    if (!g.sub) {
      ws.mergeCells(6, col, 7, col);
      ws.getCell(6, col).value = g.text;
      ws.getColumn(col).width = g.width;
      col++;
      continue;
    }
    if (g.sub.length > 1) ws.mergeCells(6, col, 6, col + g.sub.length - 1);
    ws.getCell(6, col).value = g.text;
    for (const leaf of g.sub) {
      ws.getCell(7, col).value = leaf.text;
      ws.getColumn(col).width = leaf.width;
      col++;
    }
  }
  for (const r of [6, 7]) {
    for (let c = 1; c <= total; c++) {
      const cell = ws.getCell(r, c);
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = BORDER;
    }
  }
  ws.getRow(6).height = 32;
  ws.getRow(7).height = 48;

  d.lines.forEach((line, i) => {
    const row = ws.getRow(8 + i);
    line.cells.forEach((v, c) => {
      const cell = row.getCell(c + 1);
      cell.value = typeof v === 'string' ? neutraliseCell(v.normalize('NFC')) : v;
      cell.border = BORDER;
      const text = c === 1 || (notes && c === total - 1);
      cell.alignment = { vertical: 'top', wrapText: text, horizontal: text ? 'left' : 'center' };
    });
  });

  const sign = 8 + d.lines.length + 2;
  const [left, right] = d.signers ?? ['GIÁO VIÊN CHỦ NHIỆM', 'HIỆU TRƯỞNG'];
  const signAt: Array<[number, string, string]> = [[2, left, '(Kí, ghi rõ họ tên)']];
  if (right) signAt.push([Math.max(4, total - 3), right, '(Kí, ghi rõ họ tên, đóng dấu)']);
  for (const [c, who, how] of signAt) {
    ws.getCell(sign, c).value = who;
    ws.getCell(sign + 1, c).value = how;
    ws.getCell(sign, c).font = { bold: true };
    ws.getCell(sign + 1, c).font = { italic: true };
  }
}
