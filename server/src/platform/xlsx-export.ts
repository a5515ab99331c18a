import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';

export type XlsxColumn<T> = {
  header: string;
  width?: number;
  /** Lines in the cell ("\n") show as lines, not one run-on line. */
  wrap?: boolean;
  /** Kept in the file but not shown (a column the program reads back, not the person). */
  hidden?: boolean;
  value: (row: T) => string | number | null | undefined;
};

/**
 * A cell that starts with = + - @ (or a tab/CR) would run as a formula when opened in Excel
 * (CSV/formula injection, OWASP). Prefix such text with an apostrophe-like quote so it stays text.
 */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Builds an .xlsx workbook with one sheet: bold header, frozen first row, text cells neutralised. */
export async function buildXlsx<T>(sheetName: string, columns: XlsxColumn<T>[], rows: Iterable<T>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Trường Số';
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({
    header: c.header,
    key: `c${i}`,
    width: c.width ?? Math.max(12, c.header.length + 2),
    ...(c.wrap ? { style: { alignment: { wrapText: true, vertical: 'top' as const } } } : {}),
    ...(c.hidden ? { hidden: true } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    sheet.addRow(
      columns.map((c) => {
        const v = c.value(row);
        if (v === null || v === undefined) return null;
        return typeof v === 'string' ? neutraliseCell(v.normalize('NFC')) : v;
      }),
    );
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * Content-Disposition for a download (RFC 6266): a safe ASCII fallback name and the real UTF-8 one
 * as an RFC 5987 ext-value. encodeURIComponent leaves ' ( ) * as they are, which RFC 5987's
 * attr-char does not allow (the ' would even end the charset part), so they are encoded too.
 */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^A-Za-z0-9._-]/g, '_');
  const ext = encodeURIComponent(fileName.normalize('NFC')).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${ext}`;
}

/** Sends a workbook as a download. */
export function sendXlsx(reply: FastifyReply, fileName: string, body: Buffer): FastifyReply {
  return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', attachmentHeader(fileName)).send(body);
}
