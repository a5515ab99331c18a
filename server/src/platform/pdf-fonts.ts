import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Font, create } from 'fontkit';

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
    parsed.set(file, font);
  }
  return font as unknown as PDFKit.Mixins.PDFFontSource;
}
