import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import PDFDocument from 'pdfkit';
import { attachmentHeader } from './xlsx-export.js';

// DejaVu Sans covers every Vietnamese letter and tone mark; pdfkit's built-in fonts do not.
const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = path.join(fontDir, 'DejaVuSans.ttf');
const BOLD = path.join(fontDir, 'DejaVuSans-Bold.ttf');

export type PdfColumn<T> = { header: string; width: number; align?: 'left' | 'center' | 'right'; value: (row: T) => string | number | null | undefined };

const A4_MARGIN = 40;
const ROW_PAD = 4;
const FONT_SIZE = 9.5;

/**
 * An A4 list for printing: title lines, then a table whose header repeats on every page, and a
 * page number in the footer. Text is drawn as text (never interpreted), so a value such as
 * `<img onerror=…>` prints exactly as written.
 */
export function buildPdfTable<T>(titleLines: string[], columns: PdfColumn<T>[], rows: readonly T[]): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: A4_MARGIN, bufferPages: true, info: { Title: titleLines[0] ?? '', Creator: 'Trường Số' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const left = A4_MARGIN;
  const tableWidth = columns.reduce((w, c) => w + c.width, 0);
  const bottom = doc.page.height - A4_MARGIN - 20;

  doc.font(BOLD).fontSize(13);
  for (const [i, line] of titleLines.entries()) {
    doc.font(i === 0 ? BOLD : REGULAR).fontSize(i === 0 ? 13 : 10).text(line.normalize('NFC'), left, undefined, { width: tableWidth, align: 'center' });
  }
  doc.moveDown(0.8);

  const drawRow = (cells: string[], bold: boolean): void => {
    doc.font(bold ? BOLD : REGULAR).fontSize(FONT_SIZE);
    const height = Math.max(...cells.map((t, i) => doc.heightOfString(t, { width: columns[i].width - 2 * ROW_PAD }))) + 2 * ROW_PAD;
    if (doc.y + height > bottom) {
      doc.addPage();
      if (!bold) drawRow(columns.map((c) => c.header), true);
    }
    const y = doc.y;
    let x = left;
    for (const [i, text] of cells.entries()) {
      const col = columns[i];
      if (bold) doc.rect(x, y, col.width, height).fillAndStroke('#eef2f7', '#9aa5b1').fillColor('black');
      else doc.rect(x, y, col.width, height).stroke('#c5ccd3');
      doc.text(text, x + ROW_PAD, y + ROW_PAD, { width: col.width - 2 * ROW_PAD, align: col.align ?? 'left' });
      x += col.width;
    }
    doc.x = left;
    doc.y = y + height;
  };

  drawRow(columns.map((c) => c.header), true);
  for (const row of rows) drawRow(columns.map((c) => String(c.value(row) ?? '').normalize('NFC')), false);
  if (rows.length === 0) doc.font(REGULAR).fontSize(FONT_SIZE).text('Không có học sinh nào.', left, doc.y + 6);

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    doc.page.margins.bottom = 0; // the footer sits below the text area and must not open a page
    doc.font(REGULAR).fontSize(8).text(`Trang ${i + 1}/${range.count}`, left, doc.page.height - A4_MARGIN - 10, { width: tableWidth, align: 'right', lineBreak: false });
  }
  doc.end();
  return done;
}

export function sendPdf(reply: FastifyReply, fileName: string, body: Buffer): FastifyReply {
  return reply.header('content-type', 'application/pdf').header('content-disposition', attachmentHeader(fileName)).send(body);
}
