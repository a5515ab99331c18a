// fontkit ships no types; pdfkit takes a parsed font as a font source (anything with `layout`).
declare module 'fontkit' {
  export interface Font {
    layout(text: string, features?: unknown): unknown;
    readonly characterSet: number[];
    glyphForCodePoint(codePoint: number): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
