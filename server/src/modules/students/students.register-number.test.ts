import { describe, expect, it } from 'vitest';
import type { TStudentProfile } from '../../../../contracts/students.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';

// Số đăng bộ (migration 0025): kept on the learner's record at a school, edited with the record by
// the school's staff, one number per learner within a school. Its printing on the học bạ is
// checked with the books (results.test.ts, primary-gradebook.test.ts).
const ctx = await setupTestApp();
const db = ctx.handle.db;
const student = (schoolId: string, id: string) => `/api/v1/schools/${schoolId}/students/${id}`;

describe('số đăng bộ on the student record', () => {
  it('the principal sets it on an edit (trimmed); the profile shows it; an edit without it keeps it', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.patch(student(F.schoolA1, F.studentAn), { registerNumber: '  125/THCS ' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TStudentProfile>().registerNumber).toBe('125/THCS');
    expect((await s.get(student(F.schoolA1, F.studentAn))).json<TStudentProfile>().registerNumber).toBe('125/THCS');
    // An edit that does not name it leaves it alone.
    await s.patch(student(F.schoolA1, F.studentAn), { address: '12 Lê Lợi' });
    expect(await db.selectFrom('student').select('register_number').where('id', '=', F.studentAn).executeTakeFirst()).toEqual({ register_number: '125/THCS' });
  });

  it('is unique within the school: a second learner with the same number is refused, naming "Số đăng bộ"; another school may use it', async () => {
    const s = await ctx.as('principalA1');
    const dup = await s.patch(student(F.schoolA1, F.studentBinh), { registerNumber: '125/THCS' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'register_number_taken' });
    expect(dup.json().detail).toBe('Số đăng bộ: số 125/THCS đã là số đăng bộ của một học sinh khác của trường. Hãy kiểm tra lại số này.');
    expect(await db.selectFrom('student').select('register_number').where('id', '=', F.studentBinh).executeTakeFirst()).toEqual({ register_number: null });
    // The same learner keeps their own number on a re-save.
    expect((await s.patch(student(F.schoolA1, F.studentAn), { registerNumber: '125/THCS' })).statusCode).toBe(200);
    const other = await (await ctx.as('principalB1')).patch(student(F.schoolB1, F.studentB1), { registerNumber: '125/THCS' });
    expect(other.statusCode, other.body).toBe(200);
    // Cleared (null) it is empty again.
    const cleared = await (await ctx.as('principalB1')).patch(student(F.schoolB1, F.studentB1), { registerNumber: null });
    expect(cleared.json<TStudentProfile>().registerNumber).toBeNull();
  });

  it('bad input is refused with the field named; a teacher cannot edit the record', async () => {
    const s = await ctx.as('principalA1');
    const blank = await s.patch(student(F.schoolA1, F.studentBinh), { registerNumber: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(JSON.stringify(blank.json())).toContain('Số đăng bộ');
    const long = await s.patch(student(F.schoolA1, F.studentBinh), { registerNumber: 'x'.repeat(31) });
    expect(long.statusCode).toBe(400);
    expect(JSON.stringify(long.json())).toContain('Số đăng bộ');
    expect([403, 404]).toContain((await (await ctx.as('mathA1')).patch(student(F.schoolA1, F.studentBinh), { registerNumber: '7' })).statusCode);
    expect(await db.selectFrom('student').select('register_number').where('id', '=', F.studentBinh).executeTakeFirst()).toEqual({ register_number: null });
  });
});
