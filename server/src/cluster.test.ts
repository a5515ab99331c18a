import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freePort, startAndWait } from '../../bench/process-utils.js';

const tsx = ['node_modules/tsx/dist/cli.mjs', 'server/src/main.ts'];

describe('cluster mode: npm start -- --workers N', () => {
  // One test per engine run (npm test runs on both): the embedded database refuses, PostgreSQL serves.
  const refusesOnEmbedded = async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ts-cluster-'));
    const child = spawn(process.execPath, [...tsx, 'serve', '--workers', '2'], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(err).toContain('cần PostgreSQL');
  };

  const servesOnPostgres = async () => {
    const url = process.env.DATABASE_URL!;
    const name = `ts_test_cluster_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    const port = await freePort();
    const server = await startAndWait(process.execPath, [...tsx, 'serve', '--demo', '--workers', '2'], { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: u.toString() }, `http://127.0.0.1:${port}/api/health`);
    try {
      const base = `http://127.0.0.1:${port}`;
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({ username: 'hieutruong.demo', password: process.env.TRUONGSO_DEMO_PASSWORD ?? 'TruongSo@2025' }),
      });
      expect(login.status).toBe(200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      // New connections each time, so the cluster spreads them over both processes.
      const statuses = await Promise.all(
        Array.from({ length: 30 }, () => fetch(`${base}/api/v1/auth/me`, { headers: { cookie, connection: 'close' } }).then((r) => r.status)),
      );
      expect(new Set(statuses)).toEqual(new Set([200]));
      expect(server.output()).toContain('2 tiến trình');
    } finally {
      await server.stop();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  };

  it(
    process.env.DATABASE_URL
      ? 'serves one port from two processes that share sessions through PostgreSQL'
      : 'refuses several processes on the embedded database, with a Vietnamese reason',
    process.env.DATABASE_URL ? servesOnPostgres : refusesOnEmbedded,
  );
});
