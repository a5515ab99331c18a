/**
 * Issue 11: "jobs survive a SIGKILL of the server (an acknowledged announcement is delivered
 * exactly once after restart)". The real server (the bundle, its own process) takes notify()
 * batches over HTTP — each "Gửi thử" is one notify() call: the notice in the inbox in the
 * request's transaction, one deliver_notices job queued with it — from several accounts at once,
 * with e-mail on for each of them and a local SMTP server (smtp-server) receiving. It is killed
 * with SIGKILL while those batches are still being delivered, restarted on the same database,
 * three times. Then:
 *
 * - in-app: every acknowledged notice is in its person's inbox, once (no lost, no doubled rows);
 * - e-mail: every notice in an inbox arrived at the SMTP server, and, counted by Message-ID, once;
 * - announcements: before each kill the principal sends one to the school's families and staff
 *   ("Gửi ngay": the notices are written with the status in the request's transaction, the
 *   deliveries are the same deliver_notices jobs); every acknowledged one is in the inbox of each
 *   demo account it reached exactly once, and its e-mail arrived.
 *
 * The window, said honestly: a send is marked 'sending' (committed) before the SMTP
 * conversation and 'sent' after the server's 250. A kill between the 250 and the commit of 'sent'
 * leaves 'sending', and the restarted server sends that e-mail again — with the same Message-ID
 * (`<notice-<id>-email@truongso>`, the delivery row's own). So e-mail is at-least-once on the
 * wire and exactly-once per Message-ID (mail stores and this receiver drop the repeat); the inbox
 * is exactly-once. At most one chunk of sends (concurrency × 4 = 32) can be in that window per
 * kill, which the test checks too, and prints how many repeats it saw.
 *
 * PGlite by default (a temporary DATA_DIR), PostgreSQL when DATABASE_URL is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { withDatabase } from '../global-setup.js';
import { startSmtp } from '../notice-receivers.js';
import { ApiClient, NoAnswer } from './http-client.js';
import { type RunningServer, type ServerEnv, buildServerBundle, seedDemo, startServer } from './server-process.js';

const PASSWORD = process.env.TRUONGSO_DEMO_PASSWORD ?? 'TruongSo@2025';
const ACCOUNTS = ['phuhuynh.demo', 'gvcn.demo', 'hieutruong.demo', 'gv.demo'];
/** The principal sends the announcements; the others are reached by them (a parent of the school, two of its teachers). */
const PRINCIPAL = 2;
const REACHED = [0, 1, 3];
const KILLS = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('notices survive a SIGKILL of the server', () => {
  it('after kills and restarts, every acknowledged notice is in its inbox once and its e-mail arrived once per Message-ID', { timeout: 600_000 }, async () => {
    const smtp = await startSmtp();
    // The servers this test starts inherit these (bench/process-utils.ts startAndWait).
    process.env.SMTP_URL = smtp.url;
    process.env.TRUONGSO_TEST_NOTICES_PER_HOUR = '1000000';
    const url = process.env.DATABASE_URL;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ts-notices-crash-'));
    const dbName = `ts_test_notices_${process.pid}`;
    const admin = url ? new pg.Client({ connectionString: url }) : null;
    const env: ServerEnv = url ? { DATABASE_URL: withDatabase(url, dbName) } : { DATA_DIR: dir };
    let server: RunningServer | undefined;
    try {
      if (admin) {
        await admin.connect();
        await admin.query(`drop database if exists ${dbName} with (force)`);
        await admin.query(`create database ${dbName}`);
      }
      const bundle = await buildServerBundle();
      seedDemo(bundle, env);
      server = await startServer(bundle, env);
      const clients = await Promise.all(ACCOUNTS.map((u) => ApiClient.login(server!.base, u, PASSWORD)));
      for (const [i, c] of clients.entries()) {
        const r = await c.request('PUT', '/api/v1/me/notice-settings', { push: false, email: true, emailAddress: `nguoi${i}@example.vn`, emailDigest: false, webhook: false });
        expect(r.status).toBe(200);
      }
      const acked = new Map<string, number>(ACCOUNTS.map((a) => [a, 0]));
      let attempted = 0;
      let live = clients;
      // Each account sends notices one after another until the server stops answering.
      const barrage = (cs: ApiClient[]) =>
        Promise.all(
          cs.map(async (c, i) => {
            for (;;) {
              attempted++;
              try {
                const r = await c.request('POST', '/api/v1/me/notices/test');
                if (r.status !== 200) throw new Error(`test notice: ${r.status} ${JSON.stringify(r.body)}`);
                acked.set(ACCOUNTS[i]!, acked.get(ACCOUNTS[i]!)! + 1);
                // A school's pace, not a flood: a notice every 100 ms per account keeps the
                // deliveries (one job per notify() batch) running beside the requests.
                await sleep(100);
              } catch (err) {
                if (err instanceof NoAnswer) return;
                throw err;
              }
            }
          }),
        );

      // An announcement "Gửi ngay" to the school's families and staff: acknowledged when both answer 200.
      const announced: string[] = [];
      const announce = async (principal: ApiClient, title: string) => {
        const base = `/api/v1/org-units/${principal.school}/announcements`;
        const draft = await principal.request('POST', base, { title, body: 'Kính mời cha mẹ học sinh dự họp.', audience: { families: true, staff: true } });
        expect(draft.status, JSON.stringify(draft.body)).toBe(200);
        const sent = await principal.request('POST', `${base}/${(draft.body as { id: string }).id}/send`, { sendAt: null });
        expect(sent.status, JSON.stringify(sent.body)).toBe(200);
        announced.push(title);
      };

      for (let kill = 0; kill < KILLS; kill++) {
        const running = barrage(live);
        await announce(live[PRINCIPAL]!, `Họp phụ huynh, lần ${kill + 1}`);
        // Kill while e-mails are still going out: some notices acknowledged, not all delivered.
        const before = smtp.arrived.length;
        const until = Date.now() + 60_000;
        while (smtp.arrived.length < before + 10 + kill * 7 && Date.now() < until) await sleep(10);
        await server.killHard();
        await running;
        server = await startServer(bundle, env);
        live = clients.map((c) => c.at(server!.base));
      }

      // After the last restart: everything acknowledged is delivered, with no more requests coming.
      const announcementsIn: { id: string; title: string }[][] = live.map(() => []);
      const inboxes = await Promise.all(
        live.map(async (c, i) => {
          const ids: string[] = [];
          let before: string | null = null;
          for (;;) {
            const r = await c.request('GET', `/api/v1/me/notices?limit=50${before ? `&before=${encodeURIComponent(before)}` : ''}`);
            const page = r.body as { items: { id: string; kind: string; title: string }[]; next: string | null };
            ids.push(...page.items.filter((n) => n.kind === 'test').map((n) => n.id));
            announcementsIn[i]!.push(...page.items.filter((n) => n.kind === 'announcement'));
            if (!page.next) return ids;
            before = page.next;
          }
        }),
      );
      // Each acknowledged announcement once in the inbox of every demo account it reached, none in the sender's.
      expect(announced).toHaveLength(KILLS);
      for (const i of REACHED) expect(announcementsIn[i]!.map((n) => n.title).sort()).toEqual([...announced].sort());
      expect(announcementsIn[PRINCIPAL]).toEqual([]);
      const all = inboxes.flat();
      const expected = new Set([...all, ...announcementsIn.flat().map((n) => n.id)].map((id) => `<notice-${id}-email@truongso>`));
      const until = Date.now() + 180_000;
      const distinct = () => new Set(smtp.arrived.map((m) => m.messageId));
      while ([...expected].some((id) => !distinct().has(id)) && Date.now() < until) await sleep(200);

      const missing = [...expected].filter((id) => !distinct().has(id)).length;
      console.log(`[notices-crash] ${all.length} test notices and ${announced.length} announcements (${announcementsIn.flat().length} notices) in inboxes, ${missing} e-mails not arrived, ${smtp.arrived.length} arrived`);
      // In-app: each acknowledged notice is there, none twice (ids are unique rows; counts per person).
      for (const [i, ids] of inboxes.entries()) {
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBeGreaterThanOrEqual(acked.get(ACCOUNTS[i]!)!);
      }
      expect(all.length).toBeLessThanOrEqual(attempted);
      // E-mail: every notice's Message-ID arrived, nothing else did, each to its own person.
      expect([...expected].filter((id) => !distinct().has(id))).toEqual([]);
      expect([...distinct()].filter((id) => !expected.has(id))).toEqual([]);
      const repeats = smtp.arrived.length - distinct().size;
      console.log(`[notices-crash] ${all.length} notices (${[...acked.values()].reduce((a, b) => a + b, 0)} acknowledged), ${smtp.arrived.length} e-mails arrived, ${repeats} repeated by Message-ID after ${KILLS} kills`);
      expect(repeats).toBeLessThanOrEqual(KILLS * 32);
      for (const [i, ids] of inboxes.entries()) {
        const mine = new Set([...ids, ...announcementsIn[i]!.map((n) => n.id)].map((id) => `<notice-${id}-email@truongso>`));
        expect(smtp.arrived.filter((m) => mine.has(m.messageId)).every((m) => m.to === `nguoi${i}@example.vn`)).toBe(true);
      }
    } finally {
      await server?.killHard();
      await smtp.close();
      if (admin) {
        await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
        await admin.end();
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
