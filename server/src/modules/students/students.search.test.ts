import { sql } from 'kysely';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinFullName, nameMatchesQuery, nameSortKey, queryWords, SEARCH_RANK, searchFold, searchRank } from '../../../../domain/index.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { startsNameWords } from '../../platform/name-search.repo.js';
import { listPage } from './students-list.repo.js';

// Issue 8, items 6 and 7 on the real database (PGlite here; PostgreSQL with DATABASE_URL): the
// class-list order schools use (domain-vn §10: by tên, then đệm, then họ, each compared whole as
// Excel sorts the Tên and Họ đệm columns) and word-start search with its ranking.
const ctx = await setupTestApp();
const A1 = `/api/v1/schools/${F.schoolA1}`;

let seq = 0;
/** Adds a student to a class of school A1, with the stored name columns the app computes. */
async function addStudent(fullName: string, classId: string, learnerId?: string) {
  seq += 1;
  const id = `00000000-0000-7000-8000-${(0xe100 + seq).toString(16).padStart(12, '0')}`;
  const [familyName = '', ...rest] = fullName.split(' ');
  const parts = { familyName, middleName: rest.slice(0, -1).join(' '), givenName: rest.at(-1) ?? '' };
  await ctx.handle.db
    .insertInto('student')
    .values({
      school_id: F.schoolA1,
      id,
      person_id: id,
      learner_id: learnerId ?? null,
      temp_code: learnerId ? null : `TAM-S${seq}`,
      citizen_id: null,
      family_name: parts.familyName,
      middle_name: parts.middleName,
      given_name: parts.givenName,
      name_sort_key: nameSortKey(parts),
      search_text: searchFold(joinFullName(parts)),
      date_of_birth: '2014-01-01',
      sex: 'female',
      religion_code: null,
      birthplace: null,
      address: null,
      status_date: '2025-09-05',
      current_class_id: classId,
    })
    .execute();
  return id;
}

let classSeq = 0;
async function addClass(): Promise<string> {
  classSeq += 1;
  const id = `00000000-0000-7000-8000-${(0xc100 + classSeq).toString(16).padStart(12, '0')}`;
  await ctx.handle.db.insertInto('class').values({ school_id: F.schoolA1, id, year: F.year, name: `9T${classSeq}`, grade: 9 }).execute();
  return id;
}

async function search(q: string, classId?: string): Promise<string[]> {
  const res = await (await ctx.as('principalA1')).get(`${A1}/students?pageSize=100&q=${encodeURIComponent(q)}${classId ? `&classId=${classId}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: { fullName: string }[] }).items.map((i) => i.fullName);
}

describe('class-list order on the database (domain-vn §10, school practice)', () => {
  it('"Nguyễn Thị Thu Hà" comes before "Nguyễn Thị Hạ": the tone of tên decides before đệm', async () => {
    const classId = await addClass();
    for (const n of ['Nguyễn Thị Hạ', 'Nguyễn Thị Thu Hà', 'Trần Hạ', 'Lê Hà']) await addStudent(n, classId);
    const res = await (await ctx.as('principalA1')).get(`${A1}/students?classId=${classId}`);
    expect((res.json() as { items: { fullName: string }[] }).items.map((i) => i.fullName)).toEqual([
      'Lê Hà',
      'Nguyễn Thị Thu Hà',
      'Trần Hạ',
      'Nguyễn Thị Hạ',
    ]);
  });
});

describe('word-start search (issue 8)', () => {
  it('"yen" finds "Yến" but not every "Nguyễn"', async () => {
    const classId = await addClass();
    await addStudent('Vũ Thị Yến', classId);
    await addStudent('Nguyễn Hải Yến', classId);
    await addStudent('Nguyễn Thị Mai', classId);
    const found = await search('yen');
    expect(found).toEqual(['Nguyễn Hải Yến', 'Vũ Thị Yến']);
    expect(found).not.toContain('Nguyễn Văn An');
    expect(await search('nguyen an')).toEqual(['Nguyễn Văn An']);
  });

  it('"ánh" finds "Ánh" and "Anh Ánh", not "Khánh"; whole words in class-list order', async () => {
    const classId = await addClass();
    for (const n of ['Nguyễn Văn Khánh', 'Lê Thị Ánh', 'Trần Anh Ánh', 'Phạm Minh Anh', 'Đỗ Ánh Dương']) await addStudent(n, classId);
    // All are whole-word matches of the folded "anh": tên Anh < Ánh, then đệm "Anh" < "Thị";
    // "Đỗ Ánh Dương" has it in the đệm, and Dương sorts after Ánh.
    expect(await search('ánh', classId)).toEqual(['Phạm Minh Anh', 'Trần Anh Ánh', 'Lê Thị Ánh', 'Đỗ Ánh Dương']);
    expect(await search('khanh', classId)).toEqual(['Nguyễn Văn Khánh']);
  });

  it('ranks whole-word matches before word starts, and an exact learner id first of all', async () => {
    const classId = await addClass();
    await addStudent('Nguyễn Hoàng Anh', classId); // "hoa" starts "Hoàng" only
    await addStudent('Lê Thị Hoa', classId); // "hoa" is a whole word
    await addStudent('Trần Hoa Bình', classId, '0100009999');
    // Class-list order alone would give Anh, Bình, Hoa.
    expect(await search('hoa', classId)).toEqual(['Trần Hoa Bình', 'Lê Thị Hoa', 'Nguyễn Hoàng Anh']);
    expect(await search('0100009999')).toEqual(['Trần Hoa Bình']);
    // The id comes first even on a page where names also match (rank in SQL, then paging).
    const db = ctx.handle.db;
    const page = await listPage(db, { schoolId: F.schoolA1, classId, includeLeft: false, classIds: null, q: { raw: '0100009999', words: queryWords('hoa') } }, 1, 1);
    expect(page.items.map((i) => i.given_name)).toEqual(['Bình']);
    expect(page.total).toBe(3);
  });

  it('property: the database returns exactly the names the domain rule matches, ranked as the domain ranks them', async () => {
    const classId = await addClass();
    const SYLLABLES = ['An', 'Anh', 'Ánh', 'Khánh', 'Nguyễn', 'Yến', 'Văn', 'Thị', 'Hà', 'Hạ', 'Hoa', 'Hoàng', 'Y-Moan', "H'Hen", 'Niê'];
    const nameArb = fc.array(fc.constantFrom(...SYLLABLES), { minLength: 2, maxLength: 4 }).map((ws) => ws.join(' '));
    const names = fc.sample(nameArb, { numRuns: 60, seed: 8 });
    const ids = new Map<string, string>();
    for (const n of names) ids.set(await addStudent(n, classId), n);
    const queryArb = fc
      .array(
        fc.tuple(fc.constantFrom(...SYLLABLES), fc.nat(), fc.boolean()).map(([w, n, fold]) => {
          const cut = Array.from(w).slice(0, 1 + (n % w.length)).join('');
          return fold ? searchFold(cut) : cut;
        }),
        { minLength: 1, maxLength: 2 },
      )
      .map((ws) => ws.join(' '));
    const db = ctx.handle.db;
    await fc.assert(
      fc.asyncProperty(queryArb, async (query) => {
        const { items } = await listPage(db, { schoolId: F.schoolA1, classId, includeLeft: false, classIds: null, q: { raw: query, words: queryWords(query) } }, 1, 100);
        const got = items.map((i) => i.id);
        const expected = [...ids].filter(([, n]) => nameMatchesQuery(n, query)).map(([id]) => id);
        expect([...got].sort()).toEqual([...expected].sort());
        const ranks = items.map((i) => searchRank({ fullName: ids.get(i.id) ?? '' }, query) ?? -1);
        expect(ranks.every((r) => r === SEARCH_RANK.wholeWords || r === SEARCH_RANK.wordStarts)).toBe(true);
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
        expect(items.map((i) => i.search_rank)).toEqual(ranks);
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('the word-start condition is served by the trigram index of migration 0008 (EXPLAIN)', async () => {
    const plan = await ctx.handle.db.transaction().execute(async (trx) => {
      // Tiny test tables make a sequential scan cheapest; forbid it to see whether the index fits.
      await sql`set local enable_seqscan = off`.execute(trx);
      const q = trx.selectFrom('student as s').select('s.id').where(startsNameWords(sql.ref('s.search_text'), ['yen']));
      return (await q.explain()).map((r) => Object.values(r).join(' ')).join('\n');
    });
    expect(plan).toContain('student_name_words_trgm_idx');
  });
});
