import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nameMatchesQuery, queryWords, SEARCH_RANK, searchRank, searchWords, wordStartText } from './name-search.js';
import { searchFold } from './vietnamese-name.js';

// Issue 8: accent-free search matched substrings, so "yen" returned every "Nguyễn" and "ánh"
// returned "Khánh". The rule now: each word typed starts a word of the name, in any order.

// Brute-force oracle, written without the module's text trick: split the folded name into words
// at spaces, hyphens, apostrophes and dots, and test every query word against every name word.
const oracleWords = (s: string): string[] => searchFold(s).split(/[ '\-.]+/).filter(Boolean);
const oracleMatches = (name: string, query: string): boolean => {
  const nameWords = oracleWords(name);
  return oracleWords(query).every((q) => nameWords.some((w) => w.startsWith(q)));
};
const oracleWhole = (name: string, query: string): boolean => {
  const nameWords = oracleWords(name);
  return oracleWords(query).every((q) => nameWords.includes(q));
};

// Syllables that share starts and endings ("an", "anh", "ánh", "khánh", "nguyễn", "yến"), so
// generated names and queries hit, miss and half-hit each other often.
const SYLLABLES = [
  'An', 'Anh', 'Ánh', 'Ân', 'Khánh', 'Nguyễn', 'Yến', 'Yên', 'Văn', 'Thị', 'Hà', 'Hạ', 'Hoa', 'Hoàng',
  'Thu', 'Thuỷ', 'Đức', 'Duy', 'Y', 'Moan', 'Niê', 'Lê', 'Trần', 'Phạm', 'Bình', 'Minh',
];
const syllableArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SYLLABLES) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...SYLLABLES), fc.constantFrom('-', "'"), fc.constantFrom(...SYLLABLES)).map(([a, s, b]) => `${a}${s}${b}`) },
);
const nameArb = fc.array(syllableArb, { minLength: 1, maxLength: 5 }).map((ws) => ws.join(' '));
// A query word: a start of a syllable, with its accents or without, in any case.
const queryWordArb = fc
  .tuple(fc.constantFrom(...SYLLABLES), fc.nat(), fc.boolean(), fc.boolean())
  .map(([w, n, fold, upper]) => {
    const chars = Array.from(w);
    const cut = chars.slice(0, 1 + (n % chars.length)).join('');
    const text = fold ? searchFold(cut) : cut;
    return upper ? text.toUpperCase() : text.toLowerCase();
  });
const queryArb = fc.array(queryWordArb, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '));

describe('queryWords / searchWords', () => {
  it('folds accents and case and splits at spaces, hyphens, apostrophes and dots', () => {
    expect(searchWords("Nguyễn  Y-Moan H'Hen Ksor H. Blơng")).toEqual(['nguyen', 'y', 'moan', 'h', 'hen', 'ksor', 'h', 'blong']);
    expect(queryWords(' ÁNH  anh ')).toEqual(['anh']);
    expect(queryWords("'-.")).toEqual([]);
  });
  it('wordStartText is the SQL text: a space before every word', () => {
    expect(wordStartText("y-moan h'hen")).toBe(' y moan h hen');
  });
});

describe('nameMatchesQuery — each query word starts a name word (issue 8)', () => {
  it('"yen" finds "Vũ Thị Yến" but not "Nguyễn Văn An"', () => {
    expect(nameMatchesQuery('Vũ Thị Yến', 'yen')).toBe(true);
    expect(nameMatchesQuery('Nguyễn Văn An', 'yen')).toBe(false);
  });
  it('"ánh" finds "Lê Thị Ánh" and "Trần Anh Ánh" but not "Nguyễn Văn Khánh"', () => {
    expect(nameMatchesQuery('Lê Thị Ánh', 'ánh')).toBe(true);
    expect(nameMatchesQuery('Trần Anh Ánh', 'ánh')).toBe(true);
    expect(nameMatchesQuery('Nguyễn Văn Khánh', 'ánh')).toBe(false);
  });
  it('words in any order, accents optional: "an nguyen", "ng v a", "đuc"', () => {
    expect(nameMatchesQuery('Nguyễn Văn An', 'an nguyen')).toBe(true);
    expect(nameMatchesQuery('Nguyễn Văn An', 'ng v a')).toBe(true);
    expect(nameMatchesQuery('Trần Minh Đức', 'đuc')).toBe(true);
    expect(nameMatchesQuery('Nguyễn Văn An', 'nguyen van anh')).toBe(false);
  });
  it('parts of hyphenated and apostrophe names: "moan", "hen"', () => {
    expect(nameMatchesQuery('Y-Moan Ênuôl', 'moan')).toBe(true);
    expect(nameMatchesQuery("H'Hen Niê", 'hen nie')).toBe(true);
  });
  it('an empty query matches everything', () => {
    expect(nameMatchesQuery('Lê Lợi', '  ')).toBe(true);
  });

  it('property: every match has each query word as the start of some name word', () => {
    fc.assert(
      fc.property(nameArb, queryArb, (name, query) => {
        fc.pre(nameMatchesQuery(name, query));
        const nameWords = oracleWords(name);
        for (const q of oracleWords(query)) expect(nameWords.some((w) => w.startsWith(q))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
  it('property: no matching name is missed (same answers as the brute-force oracle over generated lists)', () => {
    fc.assert(
      fc.property(fc.array(nameArb, { minLength: 1, maxLength: 40 }), queryArb, (names, query) => {
        expect(names.filter((n) => nameMatchesQuery(n, query))).toEqual(names.filter((n) => oracleMatches(n, query)));
      }),
      { numRuns: 500 },
    );
  });
  it('property: a name always matches its own words and their starts, typed with or without accents', () => {
    fc.assert(
      fc.property(nameArb, fc.nat(), fc.nat(), fc.boolean(), (name, i, n, fold) => {
        const words = name.split(/[ '-]/);
        const w = Array.from(words[i % words.length] ?? '');
        const start = w.slice(0, 1 + (n % w.length)).join('');
        expect(nameMatchesQuery(name, fold ? searchFold(start) : start.toUpperCase())).toBe(true);
      }),
    );
  });
});

describe('searchRank — exact learner id first, then whole words, then word starts (issue 8)', () => {
  it('ranks an exact learner id or temporary code first, and never a part of one', () => {
    expect(searchRank({ fullName: 'Lê Văn An', codes: ['0100000001'] }, '0100000001')).toBe(SEARCH_RANK.exactId);
    expect(searchRank({ fullName: 'Lê Văn An', codes: [null, 'TAM-0001'] }, ' tam-0001 ')).toBe(SEARCH_RANK.exactId);
    expect(searchRank({ fullName: 'Lê Văn An', codes: ['0100000001'] }, '010000000')).toBeNull();
  });
  it('"an": "Lê Văn An" is a whole-word match, "Trần Thị Anh" only a word start, "Khánh" none', () => {
    expect(searchRank({ fullName: 'Lê Văn An' }, 'an')).toBe(SEARCH_RANK.wholeWords);
    expect(searchRank({ fullName: 'Trần Thị Anh' }, 'an')).toBe(SEARCH_RANK.wordStarts);
    expect(searchRank({ fullName: 'Nguyễn Văn Khánh' }, 'an')).toBeNull();
    expect(searchRank({ fullName: 'Nguyễn Văn Khánh' }, 'ánh')).toBeNull();
  });

  const candidateArb = fc
    .record({ fullName: nameArb, learnerId: fc.option(fc.constantFrom('0100000001', '0100000002', '0100000003'), { nil: null }) })
    .map((c) => ({ ...c, codes: [c.learnerId] }));
  const anyQueryArb = fc.oneof({ weight: 4, arbitrary: queryArb }, { weight: 1, arbitrary: fc.constantFrom('0100000001', '0100000002') });
  const byRank = (a: { rank: number }, b: { rank: number }) => a.rank - b.rank;

  it('property: the rank agrees with the oracle (id, then every word whole, then word starts)', () => {
    fc.assert(
      fc.property(candidateArb, anyQueryArb, (c, query) => {
        const expected =
          c.learnerId === query ? SEARCH_RANK.exactId
          : !oracleMatches(c.fullName, query) ? null
          : oracleWhole(c.fullName, query) ? SEARCH_RANK.wholeWords
          : SEARCH_RANK.wordStarts;
        expect(searchRank(c, query)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });
  it('property: sorted results put an exact learner id first and whole-word matches before word starts', () => {
    fc.assert(
      fc.property(fc.array(candidateArb, { minLength: 1, maxLength: 30 }), anyQueryArb, (cs, query) => {
        const results = cs
          .map((c) => ({ c, rank: searchRank(c, query) }))
          .filter((r): r is { c: typeof r.c; rank: NonNullable<typeof r.rank> } => r.rank !== null)
          .sort(byRank);
        results.forEach((r, i) => {
          for (const later of results.slice(i + 1)) {
            if (later.c.learnerId === query) expect(r.c.learnerId).toBe(query);
            if (oracleWhole(later.c.fullName, query) && later.c.learnerId !== query) expect(r.c.learnerId === query || oracleWhole(r.c.fullName, query)).toBe(true);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
