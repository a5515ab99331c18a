import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirBusyError, lockDataDir } from './data-dir-lock.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'ts-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('embedded database lock (one process per DATA_DIR)', () => {
  it('refuses a second opener while the first holds it, in Vietnamese, and frees it on release', () => {
    const dir = path.join(root, 'a');
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirBusyError);
    expect(() => lockDataDir(dir)).toThrow(/chỉ mở được bởi một tiến trình/);
    release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
    lockDataDir(dir)();
  });

  it('takes over the lock of a process that is gone (killed with SIGKILL)', () => {
    const dir = path.join(root, 'b');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: Number(gone.stdout), started: null }));
    const release = lockDataDir(dir);
    expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8')).pid).toBe(process.pid);
    release();
  });

  it('takes over a lock file cut short while it was written', () => {
    const dir = path.join(root, 'c');
    writeFileSync(`${dir}.lock`, '{"pi');
    lockDataDir(dir)();
  });

  if (existsSync('/proc/self/stat')) {
    it('takes over a lock whose process id now belongs to another process (after a reboot)', () => {
      const dir = path.join(root, 'd');
      writeFileSync(`${dir}.lock`, JSON.stringify({ pid: process.pid, started: 'an earlier boot' }));
      lockDataDir(dir)();
    });
  }
});
