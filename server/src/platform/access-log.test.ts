import { afterAll, describe, expect, it } from 'vitest';
import { F } from '../../test/fixture-ids.js';
import { freshDb } from '../../test/harness.js';
import { statementsOf } from '../../test/statements.js';
import { logAccess } from './access-log.js';

// The access log's group commit (ND 13/2023 Art. 23: every look at a record leaves a line): lines
// of requests arriving together share one insert, yet none is lost, each caller waits for its own
// line, and a failed insert fails every caller whose line it carried, not silently.

const handle = await freshDb();
const db = handle.db;
afterAll(() => handle.close());

const actor = { userId: F.users.principalA1, username: 'ht.a1' };
const linesOf = (username: string) =>
  db.selectFrom('access_log').select(['student_id', 'username', 'action', 'ip']).where('username', '=', username).orderBy('id').execute();

describe('logAccess', () => {
  it('forty reads at once: forty lines, in the order they came, in fewer inserts', async () => {
    const who = { ...actor, username: 'batch.forty' };
    const students = Array.from({ length: 40 }, (_, i) => (i % 2 ? F.studentAn : F.studentBinh));
    const sent = await statementsOf(handle.pool, () =>
      Promise.all(students.map((studentId, i) => logAccess(db, who, { schoolId: F.schoolA1, studentId }, 'profile_view', `10.0.0.${i}`))),
    );
    const lines = await linesOf('batch.forty');
    expect(lines.map((l) => l.student_id)).toEqual(students);
    expect(lines.map((l) => l.ip)).toEqual(students.map((_, i) => `10.0.0.${i}`));
    expect(new Set(lines.map((l) => l.action))).toEqual(new Set(['profile_view']));
    const inserts = sent.filter((s) => /insert into access_log/.test(s));
    expect(inserts.length).toBeGreaterThanOrEqual(1);
    expect(inserts.length).toBeLessThan(40);
  });

  it('a caller is answered only after its line is in the table', async () => {
    const who = { ...actor, username: 'batch.one' };
    await logAccess(db, who, { schoolId: F.schoolA1, studentId: F.studentAn }, 'profile_view');
    expect(await linesOf('batch.one')).toHaveLength(1);
  });

  it('a failed insert fails every caller it carried, writes none of their lines, and the next lines still go', async () => {
    const who = { ...actor, username: 'batch.fail' };
    const first = logAccess(db, who, { schoolId: F.schoolA1, studentId: F.studentAn }, 'profile_view', 'first');
    // While the first is on its way these two wait together; the second is not a student id.
    const bad = logAccess(db, who, { schoolId: F.schoolA1, studentId: 'not-an-id' }, 'profile_view', 'bad');
    const withBad = logAccess(db, who, { schoolId: F.schoolA1, studentId: F.studentBinh }, 'profile_view', 'with-bad');
    const [a, b, c] = await Promise.allSettled([first, bad, withBad]);
    expect(a.status).toBe('fulfilled');
    expect(b.status).toBe('rejected');
    expect(c.status).toBe('rejected');
    await logAccess(db, who, { schoolId: F.schoolA1, studentId: F.studentBinh }, 'profile_view', 'after');
    expect((await linesOf('batch.fail')).map((l) => l.ip)).toEqual(['first', 'after']);
  });

  it('inside a transaction the line belongs to it: rolled back with it', async () => {
    const who = { ...actor, username: 'batch.trx' };
    await expect(
      db.transaction().execute(async (trx) => {
        await logAccess(trx, who, { schoolId: F.schoolA1, studentId: F.studentAn }, 'personal_data_export');
        expect(await trx.selectFrom('access_log').select('id').where('username', '=', 'batch.trx').execute()).toHaveLength(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await linesOf('batch.trx')).toHaveLength(0);
  });
});
