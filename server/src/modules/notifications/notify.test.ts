import { afterAll, describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { freshDb } from '../../../test/harness.js';
import { countUnread, listInbox, markRead } from './notifications.repo.js';
import { notify } from './notify.js';

const h = await freshDb();
afterAll(() => h.close());

describe('notify: the contact book inbox', () => {
  it('puts each notice in its person inbox with one delivery job, and nothing when the transaction rolls back', async () => {
    const source = crypto.randomUUID();
    const batch = await h.db.transaction().execute((trx) =>
      notify(trx, [{ userId: F.users.parentA, kind: 'announcement', sourceId: source, schoolId: F.schoolA1, studentId: F.studentAn, title: 'Họp phụ huynh', body: 'x'.repeat(600), link: '/thong-bao' }], { orgUnitId: F.schoolA1, createdBy: null }),
    );
    expect(batch).toMatch(/^[0-9a-f-]{36}$/);
    const inbox = await listInbox(h.db, F.users.parentA, { limit: 10 });
    expect(inbox.map((n) => [n.title, n.body.length, n.source_id])).toEqual([['Họp phụ huynh', 500, source]]);
    expect(await countUnread(h.db, F.users.parentA)).toBe(1);
    const jobs = await h.db.selectFrom('background_job').select(['kind', 'params']).where('kind', '=', 'deliver_notices').execute();
    expect(jobs.map((j) => j.params)).toEqual([{ batchId: batch }]);

    await expect(
      h.db.transaction().execute(async (trx) => {
        await notify(trx, [{ userId: F.users.parentA, kind: 'announcement', sourceId: crypto.randomUUID(), schoolId: F.schoolA1, studentId: null, title: 'Rolled back', link: '/x' }], { orgUnitId: F.schoolA1, createdBy: null });
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect((await listInbox(h.db, F.users.parentA, { limit: 10 })).map((n) => n.title)).toEqual(['Họp phụ huynh']);

    // Another person's ids change nothing; one's own are marked once.
    expect(await markRead(h.db, F.users.homeroomA1, { ids: [inbox[0]!.id] })).toBe(0);
    expect(await markRead(h.db, F.users.parentA, { sourceId: source })).toBe(1);
    expect(await markRead(h.db, F.users.parentA, { sourceId: source })).toBe(0);
    expect(await countUnread(h.db, F.users.parentA)).toBe(0);
  });
});
