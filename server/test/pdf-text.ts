import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** The text of each page of a PDF, as a reader's copy-paste would give it (pdf.js, no rendering). */
export async function pdfPageTexts(pdf: Buffer | Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : ' ') : '')).join(''));
  }
  await doc.destroy();
  return pages;
}

/** One piece of text on a page, where pdf.js places it (PDF points, y grows upwards), in which font and size. */
export type PdfTextItem = { str: string; x: number; y: number; fontName: string; size: number };

/** The non-blank text pieces of each page with their position and font (pdf.js `fontName` is per document). */
export async function pdfPageItems(pdf: Buffer | Uint8Array): Promise<PdfTextItem[][]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: PdfTextItem[][] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    const items: PdfTextItem[] = [];
    for (const it of content.items) {
      if ('str' in it && it.str.trim() !== '') items.push({ str: it.str, x: it.transform[4], y: it.transform[5], fontName: it.fontName, size: Math.hypot(it.transform[0], it.transform[1]) });
    }
    pages.push(items);
  }
  await doc.destroy();
  return pages;
}

/** A printed table as read back: per page, its header cells, then its rows as the cells' text (wrapped lines joined) and how many lines each cell took. */
export type PdfTablePage = { header: PdfTextItem[]; rows: { cells: string[]; lines: number[]; fontNames: string[] }[] };

/**
 * Reads the table of a page printed by `buildPdfTable`: the header row is the line holding
 * `firstHeader`; a column runs from its header's left edge to the next header's; a row starts at a
 * piece of text in the first column and runs down to the next one. Text above the header (titles)
 * and the page footer are left out.
 */
export function readPdfTable(page: PdfTextItem[], firstHeader: string, footer = /^Trang \d+\/\d+$/): PdfTablePage {
  const anchor = page.find((it) => it.str === firstHeader);
  if (!anchor) return { header: [], rows: [] };
  const header = page.filter((it) => Math.abs(it.y - anchor.y) < 0.5).sort((a, b) => a.x - b.x);
  // The first column may be right-aligned: its values start at or after its header's left edge.
  const columnOf = (x: number) => Math.max(0, header.findLastIndex((h, i) => (i === 0 ? true : x >= h.x - 0.5)));
  const body = page.filter((it) => it.y < anchor.y - 0.5 && !footer.test(it.str.trim()));
  const starts = [...new Set(body.filter((it) => columnOf(it.x) === 0).map((it) => it.y))].sort((a, b) => b - a);
  const rows = starts.map((top, r) => {
    const next = starts[r + 1] ?? -Infinity;
    const mine = body.filter((it) => it.y <= top + 0.5 && it.y > next + 0.5).sort((a, b) => b.y - a.y || a.x - b.x);
    const inColumn = header.map((_, c) => mine.filter((it) => columnOf(it.x) === c));
    return {
      cells: inColumn.map((its) => its.map((it) => it.str.trim()).join(' ')),
      lines: inColumn.map((its) => new Set(its.map((it) => it.y.toFixed(1))).size),
      fontNames: [...new Set(mine.map((it) => it.fontName))],
    };
  });
  return { header, rows };
}
