import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { dejaVu } from './pdf-fonts.js';

/** A word's width as a fresh document measures it, at 12 pt. */
function widthInNewDocument(text: string): number {
  const doc = new PDFDocument({ autoFirstPage: false });
  doc.registerFont('body', dejaVu('DejaVuSans.ttf'));
  doc.addPage().font('body').fontSize(12);
  const width = doc.widthOfString(text);
  doc.end();
  return width;
}

describe('DejaVu shared between documents', () => {
  it('measures a word the same in every document, though the shaped run is kept across them (pdfkit scales the positions it is given in place)', () => {
    const words = 'Nguyễn Thị Ngọc Ánh — Hoàn thành tốt 8,5';
    const first = widthInNewDocument(words);
    // ~0.6 em a letter at 12 pt: a run scaled twice would be ~1,000× off, one never scaled ~2× off.
    expect(first).toBeGreaterThan(words.length * 4);
    expect(first).toBeLessThan(words.length * 9);
    for (let i = 0; i < 3; i++) expect(widthInNewDocument(words)).toBe(first);
  });
});
