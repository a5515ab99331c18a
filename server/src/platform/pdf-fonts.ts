import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Font, type GlyphRun, create } from 'fontkit';

// DejaVu covers every Vietnamese letter and tone mark; pdfkit's built-in fonts do not.
const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const parsed = new Map<string, Font>();

/**
 * A DejaVu face parsed once per process and shared by every document that registers it. pdfkit
 * parses a font given as a file or bytes anew for each document, and the shaping tables fontkit
 * decodes on first use were two thirds of a học bạ's rendering time (docs/profiles/README.md);
 * each document still embeds its own subset. Layout is synchronous, so documents rendered
 * concurrently in one process never interleave inside the shared font.
 *
 * fontkit keeps one glyph object per glyph with the characters it was first asked for. Embedding
 * a subset asks for the parts of composed glyphs (the "a" in "ầ") with no characters; in a shared
 * font the next document would then find "a" with none and write a text layer without it (the
 * list test caught "Danh sách" extracting as "D?nh sách"). So every glyph of the character map is
 * asked for by its character first, once.
 */
export function dejaVu(file: string): PDFKit.Mixins.PDFFontSource {
  let font = parsed.get(file);
  if (!font) {
    font = create(readFileSync(path.join(fontDir, file)));
    for (const codePoint of font.characterSet) font.glyphForCodePoint(codePoint);
    rememberLayouts(font);
    parsed.set(file, font);
  }
  return font as unknown as PDFKit.Mixins.PDFFontSource;
}

/** Words kept per face; a school's books repeat a few thousand (labels, subjects, marks, common names). */
const LAYOUTS_KEPT = 50_000;

/**
 * Shaping a word (fontkit's `layout`: glyph substitution and positioning) was a third of a học bạ's
 * rendering; pdfkit keeps the runs only per document, and every book lays out the same headings,
 * subject names and marks again. The shared face keeps the runs across documents. pdfkit scales
 * the positions of a run it is given in place, so each call hands out fresh copies of the
 * positions; the glyphs are fontkit's own shared objects and are only read.
 */
function rememberLayouts(font: Font): void {
  const shape = font.layout.bind(font);
  const runs = new Map<string, GlyphRun>();
  font.layout = (text: string, features?: unknown): GlyphRun => {
    // Runs with explicit features are rare and not worth a key of their own.
    if (features !== undefined) return shape(text, features);
    let run = runs.get(text);
    if (!run) {
      if (runs.size >= LAYOUTS_KEPT) runs.clear();
      run = shape(text);
      runs.set(text, run);
    }
    const positions = run.positions.map((p) => ({ xAdvance: p.xAdvance, yAdvance: p.yAdvance, xOffset: p.xOffset, yOffset: p.yOffset }));
    return {
      glyphs: run.glyphs,
      positions,
      get advanceWidth() {
        let width = 0;
        for (const p of positions) width += p.xAdvance;
        return width;
      },
    };
  };
}
