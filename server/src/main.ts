import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from './app.js';
import { createBackup } from './backup/backup.js';
import { restoreBackup } from './backup/restore.js';
import { runtimeConfig } from './config.js';
import { type DbHandle, openDb } from './db/connection.js';
import { migrate } from './db/migrator.js';
import { loadReferenceData } from './db/reference-data.js';
import { markNameKeysCurrent, recomputeNameKeys } from './db/name-keys.js';
import { fillDemoGradebook, startDemoGradebookFill } from './demo/demo-gradebook.js';
import { hasOrgUnits } from './demo/demo.repo.js';
import { DEFAULT_DEMO_STUDENTS, seedDemo } from './demo/seed-demo.js';
import { failUnfinishedJobs } from './modules/imports/imports.repo.js';
import { JOB_LOST_MESSAGE } from './modules/imports/imports.service.js';
import { watchRequests } from './platform/request-activity.js';
import { failOrphanedJobs } from './modules/imports/job-liveness.js';

/**
 * The command is the first word (`serve` when none), its options after it. Not strict: an unknown
 * option is ignored and `--students`/`--workers` with nothing after them read as `true`, so each
 * command checks its own values and says what it wants in Vietnamese.
 */
function readArgs(argv: string[]) {
  const [command = 'serve', ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    strict: false,
    allowPositionals: true,
    options: {
      students: { type: 'string' },
      workers: { type: 'string' },
      replace: { type: 'boolean' },
      demo: { type: 'boolean' },
      'no-demo': { type: 'boolean' },
    },
  });
  return { command, flags: values, positional: positionals };
}

async function openAndMigrate(): Promise<DbHandle> {
  const handle = await openDb({
    databaseUrl: runtimeConfig.databaseUrl,
    dataDir: path.join(runtimeConfig.dataDir, 'pglite'),
  });
  await migrate(handle.pool);
  await loadReferenceData(handle.db);
  // Stored class-list keys follow the order this code computes (decision 0002): existing and
  // restored rows are re-sorted once after an upgrade that changes it.
  const recomputed = await recomputeNameKeys(handle.db);
  if (recomputed && recomputed.students + recomputed.staff > 0) {
    console.log(`Đã cập nhật thứ tự sắp xếp tên: ${recomputed.students} học sinh, ${recomputed.staff} cán bộ.`);
  }
  return handle;
}

/** One HTTP server process: opens the database (or reuses the handle) and listens; returns the listening server. */
async function serveProcess(started: number, soleProcess: boolean, opened?: DbHandle): Promise<Server> {
  const handle = opened ?? (await openDb({ databaseUrl: runtimeConfig.databaseUrl, dataDir: path.join(runtimeConfig.dataDir, 'pglite') }));
  const app = await buildApp(handle, { webDir: runtimeConfig.webDir, logger: process.env.LOG === '1', soleProcess });
  const shutdown = async () => {
    await app.close();
    await handle.close();
    process.exit(0);
  };
  // A close that fails still ends the process, non-zero, with the reason printed.
  const onSignal = () => {
    shutdown().catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  await app.listen({ port: runtimeConfig.port, host: runtimeConfig.host });
  if (soleProcess) {
    console.log(
      `Trường Số đang chạy: http://localhost:${runtimeConfig.port} (CSDL: ${handle.engine}, sẵn sàng sau ${Date.now() - started} ms)`,
    );
  }
  return app.server;
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  const { command, flags } = args;
  const started = Date.now();
  if (command === 'migrate') {
    const handle = await openAndMigrate();
    console.log(`Đã cập nhật cấu trúc CSDL (${handle.engine}).`);
    await handle.close();
    return;
  }
  if (command === 'seed') {
    const handle = await openAndMigrate();
    const students = Number(flags.students ?? DEFAULT_DEMO_STUDENTS);
    if (!Number.isInteger(students) || students < 100) throw new Error('--students phải là số nguyên ≥ 100');
    if (await hasOrgUnits(handle.db)) {
      // The demo province has fixed codes and usernames, so it can only go into an empty database.
      console.error('CSDL đã có dữ liệu. Dữ liệu demo chỉ tạo được trên CSDL trống: dùng DATA_DIR mới hoặc một CSDL PostgreSQL trống.');
      process.exitCode = 1;
    } else {
      const summary = await seedDemo(handle.db, { students, password: runtimeConfig.demoPassword });
      await markNameKeysCurrent(handle.db);
      console.log(`Đã tạo dữ liệu demo: ${JSON.stringify(summary)} trong ${Date.now() - started} ms`);
      const marks = await fillDemoGradebook(handle.db, { bulk: handle.engine === 'pglite' });
      console.log(`Đã nạp sổ điểm demo: ${JSON.stringify(marks)}`);
    }
    await handle.close();
    return;
  }
  if (command === 'backup' || command === 'restore') {
    const file = args.positional[0];
    if (!file) throw new Error(`Thiếu tên tệp: npm run ${command} -- TỆP${command === 'restore' ? ' [--replace]' : ''}`);
    const pgliteDir = path.join(runtimeConfig.dataDir, 'pglite');
    // A running server holds the data-dir lock: openDb below refuses with the reason.
    if (!runtimeConfig.databaseUrl) {
      if (command === 'backup' && !existsSync(path.join(pgliteDir, 'PG_VERSION'))) {
        throw new Error(`Không có CSDL nhúng ở ${pgliteDir}: kiểm tra DATA_DIR.`);
      }
    }
    const handle = await openDb({ databaseUrl: runtimeConfig.databaseUrl, dataDir: pgliteDir, poolSize: 2 });
    try {
      if (command === 'backup') {
        const s = await createBackup(handle, path.resolve(file));
        console.log(
          `Đã sao lưu CSDL (${handle.engine}) vào ${s.file}: ${s.tables} bảng, ${s.rows} dòng, ${(s.bytes / 1024 / 1024).toFixed(1)} MB, ${s.ms} ms.`,
        );
      } else {
        const s = await restoreBackup(handle, path.resolve(file), { replace: flags.replace === true });
        console.log(`Đã khôi phục vào CSDL (${handle.engine}): ${s.tables} bảng, ${s.rows} dòng, đã kiểm tra số dòng và mã kiểm tra từng bảng, ${s.ms} ms.`);
        if (s.migrationsAppliedAfter.length > 0) console.log(`Đã nâng cấp cấu trúc CSDL: ${s.migrationsAppliedAfter.join(', ')}.`);
      }
    } finally {
      await handle.close();
    }
    return;
  }
  if (command === 'serve') {
    const workers = flags.workers !== undefined ? Number(flags.workers) : 1;
    if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new Error('--workers phải là số nguyên từ 1 đến 64');
    if (cluster.isWorker) {
      await serveProcess(started, false);
      return;
    }
    if (workers > 1 && !runtimeConfig.databaseUrl) {
      throw new Error('Chế độ nhiều tiến trình (--workers) cần PostgreSQL (DATABASE_URL): CSDL nhúng PGlite chỉ mở được trong một tiến trình.');
    }
    const handle = await openAndMigrate();
    // Demo data only on the embedded database, unless asked for: a real PostgreSQL is someone's data.
    const wantDemo = handle.engine === 'pglite' ? flags['no-demo'] !== true : flags.demo === true;
    if (wantDemo && !(await hasOrgUnits(handle.db))) {
      const summary = await seedDemo(handle.db, { students: DEFAULT_DEMO_STUDENTS, password: runtimeConfig.demoPassword });
      await markNameKeysCurrent(handle.db);
      console.log(`Đã nạp dữ liệu demo (${summary.students} học sinh, ${summary.schools} trường).`);
    }
    // The demo's gradebook (a fresh demo, or a fill a stop cut short) is filled after the server
    // listens, a short transaction at a time (demo/demo-gradebook.ts); on PGlite, whose statements
    // run on this thread, each waits for a moment without requests.
    const startFill = (server?: Server) => {
      const quiet = server && handle.engine === 'pglite' ? watchRequests(server).quiet : undefined;
      const fill = startDemoGradebookFill(handle.db, { bulk: handle.engine === 'pglite', quiet });
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, fill.stop);
    };
    if (workers === 1) {
      startFill(await serveProcess(started, true, handle));
      return;
    }
    // Sessions, jobs and cache versions live in PostgreSQL, so workers share nothing but the port.
    await failUnfinishedJobs(handle.db, JOB_LOST_MESSAGE);
    for (let i = 0; i < workers; i++) cluster.fork();
    startFill();
    // The primary keeps one connection: when a worker dies, its import jobs (file in its memory)
    // can never finish and are failed. Once more a little later: a backend that was busy when its
    // process died lets go of the job's lock only when its statement ends.
    const failJobsOfDeadWorkers = () => failOrphanedJobs(handle.db, JOB_LOST_MESSAGE).catch(() => 0);
    cluster.on('exit', (worker, code, signal) => {
      if (shuttingDown) return;
      console.error(`Tiến trình ${worker.process.pid} dừng (${signal ?? code}); khởi động lại.`);
      void failJobsOfDeadWorkers();
      setTimeout(() => void failJobsOfDeadWorkers(), 5000).unref(); // it catches its own errors
      cluster.fork();
    });
    let shuttingDown = false;
    const stopAll = () => {
      shuttingDown = true;
      void handle.close();
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
      setTimeout(() => process.exit(0), 3000).unref();
    };
    process.once('SIGINT', stopAll);
    process.once('SIGTERM', stopAll);
    console.log(`Trường Số: ${workers} tiến trình trên cổng ${runtimeConfig.port} (CSDL: postgres).`);
    return;
  }
  console.error(`Lệnh không rõ: ${command}. Dùng: serve | migrate | seed [--students N] | backup TỆP | restore TỆP [--replace]`);
  process.exitCode = 2;
}

main().catch((err) => {
  // A plain message for the person at the terminal; the stack only when asked for.
  console.error(process.env.LOG === '1' ? err : `Lỗi: ${(err as Error).message}`);
  process.exit(1);
});
