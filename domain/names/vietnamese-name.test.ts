import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  cleanNameText,
  compareVietnameseNames,
  joinFullName,
  nameSortKey,
  normalizeNameText,
  personNameProblem,
  searchFold,
  splitFullName,
  type NameParts,
} from './vietnamese-name.js';

// Reference collator. sensitivity 'accent' = ignore case, keep base letters
// and tone marks, which is exactly what nameSortKey promises.
const vi = new Intl.Collator('vi', { sensitivity: 'accent' });
// The ICU comparison properties run thousands of cases; give them room on a
// loaded CI machine instead of vitest's 5 s default.
const HEAVY_TIMEOUT_MS = 60_000;
const sign = (n: number): -1 | 0 | 1 => (n < 0 ? -1 : n > 0 ? 1 : 0);
const keyCompare = (a: string, b: string): -1 | 0 | 1 => (a < b ? -1 : a > b ? 1 : 0);
const given = (g: string): NameParts => ({ familyName: '', middleName: '', givenName: g });

// ---------------------------------------------------------------------------
// Arbitraries: random Vietnamese-looking words, built from bases + tone marks
// so every letter/tone combination (including "ậ", "ợ", "Đ") shows up.
// ---------------------------------------------------------------------------
const VOWELS = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
const CONSONANTS = ['b', 'c', 'd', 'đ', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'q', 'r', 's', 't', 'v', 'x'];
const FOREIGN = ['f', 'j', 'w', 'z'];
const TONES = ['', '\u0300', '\u0309', '\u0303', '\u0301', '\u0323'];
const ZERO_WIDTH = ['\u200B', '\u200C', '\u200D', '\uFEFF', '\u200E', '\u200F', '\u202A', '\u202E', '\u2066', '\u2069'];

const letterArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...VOWELS), fc.constantFrom(...TONES)).map(([v, t]) => (v + t).normalize('NFC')) },
  { weight: 4, arbitrary: fc.constantFrom(...CONSONANTS) },
  { weight: 1, arbitrary: fc.constantFrom(...FOREIGN) },
);
const casedLetterArb = fc.tuple(letterArb, fc.boolean()).map(([l, up]) => (up ? l.toUpperCase() : l));
const wordArb = fc.array(casedLetterArb, { minLength: 1, maxLength: 6 }).map((ls) => ls.join(''));
// Short words over a tiny alphabet: forces many ties on the primary level,
// so tone ordering (the secondary level) actually gets exercised.
const tightWordArb = fc
  .array(
    fc.tuple(fc.constantFrom('a', 'ă', 'â', 'n', 'đ', 'd'), fc.constantFrom(...TONES)).map(([b, t]) =>
      (/[aăâ]/.test(b) ? b + t : b).normalize('NFC'),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((ls) => ls.join(''));
const anyWordArb = fc.oneof(wordArb, tightWordArb);
const namePartsArb: fc.Arbitrary<NameParts> = fc.record({
  familyName: anyWordArb,
  middleName: fc.array(anyWordArb, { minLength: 0, maxLength: 2 }).map((ws) => ws.join(' ')),
  givenName: anyWordArb,
});

// Reference order for whole names, written independently of the key: the way a
// school sorts a class list in Excel (domain-vn §10 [S25]: by Tên, then Họ đệm):
// compare tên whole with ICU vi (Vietnamese alphabet letters, then tones), and
// only when it is equal look at đệm, then họ.
const fieldByFieldCompare = (a: NameParts, b: NameParts): -1 | 0 | 1 =>
  sign(vi.compare(a.givenName, b.givenName)) ||
  sign(vi.compare(a.middleName, b.middleName)) ||
  sign(vi.compare(a.familyName, b.familyName));

describe('domain-vn §10 collation reference sanity (Node ICU = CLDR vi)', () => {
  it('ICU vi: "Duy" < "Đức" and Anh < Ánh < Ăn < Ân', () => {
    expect(['Đức', 'Duy'].sort(vi.compare)).toEqual(['Duy', 'Đức']);
    expect(['Ân', 'Ăn', 'Ánh', 'Anh'].sort(vi.compare)).toEqual(['Anh', 'Ánh', 'Ăn', 'Ân']);
  });
});

describe('cleanNameText / normalizeNameText (NFC, zero-width & bidi stripping, proper case)', () => {
  it('collapses whitespace (incl. NBSP) and trims', () => {
    expect(cleanNameText('  Nguyễn \u00A0 Văn\t\nAn ')).toBe('Nguyễn Văn An');
  });
  it('strips zero-width U+200B–U+200D, U+FEFF and bidi marks U+200E/F, U+202A–E, U+2066–9', () => {
    expect(cleanNameText('\uFEFFNguy\u200Bễn\u200E V\u202Aăn\u2069 An\u200D')).toBe('Nguyễn Văn An');
  });
  it('NFC-normalises decomposed input, even with a zero-width char between letter and tone', () => {
    const decomposed = 'Nguye\u0302\u0303n'; // e + circumflex + tilde
    expect(cleanNameText(decomposed)).toBe('Nguyễn');
    expect(cleanNameText('Nguye\u0302\u200B\u0303n')).toBe('Nguyễn');
  });
  it('maps the look-alike eth Ð to Đ', () => {
    expect(cleanNameText('\u00D0ức')).toBe('Đức');
  });
  it('proper-cases: "nguyễn văn AN" -> "Nguyễn Văn An", đ -> Đ', () => {
    expect(normalizeNameText('nguyễn văn AN')).toBe('Nguyễn Văn An');
    expect(normalizeNameText('đỗ ĐỨC đạt')).toBe('Đỗ Đức Đạt');
    expect(normalizeNameText('ƯNG ỚI ỢI')).toBe('Ưng Ới Ợi');
  });
  it('keeps capitals after hyphen/apostrophe in ethnic-minority names', () => {
    expect(normalizeNameText("h'hen niê")).toBe("H'Hen Niê");
    expect(normalizeNameText('y-moan ÊNUÔL')).toBe('Y-Moan Ênuôl');
  });
});

describe('splitFullName / joinFullName (Vietnamese order họ + đệm + tên)', () => {
  it('first word = họ, last = tên, middle = đệm', () => {
    expect(splitFullName('Nguyễn Thị Minh Khai')).toEqual({
      familyName: 'Nguyễn',
      middleName: 'Thị Minh',
      givenName: 'Khai',
    });
    expect(splitFullName('Lê Lợi')).toEqual({ familyName: 'Lê', middleName: '', givenName: 'Lợi' });
  });
  it('a single word is the given name only', () => {
    expect(splitFullName('  Bống ')).toEqual({ familyName: '', middleName: '', givenName: 'Bống' });
  });
  it('empty / invisible-only input gives empty parts', () => {
    expect(splitFullName(' \u200B ')).toEqual({ familyName: '', middleName: '', givenName: '' });
  });
  it('does NOT guess compound family names ("Tôn Nữ", "Âu Dương") — first word stays họ', () => {
    expect(splitFullName('Tôn Nữ Thị Hà')).toEqual({ familyName: 'Tôn', middleName: 'Nữ Thị', givenName: 'Hà' });
    expect(splitFullName('Âu Dương Phong')).toEqual({ familyName: 'Âu', middleName: 'Dương', givenName: 'Phong' });
  });
  it('preserves case (case fixing is normalizeNameText\'s job)', () => {
    expect(splitFullName('nguyễn văn AN').givenName).toBe('AN');
  });
  it('joinFullName skips empty parts', () => {
    expect(joinFullName({ familyName: '', middleName: '', givenName: 'An' })).toBe('An');
    expect(joinFullName({ familyName: 'Lê', middleName: ' ', givenName: 'Lợi' })).toBe('Lê Lợi');
  });

  const messyNameArb = fc
    .array(
      fc.tuple(wordArb, fc.constantFrom(' ', '  ', '\u00A0', '\t', ' \u200B'), fc.constantFrom('', ...ZERO_WIDTH)),
      { minLength: 0, maxLength: 6 },
    )
    .map((ws) => ws.map(([w, sp, zw]) => zw + w + sp).join(''));

  it('property: join(split(x)) === cleanNameText(x)', () => {
    fc.assert(fc.property(messyNameArb, (x) => joinFullName(splitFullName(x)) === cleanNameText(x)));
  });
  it('property: split(join(split(x))) === split(x)', () => {
    fc.assert(
      fc.property(messyNameArb, (x) => {
        const parts = splitFullName(x);
        expect(splitFullName(joinFullName(parts))).toEqual(parts);
      }),
    );
  });
  it('property: family and given name are single words; word count is preserved', () => {
    fc.assert(
      fc.property(messyNameArb, (x) => {
        const p = splitFullName(x);
        expect(p.familyName).not.toContain(' ');
        expect(p.givenName).not.toContain(' ');
        const n = cleanNameText(x) === '' ? 0 : cleanNameText(x).split(' ').length;
        const count = [p.familyName, p.middleName, p.givenName]
          .filter((s) => s !== '')
          .reduce((acc, s) => acc + s.split(' ').length, 0);
        expect(count).toBe(n);
      }),
    );
  });
  it('property: cleaned output has no invisible chars, no double spaces, is NFC', () => {
    fc.assert(
      fc.property(messyNameArb, (x) => {
        const c = cleanNameText(x);
        expect(c).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/);
        expect(c).not.toMatch(/\s\s|^\s|\s$/);
        expect(c).toBe(c.normalize('NFC'));
      }),
    );
  });
  it('property: normalizeNameText is idempotent and case-insensitive', () => {
    fc.assert(
      fc.property(messyNameArb, (x) => {
        const n = normalizeNameText(x);
        expect(normalizeNameText(n)).toBe(n);
        expect(normalizeNameText(x.toUpperCase())).toBe(n);
        expect(normalizeNameText(x.toLowerCase())).toBe(n);
      }),
    );
  });
});

describe('nameSortKey — domain-vn §10 collation (Vietnamese alphabet, tones secondary)', () => {
  const sortGiven = (names: string[]): string[] =>
    names.slice().sort((a, b) => keyCompare(nameSortKey(given(a)), nameSortKey(given(b))));

  it('domain-vn §10 collation: d < đ ("Duy" < "Đức")', () => {
    expect(sortGiven(['Đức', 'Duy', 'Dũng', 'Đông'])).toEqual(['Dũng', 'Duy', 'Đông', 'Đức']);
  });
  it('domain-vn §10 collation: a < ă < â; "An" < "Anh" (shorter first)', () => {
    expect(sortGiven(['Ân', 'Ăn', 'Ánh', 'Anh', 'An'])).toEqual(['An', 'Anh', 'Ánh', 'Ăn', 'Ân']);
  });
  it('domain-vn §10 collation: e < ê, o < ô < ơ, u < ư', () => {
    expect(sortGiven(['Ơn', 'Ôn', 'On', 'Ên', 'En', 'Ưng', 'Ung'])).toEqual(['En', 'Ên', 'On', 'Ôn', 'Ơn', 'Ung', 'Ưng']);
  });
  it('domain-vn §10 / ICU vi: tone order ngang < huyền < hỏi < ngã < sắc < nặng', () => {
    expect(sortGiven(['Ạ', 'Á', 'Ã', 'Ả', 'À', 'A'])).toEqual(['A', 'À', 'Ả', 'Ã', 'Á', 'Ạ']);
  });
  it('domain-vn §10: tones are secondary — letter difference wins over an earlier tone difference', () => {
    // "Án" vs "Anh": ICU compares base letters first (an < anh), tone only on a tie.
    expect(sortGiven(['Anh', 'Án'])).toEqual(['Án', 'Anh']);
  });
  it('foreign letters f, j, w, z sit in Latin order', () => {
    expect(sortGiven(['Zoe', 'Wendy', 'John', 'Fiona', 'Yến', 'Giang', 'Kiên', 'Vy', 'Xuân'])).toEqual([
      'Fiona', 'Giang', 'John', 'Kiên', 'Vy', 'Wendy', 'Xuân', 'Yến', 'Zoe',
    ]);
  });
  it('is case-insensitive and independent of NFC/NFD input', () => {
    expect(nameSortKey(given('ĐỨC'))).toBe(nameSortKey(given('đức')));
    expect(nameSortKey(given('Đức'.normalize('NFD')))).toBe(nameSortKey(given('Đức')));
    expect(nameSortKey(given('Nguy\u200Bễn'))).toBe(nameSortKey(given('Nguyễn')));
  });
  it('key is printable ASCII (TEXT column, identical under COLLATE "C")', () => {
    fc.assert(fc.property(namePartsArb, (p) => /^[\x20-\x7E]*$/.test(nameSortKey(p))));
  });

  it('class-list order (domain-vn §10, school practice): tên first, then đệm, then họ', () => {
    const names = [
      'Trần Văn Bình',
      'Nguyễn Thị An',
      'Lê Văn An',
      'Lê An',
      'Phạm Thị Ánh',
      'Nguyễn Văn An',
      'Đỗ Thị Minh Anh',
      'Bùi Anh',
      'Nguyễn Ân',
    ];
    const sorted = names.slice().sort(compareVietnameseNames);
    expect(sorted).toEqual([
      'Lê An', // tên An, no đệm (empty đệm first)
      'Nguyễn Thị An', // tên An, đệm Thị
      'Lê Văn An', // tên An, đệm Văn, họ Lê
      'Nguyễn Văn An', // … họ Nguyễn
      'Bùi Anh', // tên Anh, no đệm
      'Đỗ Thị Minh Anh', // tên Anh, đệm Thị Minh
      'Phạm Thị Ánh', // tên Ánh: its tone decides before the đệm is looked at
      'Nguyễn Ân', // â after a
      'Trần Văn Bình',
    ]);
  });
  it('class-list order (issue 8, Excel by Tên then Họ đệm): "Nguyễn Thị Thu Hà" before "Nguyễn Thị Hạ"', () => {
    // Hà < Hạ (huyền before nặng) decides; the đệm "Thị Thu" > "Thị" is never reached.
    expect(compareVietnameseNames('Nguyễn Thị Thu Hà', 'Nguyễn Thị Hạ')).toBe(-1);
    expect(['Nguyễn Thị Hạ', 'Nguyễn Thị Thu Hà', 'Lê Hà', 'Trần Hạ'].sort(compareVietnameseNames)).toEqual([
      'Lê Hà',
      'Nguyễn Thị Thu Hà',
      'Trần Hạ',
      'Nguyễn Thị Hạ',
    ]);
  });
  it('class-list order: a longer đệm sorts after its prefix, not interleaved with họ', () => {
    // Without distinct component/word separators "Văn Bình"+"Lê" would sort before "Văn"+"Lê".
    const a: NameParts = { familyName: 'Lê', middleName: 'Văn', givenName: 'An' };
    const b: NameParts = { familyName: 'Lê', middleName: 'Văn Bình', givenName: 'An' };
    expect(compareVietnameseNames(a, b)).toBe(-1);
  });
  it('class-list order: a tone difference in tên beats a letter difference in đệm or họ', () => {
    const a: NameParts = { familyName: 'Lê', middleName: 'Bình', givenName: 'Án' };
    const b: NameParts = { familyName: 'Lê', middleName: 'Cường', givenName: 'An' };
    expect(compareVietnameseNames(b, a)).toBe(-1);
    const c: NameParts = { familyName: 'Vũ', middleName: '', givenName: 'An' };
    const d: NameParts = { familyName: 'An', middleName: '', givenName: 'Ăn' };
    expect(compareVietnameseNames(c, d)).toBe(-1);
    // Within one part the letters still come first: "Án" < "Anh" (an < anh), the tone only on a tie.
    expect(compareVietnameseNames(given('Án'), given('Anh'))).toBe(-1);
  });
  it('class-list order: with the same tên, a tone in đệm beats a letter difference in họ', () => {
    const a: NameParts = { familyName: 'Bùi', middleName: 'Thị Hạ', givenName: 'An' };
    const b: NameParts = { familyName: 'Vũ', middleName: 'Thị Hà', givenName: 'An' };
    expect(compareVietnameseNames(b, a)).toBe(-1);
  });
  it('compareVietnameseNames accepts full-name strings and ignores case', () => {
    expect(compareVietnameseNames('nguyễn văn an', 'NGUYỄN VĂN AN')).toBe(0);
    expect(compareVietnameseNames('Nguyễn Văn Đức', 'Trần Duy')).toBe(1);
  });
  it('hyphen/apostrophe sort below letters, as in ICU', () => {
    expect(sortGiven(['Hhen', "H'Hen", 'H-Hen'])).toEqual(['H-Hen', "H'Hen", 'Hhen']);
    expect(sign(vi.compare('H-Hen', "H'Hen"))).toBe(-1);
    expect(sign(vi.compare("H'Hen", 'HHen'))).toBe(-1);
  });

  it('property: single-word keys order exactly like Intl.Collator("vi")', () => {
    fc.assert(
      fc.property(anyWordArb, anyWordArb, (a, b) => {
        expect(keyCompare(nameSortKey(given(a)), nameSortKey(given(b)))).toBe(sign(vi.compare(a, b)));
      }),
      { numRuns: 5000 },
    );
  }, HEAVY_TIMEOUT_MS);
  it('property: single words with hyphen/apostrophe/digits order like Intl.Collator("vi")', () => {
    const punctWordArb = fc
      .array(fc.oneof(casedLetterArb, fc.constantFrom('-', "'", '1', '7')), { minLength: 1, maxLength: 5 })
      .map((ls) => ls.join(''));
    fc.assert(
      fc.property(punctWordArb, punctWordArb, (a, b) => {
        expect(keyCompare(nameSortKey(given(a)), nameSortKey(given(b)))).toBe(sign(vi.compare(a, b)));
      }),
      { numRuns: 3000 },
    );
  }, HEAVY_TIMEOUT_MS);
  it('property: large random word lists sort identically by key and by Intl.Collator("vi")', () => {
    fc.assert(
      fc.property(fc.array(anyWordArb, { minLength: 300, maxLength: 600 }), (words) => {
        const byKey = words.slice().sort((a, b) => keyCompare(nameSortKey(given(a)), nameSortKey(given(b))));
        for (let i = 1; i < byKey.length; i += 1) {
          expect(vi.compare(byKey[i - 1] ?? '', byKey[i] ?? '')).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 30 },
    );
  }, HEAVY_TIMEOUT_MS);
  it('property: full names order like a field-by-field ICU comparison (tên whole, then đệm, then họ)', () => {
    fc.assert(
      fc.property(namePartsArb, namePartsArb, (a, b) => {
        expect(keyCompare(nameSortKey(a), nameSortKey(b))).toBe(fieldByFieldCompare(a, b));
      }),
      { numRuns: 5000 },
    );
  }, HEAVY_TIMEOUT_MS);
  it('property: tên decides before đệm and họ whenever it differs, tones included', () => {
    fc.assert(
      fc.property(namePartsArb, namePartsArb, (a, b) => {
        const byGiven = sign(vi.compare(a.givenName, b.givenName));
        fc.pre(byGiven !== 0);
        expect(keyCompare(nameSortKey(a), nameSortKey(b))).toBe(byGiven);
      }),
      { numRuns: 2000 },
    );
  }, HEAVY_TIMEOUT_MS);
  it('property: with the same tên, đệm decides before họ whenever it differs, tones included', () => {
    // The second đệm is often the first with other tones, so tone-only differences are common.
    const retone = (s: string, tones: string[]): string =>
      // Each letter with its letter-forming marks (ă, ơ …) keeps them; the tone goes after.
      (s.normalize('NFD').replace(/[\u0300\u0301\u0303\u0309\u0323]/g, '').match(/\P{M}\p{M}*/gu) ?? [])
        .map((ch, i) => (/^[aeiouy]/i.test(ch) ? ch + (tones[i % tones.length] ?? '') : ch))
        .join('')
        .normalize('NFC');
    fc.assert(
      fc.property(namePartsArb, namePartsArb, anyWordArb, fc.array(fc.constantFrom(...TONES), { minLength: 1, maxLength: 4 }), fc.boolean(), (a, b, g, tones, sameLetters) => {
        const bMiddle = sameLetters ? retone(a.middleName, tones) : b.middleName;
        const byMiddle = sign(vi.compare(a.middleName, bMiddle));
        fc.pre(byMiddle !== 0);
        expect(keyCompare(nameSortKey({ ...a, givenName: g }), nameSortKey({ ...b, middleName: bMiddle, givenName: g.toUpperCase() }))).toBe(byMiddle);
      }),
      { numRuns: 2000 },
    );
  }, HEAVY_TIMEOUT_MS);
  it('property: sorting generated class lists by key gives the field-by-field order', () => {
    fc.assert(
      fc.property(fc.array(namePartsArb, { minLength: 2, maxLength: 60 }), (list) => {
        const byKey = list.slice().sort((a, b) => keyCompare(nameSortKey(a), nameSortKey(b)));
        for (let i = 1; i < byKey.length; i += 1) {
          expect(fieldByFieldCompare(byKey[i - 1] as NameParts, byKey[i] as NameParts)).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 200 },
    );
  }, HEAVY_TIMEOUT_MS);
  it('property: key is stable under cleanup/case changes of the parts', () => {
    fc.assert(
      fc.property(namePartsArb, fc.constantFrom(...ZERO_WIDTH), (p, zw) => {
        const messy: NameParts = {
          familyName: ` ${zw}${p.familyName.toUpperCase()} `,
          middleName: p.middleName.toLowerCase().replace(' ', '  '),
          givenName: p.givenName.normalize('NFD'),
        };
        expect(nameSortKey(messy)).toBe(nameSortKey(p));
      }),
    );
  });
});

describe('searchFold — accent-insensitive search, query folded too', () => {
  it('"Nguyễn Văn Đức" -> "nguyen van duc"', () => {
    expect(searchFold('Nguyễn Văn Đức')).toBe('nguyen van duc');
  });
  it('strips zero-width/bidi chars and collapses whitespace', () => {
    expect(searchFold('  Ng\u200Buyễn\u00A0\u00A0V\u202Bă\u202Cn ')).toBe('nguyen van');
  });
  it('property: output is lower-case ASCII letters for Vietnamese input, idempotent', () => {
    fc.assert(
      fc.property(fc.array(wordArb, { maxLength: 4 }), (ws) => {
        const f = searchFold(ws.join(' '));
        expect(f).toMatch(/^[a-z ]*$/);
        expect(searchFold(f)).toBe(f);
      }),
    );
  });
});

describe('personNameProblem (allow-list for names, ASVS 5.0 V2.2.1)', () => {
  const letters = fc.string({ unit: fc.constantFrom(...'aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ'.split('')), minLength: 1, maxLength: 12 });
  it('accepts any name made of Vietnamese words, apostrophes and hyphens (two letters or more: "A" alone is too short)', () => {
    fc.assert(
      fc.property(fc.array(letters, { minLength: 1, maxLength: 5 }).filter((w) => w.join('').length >= 2), fc.constantFrom(' ', "'", '-'), (words, sep) => {
        expect(personNameProblem(normalizeNameText(words.join(sep)))).toBeNull();
      }),
    );
    for (const real of ["H'Hen Niê", 'Y-Moan Ênuôl', 'Ksor H. Blơng', 'Lò Thị Dung', 'Nguyễn Văn A']) expect(personNameProblem(real)).toBeNull();
  });
  it('refuses any name containing a digit, markup or a symbol', () => {
    fc.assert(
      fc.property(letters, fc.constantFrom(...'0123456789<>&"=;{}()/\\@#$%*+|'.split('')), letters, (a, bad, b) => {
        expect(personNameProblem(`${a}${bad}${b}`)).not.toBeNull();
      }),
    );
    expect(personNameProblem('<img src=x onerror=alert(1)>')).toMatch(/^Họ tên có ký tự không được dùng/);
  });
  it('gives one message per name, the one that matters: markup before digits, then too short (issue 8)', () => {
    expect(personNameProblem('<script>alert(1)</script> Nguyễn Văn 2')).toBe(
      'Họ tên có ký tự không được dùng (< > ( ) /) — chỉ dùng chữ cái, dấu cách, dấu nháy, dấu gạch nối.',
    );
    expect(personNameProblem('Nguyễn Văn 2')).toBe('Họ tên có chữ số — hãy xóa chữ số (có thể cột trong Excel bị lệch).');
    expect(personNameProblem('A')).toBe('Họ tên quá ngắn — cần ít nhất 2 chữ cái.');
    expect(personNameProblem('Lý A')).toBeNull();
    expect(personNameProblem('  ')).toBe('Chưa nhập họ tên — hãy nhập đủ họ, đệm và tên.');
  });
});
