import http from 'node:http';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { makeStudentWorkbook } from './fixtures/make-student-xlsx.js';
import { ApiClient } from './api-client.js';
import { load } from './http-load.js';
import { withBenchDatabase } from './pg-cluster.js';
import { demoGradebookFilled } from './demo-server.js';
import { freePort, startAndWait } from './process-utils.js';
import type { BenchResult } from './types.js';

const ms = (x: number) => `${x.toFixed(1)} ms`;

type Job = { id: string; status: string; createdRows: number; errorCount: number; message: string | null; errors: unknown[] };

/** Creates an empty THCS school with classes 6A1…9An under the demo province, for imports. */
async function makeSchool(api: ApiClient, name: string, code: string, classesPerGrade: number, year: number): Promise<{ id: string; classNames: string[] }> {
  const tree = await api.call<{ units: { id: string; kind: string }[] }>('GET', '/api/v1/org-units/tree');
  const province = tree.units.find((u) => u.kind === 'province_office');
  if (!province) throw new Error('the demo tree has no province office to put the bench school under');
  const school = await api.call<{ id: string }>('POST', '/api/v1/org-units', {
    kind: 'school',
    name,
    code,
    parentId: province.id,
    schoolLevels: ['lower_secondary'],
    ownership: 'public',
    validFrom: '2020-01-01',
  });
  await api.call('PUT', `/api/v1/schools/${school.id}/school-years`, {
    year,
    term1Start: `${year}-09-05`,
    term1End: `${year + 1}-01-15`,
    term2Start: `${year + 1}-01-19`,
    term2End: `${year + 1}-05-31`,
  });
  const classNames: string[] = [];
  for (let grade = 6; grade <= 9; grade++) {
    for (let i = 1; i <= classesPerGrade; i++) {
      const className = `${grade}A${i}`;
      await api.call('POST', `/api/v1/schools/${school.id}/classes`, { year, name: className, grade, session: 'morning' });
      classNames.push(className);
    }
  }
  return { id: school.id, classNames };
}

async function importAndWait(api: ApiClient, schoolId: string, year: number, file: Buffer): Promise<{ job: Job; ms: number }> {
  const t0 = performance.now();
  let job = await api.upload<Job>(`/api/v1/schools/${schoolId}/imports?kind=students&mode=all_or_nothing&year=${year}`, 'hoc-sinh.xlsx', file);
  while (!['done', 'failed', 'rejected'].includes(job.status)) {
    await new Promise((r) => setTimeout(r, 100));
    job = await api.call<Job>('GET', `/api/v1/schools/${schoolId}/imports/${job.id}`);
  }
  const elapsed = performance.now() - t0;
  if (job.status !== 'done') throw new Error(`import ${job.status}: ${job.message} ${JSON.stringify(job.errors.slice(0, 3))}`);
  return { job, ms: elapsed };
}

/** The baseline for imports: ExcelJS's streaming reader touching every cell of the same file. */
async function rawExcelJsParse(file: Buffer): Promise<{ rows: number; ms: number }> {
  const t0 = performance.now();
  const stream = new PassThrough();
  stream.end(file);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore' });
  let rows = 0;
  for await (const sheet of reader) {
    for await (const row of sheet) {
      if (row.values) rows++;
    }
  }
  return { rows, ms: performance.now() - t0 };
}

/**
 * On PostgreSQL: the student list API of a 2,000-student school at 50 concurrent clients vs a bare
 * Fastify route, and an import of 20,000 students from one .xlsx vs a raw ExcelJS parse of it.
 */
export function benchApi(pgUrl: string): Promise<BenchResult> {
  return withBenchDatabase(pgUrl, 'api', (dbUrl) => measureApi(new URL(dbUrl)));
}

/** Bytes of one list page as sent: without compression, in brotli, in gzip (node:http: fetch would decode them). */
async function listPageSizes(base: string, path: string, cookie: string): Promise<Record<'plain' | 'br' | 'gzip', number>> {
  const sizeIn = (coding: string | null) =>
    new Promise<number>((resolve, reject) => {
      const headers: Record<string, string> = coding ? { cookie, 'accept-encoding': coding } : { cookie };
      http
        .get(`${base}${path}`, { headers }, (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => (res.statusCode === 200 && (res.headers['content-encoding'] ?? null) === coding ? resolve(bytes) : reject(new Error(`list page in ${coding}: ${res.statusCode} ${res.headers['content-encoding']}`))));
        })
        .on('error', reject);
    });
  return { plain: await sizeIn(null), br: await sizeIn('br'), gzip: await sizeIn('gzip') };
}

async function measureApi(u: URL): Promise<BenchResult> {
  const node = process.execPath;
  const port = await freePort();
  const server = await startAndWait(
    node,
    ['dist/server/main.mjs', 'serve', '--demo'],
    { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: u.toString(), TRUONGSO_DEMO_PASSWORD: 'TruongSo@2025' },
    `http://127.0.0.1:${port}/api/health`,
  );
  await demoGradebookFilled(server);
  const basePort = await freePort();
  const bare = await startAndWait(node, ['node_modules/tsx/dist/cli.mjs', 'bench/bare-fastify.ts'], { PORT: String(basePort) }, `http://127.0.0.1:${basePort}/json`);
  try {
    const base = `http://127.0.0.1:${port}`;
    const api = new ApiClient(base);
    await api.login('admin', 'TruongSo@2025');
    const year = 2025;

    // A 2,000-student school, loaded through the import endpoint. No citizen ids in the generated
    // files: random ones can collide with the demo province's, which the import rightly refuses.
    const small = await makeSchool(api, 'Trường THCS Đo Tải', '99990001', 12, year);
    const smallFile = await makeStudentWorkbook({ rows: 2000, classNames: small.classNames, seed: 7, firstLearnerId: 9100000001, citizenIds: false });
    const smallImport = await importAndWait(api, small.id, year, smallFile);

    const list = `/api/v1/schools/${small.id}/students`;
    const paths = [`${list}?page=1&pageSize=50`, `${list}?grade=7&page=2&pageSize=50`, `${list}?q=nguyen%20van&page=1&pageSize=50`, `${list}?sex=female&page=5&pageSize=50`];
    for (const p of paths) await api.call('GET', p); // warm up plans and caches
    // Requests carry the Accept-Encoding every browser sends, so the pages go out compressed as
    // they do to users (platform/compression.ts); the same list without it is measured too.
    const browser = { 'accept-encoding': 'gzip, deflate, br, zstd' };
    const headers = { cookie: api.cookie, ...browser };
    await load(base, paths, { connections: 10, seconds: 3, headers });
    const ours = await load(base, paths, { connections: 50, seconds: 10, headers });
    const identity = await load(base, paths, { connections: 50, seconds: 10, headers: { cookie: api.cookie } });
    await load(`http://127.0.0.1:${basePort}`, ['/json'], { connections: 10, seconds: 3, headers: browser });
    const bareRes = await load(`http://127.0.0.1:${basePort}`, ['/json'], { connections: 50, seconds: 10, headers: browser });
    const pageBytes = await listPageSizes(base, paths[0], api.cookie);

    // 20,000 students in one file.
    const big = await makeSchool(api, 'Trường THCS Nhập Lớn', '99990002', 125, year);
    const bigFile = await makeStudentWorkbook({ rows: 20000, classNames: big.classNames, seed: 11, firstLearnerId: 9200000001, citizenIds: false });
    const raw = await rawExcelJsParse(bigFile);
    const bigImport = await importAndWait(api, big.id, year, bigFile);

    return {
      name: 'API on PostgreSQL (server and load generator share the 2 cores)',
      rows: [
        ['student list, 2,000-student school, 50 clients × 10 s: p50 / p95 / p99', `${ms(ours.p50)} / ${ms(ours.p95)} / ${ms(ours.p99)}`, 'p95 ≤ 50 ms'],
        ['student list throughput', `${ours.rps.toFixed(0)} req/s = ${(ours.rps / bareRes.rps).toFixed(3)}× bare Fastify (${ours.non2xx} non-2xx, ${ours.errors} errors)`, 'report'],
        ['student list without Accept-Encoding (sent uncompressed): p50 / p95, throughput', `${ms(identity.p50)} / ${ms(identity.p95)}, ${identity.rps.toFixed(0)} req/s = ${(identity.rps / bareRes.rps).toFixed(3)}× bare Fastify`, 'report'],
        ['one page of 50 students on the wire: plain / br / gzip', `${pageBytes.plain} / ${pageBytes.br} / ${pageBytes.gzip} bytes`, 'report'],
        ['baseline: bare Fastify JSON route, 50 clients: p50 / p95 / p99, throughput', `${ms(bareRes.p50)} / ${ms(bareRes.p95)} / ${ms(bareRes.p99)}, ${bareRes.rps.toFixed(0)} req/s`, '—'],
        ['import 20,000 students from one .xlsx (upload → job done)', `${(bigImport.ms / 1000).toFixed(2)} s = ${(bigImport.ms / raw.ms).toFixed(1)}× raw ExcelJS parse (${bigImport.job.createdRows} created, ${(bigFile.length / 1e6).toFixed(1)} MB)`, '≤ 20 s'],
        ['baseline: raw ExcelJS streaming parse of the same file', `${(raw.ms / 1000).toFixed(2)} s (${raw.rows} rows)`, '—'],
        ['import 2,000 students (setup of the list benchmark)', `${(smallImport.ms / 1000).toFixed(2)} s`, '—'],
      ],
      notes: [
        `list requests cycle over: ${paths.map((p) => p.replace(list, '…/students')).join(', ')}`,
        `list requests (and the baseline's) carry Accept-Encoding: ${browser['accept-encoding']}, as a browser's do`,
      ],
    };
  } finally {
    await bare.stop();
    await server.stop();
  }
}
