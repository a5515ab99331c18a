import { afterAll, describe, expect, it } from 'vitest';
import { pdfPageTexts } from '../../../test/pdf-text.js';
import { WorkerPool, workerEntry } from '../../platform/worker-pool.js';
import { type HocBaBook, type HocBaData, countPdfPages, renderHocBaPdf, renderPrimaryHocBaPdf } from './hoc-ba-pdf.js';
import { SAMPLE_HOC_BA, SAMPLE_PRIMARY_HOC_BA } from './hoc-ba-pdf.test-helpers.js';

type Rendered = { pdf: Uint8Array; pages: number };
const pool = new WorkerPool<HocBaBook, Rendered>(workerEntry(import.meta.url, 'hoc-ba-render.worker'), 2);
afterAll(() => pool.close());

describe('học bạ rendered on worker threads (the batch job)', () => {
  it('gives the same book as this thread: same pages, same extracted text, for books in flight at once', async () => {
    const here = await renderHocBaPdf(SAMPLE_HOC_BA);
    const expected = await pdfPageTexts(here);
    const other: HocBaData = { ...SAMPLE_HOC_BA, student: { ...SAMPLE_HOC_BA.student, fullName: 'Lò Thị Ánh Tuyết' } };
    const books = await Promise.all([SAMPLE_HOC_BA, other, SAMPLE_HOC_BA, other].map((data) => pool.run({ layout: 'tt22', data })));
    for (const [i, book] of books.entries()) {
      expect(book.pages).toBe(countPdfPages(here));
      const text = await pdfPageTexts(book.pdf);
      if (i % 2 === 0) expect(text).toEqual(expected);
      else expect(text.join('\n')).toContain('Lò Thị Ánh Tuyết');
    }
  });

  it('fails the one book a worker cannot lay out, and renders the next', async () => {
    await expect(pool.run({ layout: 'tt22', data: { ...SAMPLE_HOC_BA, years: null } } as unknown as HocBaBook)).rejects.toThrow();
    const book = await pool.run({ layout: 'tt22', data: SAMPLE_HOC_BA });
    expect((await pdfPageTexts(book.pdf)).join('\n')).toContain(SAMPLE_HOC_BA.student.fullName);
  });

  it('lays out a primary book (TT27) in the primary layout, as this thread does', async () => {
    const here = await pdfPageTexts(await renderPrimaryHocBaPdf(SAMPLE_PRIMARY_HOC_BA));
    const there = await pdfPageTexts((await pool.run({ layout: 'tt27', data: SAMPLE_PRIMARY_HOC_BA })).pdf);
    expect(there).toEqual(here);
    expect(there.join('\n')).toContain('HỌC BẠ TIỂU HỌC');
  });
});
