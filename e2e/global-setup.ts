import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startSmtp } from '../server/test/notice-receivers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    startupMs: number;
    /** Where the local SMTP server the app sends e-mail to keeps what arrives, a JSON file per mail (e2e/mailbox.ts). */
    mailDir: string;
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

/** Waits for /api/health, then for the demo gradebook's fill; returns the start-up time. */
async function waitUntilReady(child: ChildProcess, baseUrl: string, started: number, output: () => string): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output()}`);
    if (Date.now() - started > 150_000) throw new Error(`server did not start in 150 s:\n${output()}`);
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
  while (!output().includes('Đã nạp sổ điểm demo')) {
    if (output().includes('Chưa nạp xong sổ điểm demo')) throw new Error(`the demo gradebook fill failed:\n${output()}`);
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output()}`);
    if (Date.now() - started > 300_000) throw new Error(`the demo gradebook was not filled in 300 s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return startupMs;
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
  // The app sends e-mail to a relay on this machine (SMTP_URL, as a school's server would name its
  // relay): one smtp-server for the whole run, up before the app and down after it, so the app's
  // pooled connections always find it (a receiver per test file left them dead between files).
  const mailDir = mkdtempSync(path.join(os.tmpdir(), 'ts-e2e-mail-'));
  const smtp = await startSmtp({ dir: mailDir });
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, HOST: '127.0.0.1', SMTP_URL: smtp.url };
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
  let startupMs: number;
  try {
    startupMs = await waitUntilReady(child, baseUrl, started, () => output);
  } catch (e) {
    // Nothing left running when the start fails: the app, the SMTP server, the database.
    child.kill('SIGKILL');
    await smtp.close();
    await dropDb?.();
    throw e;
  }
  project.provide('baseUrl', baseUrl);
  project.provide('mailDir', mailDir);
  project.provide('startupMs', startupMs);
  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    if (child.exitCode === null) child.kill('SIGKILL');
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(mailDir, { recursive: true, force: true });
    await dropDb?.();
  };
}
