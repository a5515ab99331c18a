import { parentPort } from 'node:worker_threads';
import { type HocBaBook, countPdfPages, renderBook } from './hoc-ba-pdf.js';

// A worker thread of the học bạ batch (gradebook-jobs.ts): lays out one book (TT22 or primary) at a time and hands
// the bytes back without copying them.
parentPort?.on('message', (book: HocBaBook) => {
  // A book the layout cannot take may throw before the promise exists: it fails that book, not the worker.
  Promise.resolve(book).then(renderBook).then(
    (pdf) => {
      // A Buffer may be a view of a larger shared slab; only a buffer of its own can be transferred.
      const own = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength ? pdf : new Uint8Array(pdf);
      parentPort?.postMessage({ ok: true, value: { pdf: own, pages: countPdfPages(pdf) } }, [own.buffer as ArrayBuffer]);
    },
    (e: unknown) => parentPort?.postMessage({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
