import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    startupMs: number;
    /** Where the app sends e-mail: a port on this machine the e-mail e2e listens on with a local SMTP server. */
    smtpUrl: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts the app exactly as the README says (`npm start` → scripts/start.mjs) on a free port,
 * in a throwaway data directory so the demo province is loaded, and waits for /api/health, then
 * for the demo's gradebook to be filled.
 * With DATABASE_URL set, a throwaway PostgreSQL database with `--demo` is used instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ts-e2e-'));
  // The app sends e-mail to a local port (SMTP_URL, as a school's server would name its relay);
  // the e2e that reads e-mail listens there with smtp-server (server/test/notice-receivers.ts).
  const smtpUrl = process.env.SMTP_URL || `smtp://127.0.0.1:${await freePort()}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, HOST: '127.0.0.1', SMTP_URL: smtpUrl };
  const extraArgs: string[] = [];
  let dropDb: (() => Promise<void>) | undefined;
  if (process.env.DATABASE_URL) {
    const name = `ts_e2e_${process.pid}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    env.DATABASE_URL = u.toString();
    extraArgs.push('--demo');
    dropDb = async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, ['scripts/start.mjs', ...extraArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    if (Date.now() - started > 150_000) throw new Error(`server did not start in 150 s:\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const startupMs = Date.now() - started;
  // The demo's gradebook is filled in the background once the server answers (~30 s for the whole
  // province, server/src/demo/README.md): the pages are tested on the settled demo, not while it
  // fills (and not sharing the cores with it).
  while (!output.includes('Đã nạp sổ điểm demo')) {
    if (output.includes('Chưa nạp xong sổ điểm demo')) throw new Error(`the demo gradebook fill failed:\n${output}`);
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    if (Date.now() - started > 300_000) throw new Error(`the demo gradebook was not filled in 300 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  project.provide('baseUrl', baseUrl);
  project.provide('smtpUrl', smtpUrl);
  project.provide('startupMs', startupMs);
  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    await dropDb?.();
  };
}
