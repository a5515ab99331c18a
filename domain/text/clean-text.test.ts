import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalText, cleanText } from './clean-text.js';

// Property tests: canonical form before validation (OWASP ASVS 5.0 V1.1.1–V1.1.2) and Unicode NFC
// (UAX #15), for text typed on any keyboard or pasted from Word, Zalo or a PDF.
const INVISIBLE = ['\u200B', '\u200C', '\u200D', '\uFEFF', '\u200E', '\u200F', '\u202A', '\u202E', '\u2066', '\u2069', '\u00AD', '\u2060'];
const vietnameseText = fc.string({ unit: fc.constantFrom(...'aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ ÀĐƯƠ'.split('')), maxLength: 40 });

describe('canonicalText', () => {
  it('is idempotent and its output is NFC with no invisible, control or lone-surrogate characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const c = canonicalText(s);
        expect(canonicalText(c)).toBe(c);
        expect(c.normalize('NFC')).toBe(c);
        expect(c).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF\u00AD\u2060]|(?![\t\n\r])\p{Cc}/u);
        expect(c).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      }),
    );
  });

  it('takes plain ASCII as it is but still removes its control characters (NUL, DEL, ESC)', () => {
    const ascii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 40 });
    fc.assert(
      fc.property(ascii, (s) => {
        expect(canonicalText(s)).toBe(s.replace(/[^\x20-\x7e\t\n\r]/g, ''));
      }),
    );
    expect(canonicalText('6A1\u007f')).toBe('6A1');
    expect(canonicalText('page=1\u0000')).toBe('page=1');
  });

  it('makes NFD and NFC spellings of the same Vietnamese text equal', () => {
    fc.assert(
      fc.property(vietnameseText, (s) => {
        expect(canonicalText(s.normalize('NFD'))).toBe(canonicalText(s.normalize('NFC')));
      }),
    );
  });

  it('removes invisible characters wherever they were pasted, even between a letter and its tone mark', () => {
    fc.assert(
      fc.property(vietnameseText, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLE)), { maxLength: 5 }), (s, inserts) => {
        const chars = [...s.normalize('NFD')];
        for (const [at, ch] of inserts) chars.splice(at % (chars.length + 1), 0, ch);
        expect(canonicalText(chars.join(''))).toBe(s.normalize('NFC'));
      }),
    );
  });

  it('keeps line breaks and tabs (notes are multi-line); cleanText makes one line of it', () => {
    expect(canonicalText('Dòng 1\r\nDòng 2\tx')).toBe('Dòng 1\r\nDòng 2\tx');
    expect(cleanText('  Dòng 1\r\n  Dòng 2 ')).toBe('Dòng 1 Dòng 2');
  });
});
