import { spawn } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDb } from '../db/connection.js';
import { projectPath } from '../platform/project-root.js';
import { emptyPostgres, expectAppWorks, fixturePglite, pgUrl, tempDir } from './backup.test-helpers.js';
import { summarizeDatabase } from './catalog.js';

type Run = { code: number | null; out: string };

/** `npm run <script> -- args` exactly as a person would type it, with the given database settings. */
function npmRun(script: string, args: string[], env: { DATA_DIR: string; DATABASE_URL?: string }): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: env.DATA_DIR };
  delete childEnv.DATABASE_URL;
  if (env.DATABASE_URL) childEnv.DATABASE_URL = env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], { cwd: projectPath(), env: childEnv });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

const dir = tempDir();
const open: DbHandle[] = [];
afterAll(async () => {
  for (const h of open) await h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`npm run backup / restore (laptop PGlite → ${pgUrl ? 'PostgreSQL' : 'another PGlite'})`, () => {
  it('backs up a stopped embedded database, refuses while it is open, restores into an empty database and refuses a second time', { timeout: 600_000 }, async () => {
    const laptop = path.join(dir, 'laptop');
    const source = await fixturePglite(path.join(laptop, 'pglite'));
    const file = path.join(dir, 'truong.tsbak');

    // While the server (here: this process) has the embedded database open, a second process must not touch it.
    const busy = await npmRun('backup', [file], { DATA_DIR: laptop });
    expect(busy.code).toBe(1);
    expect(busy.out).toMatch(/đang được tiến trình \d+ sử dụng.*Hãy dừng tiến trình đó/);
    expect(existsSync(file)).toBe(false);
    const expected = await summarizeDatabase(source.pool);
    await source.close();

    const backup = await npmRun('backup', [file], { DATA_DIR: laptop });
    expect(backup.out).toMatch(/Đã sao lưu CSDL \(pglite\)/);
    expect(backup.code).toBe(0);
    expect(statSync(file).size).toBeGreaterThan(1000);

    const targetDir = path.join(dir, 'server');
    const target = pgUrl ? await emptyPostgres(pgUrl) : undefined;
    if (target) open.push(target);
    const settings = { DATA_DIR: targetDir, DATABASE_URL: target?.url };
    const restore = await npmRun('restore', [file], settings);
    expect(restore.out).toMatch(/Đã khôi phục vào CSDL \((postgres|pglite)\).*đã kiểm tra số dòng và mã kiểm tra/);
    expect(restore.code).toBe(0);

    const again = await npmRun('restore', [file], settings);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/Lỗi: CSDL đích đã có dữ liệu/);
    const replaced = await npmRun('restore', [file, '--replace'], settings);
    expect(replaced.code).toBe(0);

    const restored = target ?? (await openDb({ dataDir: path.join(targetDir, 'pglite') }));
    if (!target) open.push(restored);
    expect(await summarizeDatabase(restored.pool)).toEqual(expected);
    await expectAppWorks(restored);
  });

  it('says what is missing: no file name, no embedded database there', { timeout: 120_000 }, async () => {
    const noFile = await npmRun('restore', [], { DATA_DIR: path.join(dir, 'none') });
    expect(noFile.code).toBe(1);
    expect(noFile.out).toMatch(/Thiếu tên tệp: npm run restore -- TỆP \[--replace\]/);
    const noDb = await npmRun('backup', [path.join(dir, 'x.tsbak')], { DATA_DIR: path.join(dir, 'none') });
    expect(noDb.code).toBe(1);
    expect(noDb.out).toMatch(/Không có CSDL nhúng ở .*kiểm tra DATA_DIR/);
  });
});
