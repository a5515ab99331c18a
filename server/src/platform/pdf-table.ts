import type { FastifyReply } from 'fastify';
import PDFDocument from 'pdfkit';
import { dejaVu } from './pdf-fonts.js';
import { attachmentHeader } from './xlsx-export.js';

// Registered names of the faces (DejaVu Sans: every Vietnamese letter and tone mark), parsed once per process.
const REGULAR = 'regular';
const BOLD = 'bold';

/**
 * One column of a printed list. `width` is the column's share of the page (points); a `nowrap`
 * column (a date, an id, a number) is instead sized to its longest value, so such a value is never
 * split over two lines — the other columns share what is left in proportion to their `width`.
 */
export type PdfColumn<T> = {
  header: string;
  width: number;
  align?: 'left' | 'center' | 'right';
  nowrap?: boolean;
  value: (row: T) => string | number | null | undefined;
};

const A4_MARGIN = 40;
const ROW_PAD = 4;
const FONT_SIZE = 9.5;
/** Below this the list is no longer comfortable to read on paper; columns that wrap get narrower instead. */
const MIN_FONT_SIZE = 7;
/** The wrapping columns keep at least this share of the width they asked for before the font shrinks. */
const MIN_FLEX_SHARE = 0.75;
/** Rounding slack so a value measured to fit is not wrapped by pdfkit's own measurement. */
const FIT_SLACK = 1;

type Style = 'header' | 'body';

/** One table of a printed document: an optional heading above it, and what to print when it has no rows. */
export type PdfSection<T> = { heading?: string; columns: PdfColumn<T>[]; rows: readonly T[]; emptyText?: string };

/** A section of any row type, for `buildPdfSections` (which reads rows only through their own columns). */
export type AnyPdfSection = PdfSection<never>;
export function pdfSection<T>(section: PdfSection<T>): AnyPdfSection {
  return section as unknown as AnyPdfSection;
}

/**
 * An A4 list for printing: title lines, then a table whose header repeats on every page, and a
 * page number in the footer. Text is drawn as text (never interpreted), so a value such as
 * `<img onerror=…>` prints exactly as written.
 */
export function buildPdfTable<T>(titleLines: string[], columns: PdfColumn<T>[], rows: readonly T[]): Promise<Buffer> {
  return buildPdfSections(titleLines, [pdfSection({ columns, rows, emptyText: 'Không có học sinh nào.' })]);
}

/**
 * A printed document of several tables one after another (e.g. everything kept about one
 * student), each under its heading, each with the same rules as `buildPdfTable`.
 */
export function buildPdfSections(titleLines: string[], sections: AnyPdfSection[]): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: A4_MARGIN, bufferPages: true, info: { Title: titleLines[0] ?? '', Creator: 'Trường Số' } });
  doc.registerFont(REGULAR, dejaVu('DejaVuSans.ttf'));
  doc.registerFont(BOLD, dejaVu('DejaVuSans-Bold.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const left = A4_MARGIN;
  const available = doc.page.width - 2 * A4_MARGIN;
  const bottom = doc.page.height - A4_MARGIN - 20;
  const prepared = sections.map((section) => {
    const header = section.columns.map((c) => c.header.normalize('NFC'));
    const body = section.rows.map((row) => section.columns.map((c) => String(c.value(row) ?? '').normalize('NFC')));
    return { section, header, body, ...layout(doc, section.columns, header, body, available) };
  });
  const pageWidth = Math.max(...prepared.map((p) => p.widths.reduce((a, b) => a + b, 0)), 0) || available;

  for (const [i, line] of titleLines.entries()) {
    doc.font(i === 0 ? BOLD : REGULAR).fontSize(i === 0 ? 13 : 10).text(line.normalize('NFC'), left, undefined, { width: pageWidth, align: 'center' });
  }
  doc.moveDown(0.8);

  for (const [n, { section, header, body, fontSize, widths }] of prepared.entries()) {
    const columns = section.columns;
    // Every measurement and every cell sets its own font: a row never inherits the style of whatever
    // was drawn before it (otherwise the header repeated after a page break leaves the next row bold).
    const setStyle = (style: Style) => doc.font(style === 'header' ? BOLD : REGULAR).fontSize(fontSize);
    const cellOptions = (i: number, style: Style) => {
      const nowrap = style === 'body' && columns[i].nowrap === true;
      return { width: widths[i] - 2 * ROW_PAD, align: columns[i].align ?? 'left', lineBreak: !nowrap } as const;
    };
    const rowHeight = (cells: string[], style: Style): number => {
      setStyle(style);
      return Math.max(...cells.map((t, i) => (cellOptions(i, style).lineBreak ? doc.heightOfString(t, cellOptions(i, style)) : doc.currentLineHeight(true)))) + 2 * ROW_PAD;
    };
    const paintRow = (cells: string[], style: Style, height: number): void => {
      const y = doc.y;
      let x = left;
      for (const [i, text] of cells.entries()) {
        if (style === 'header') doc.rect(x, y, widths[i], height).fillAndStroke('#eef2f7', '#9aa5b1').fillColor('black');
        else doc.rect(x, y, widths[i], height).stroke('#c5ccd3');
        setStyle(style);
        doc.text(text, x + ROW_PAD, y + ROW_PAD, cellOptions(i, style));
        x += widths[i];
      }
      doc.x = left;
      doc.y = y + height;
    };
    const headerHeight = rowHeight(header, 'header');

    if (section.heading) {
      doc.font(BOLD).fontSize(11);
      const headingHeight = doc.heightOfString(section.heading, { width: pageWidth }) + 6;
      // A heading never ends a page: it stays with its table's header and first row.
      if (doc.y + (n > 0 ? 10 : 0) + headingHeight + headerHeight + (body[0] ? rowHeight(body[0], 'body') : 20) > bottom) doc.addPage();
      else if (n > 0) doc.y += 10;
      doc.font(BOLD).fontSize(11).text(section.heading.normalize('NFC'), left, doc.y, { width: pageWidth });
      doc.y += 6;
    }
    paintRow(header, 'header', headerHeight);
    for (const cells of body) {
      const height = rowHeight(cells, 'body');
      if (doc.y + height > bottom) {
        doc.addPage();
        paintRow(header, 'header', headerHeight);
      }
      paintRow(cells, 'body', height);
    }
    if (body.length === 0 && section.emptyText) {
      doc.font(REGULAR).fontSize(FONT_SIZE).text(section.emptyText, left, doc.y + 6, { width: pageWidth });
    }
  }

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    doc.page.margins.bottom = 0; // the footer sits below the text area and must not open a page
    doc.font(REGULAR).fontSize(8).text(`Trang ${i + 1}/${range.count}`, left, doc.page.height - A4_MARGIN - 10, { width: pageWidth, align: 'right', lineBreak: false });
  }
  doc.end();
  return done;
}

/**
 * Column widths and the font size: each `nowrap` column as wide as its longest value (and its
 * longest header word, so a header never breaks inside a word), the other columns sharing the rest
 * of the page. When the rest would leave the wrapping columns too narrow, the font shrinks.
 */
function layout<T>(doc: PDFKit.PDFDocument, columns: PdfColumn<T>[], header: string[], body: string[][], available: number): { fontSize: number; widths: number[] } {
  const flexAsked = columns.reduce((w, c) => w + (c.nowrap ? 0 : c.width), 0);
  const totalAsked = columns.reduce((w, c) => w + c.width, 0);
  for (let fontSize = FONT_SIZE; ; fontSize -= 0.5) {
    const widths = columns.map((c, i) => {
      if (!c.nowrap) return 0;
      doc.font(REGULAR).fontSize(fontSize);
      let widest = 0;
      for (const cells of body) widest = Math.max(widest, doc.widthOfString(cells[i]));
      doc.font(BOLD);
      for (const word of header[i].split(/\s+/)) widest = Math.max(widest, doc.widthOfString(word));
      return Math.ceil(widest + 2 * ROW_PAD + FIT_SLACK);
    });
    const fitted = widths.reduce((a, b) => a + b, 0);
    const rest = available - fitted;
    if (flexAsked === 0 || rest >= flexAsked * MIN_FLEX_SHARE || fontSize <= MIN_FONT_SIZE) {
      // The table keeps the total width it asked for (within the page): what the fitted columns
      // give up or take is taken from or given to the wrapping ones.
      const flexWidth = Math.max(0, Math.min(rest, Math.max(flexAsked, totalAsked - fitted)));
      const scale = flexAsked > 0 ? flexWidth / flexAsked : 0;
      return { fontSize, widths: columns.map((c, i) => (c.nowrap ? widths[i] : Math.floor(c.width * scale))) };
    }
  }
}

export function sendPdf(reply: FastifyReply, fileName: string, body: Buffer): FastifyReply {
  return reply.header('content-type', 'application/pdf').header('content-disposition', attachmentHeader(fileName)).send(body);
}
