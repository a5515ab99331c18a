import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import react from '@vitejs/plugin-react';
import { build as esbuild } from 'esbuild';
import { type Plugin, defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|webmanifest)$/;

/**
 * Writes foo.js.gz and foo.js.br next to every text file of the build, at the highest levels
 * (done once per build, not per request): the server hands them out as they are
 * (@fastify/static `preCompressed`), so phones on slow links get a third of the bytes without
 * the server compressing anything while it answers.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'truongso-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = path.resolve(c.root, c.build.outDir);
    },
    async closeBundle() {
      const files = (await readdir(outDir, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile() && COMPRESSIBLE.test(e.name))
        .map((e) => path.join(e.parentPath, e.name));
      await Promise.all(
        files.map(async (file) => {
          const raw = await readFile(file);
          const [gz, br] = await Promise.all([
            gzip(raw, { level: zlib.constants.Z_BEST_COMPRESSION }),
            brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
          ]);
          // A tiny file can grow when compressed; then the plain one is served.
          if (gz.length < raw.length) await writeFile(`${file}.gz`, gz);
          if (br.length < raw.length) await writeFile(`${file}.br`, br);
        }),
      );
    },
  };
}

/** Modules of the parent area ("Con của tôi" and the family portal's tabs): their files are what the service worker keeps for a family. */
const FAMILY_MODULES = /\/web\/src\/features\/(parent\/|layout\/app-layout|announcements\/family-|messages\/family-|leave-requests\/family-|students\/student-profile-page|students\/legacy-results-card|privacy\/consent-card)/;

/**
 * Builds the service worker (web/src/pwa/sw.ts) into dist/sw.js with what it needs to know of
 * this build: a version (the hash of the build's file names: a new build, a new worker that
 * drops the old files), the app shell's files (index.html, the entry's JS and CSS, manifest,
 * icons) and the parent area's (the chunks of FAMILY_MODULES and what they import, no staff-only
 * dialog they load lazily). esbuild bundles it on its own, no Workbox.
 */
function pwaServiceWorker(): Plugin {
  return {
    name: 'truongso-service-worker',
    apply: 'build',
    enforce: 'post',
    async generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []));
      const byName = new Map(chunks.map((c) => [c.fileName, c]));
      const closure = (roots: typeof chunks): string[] => {
        const seen = new Set<string>();
        const files = new Set<string>();
        const walk = (c: (typeof chunks)[number]) => {
          if (seen.has(c.fileName)) return;
          seen.add(c.fileName);
          files.add(`/${c.fileName}`);
          for (const css of c.viteMetadata?.importedCss ?? []) files.add(`/${css}`);
          for (const i of c.imports) {
            const next = byName.get(i);
            if (next) walk(next);
          }
        };
        roots.forEach(walk);
        return [...files].sort();
      };
      const entry = closure(chunks.filter((c) => c.isEntry));
      const family = closure(chunks.filter((c) => c.moduleIds.some((id) => FAMILY_MODULES.test(id.replaceAll('\\', '/'))))).filter((f) => !entry.includes(f));
      const version = createHash('sha256').update(Object.keys(bundle).sort().join('\n')).digest('hex').slice(0, 12);
      const shell = ['/', '/manifest.webmanifest', '/favicon.svg', '/icons/icon-192.png', '/icons/icon-512.png', ...entry];
      const out = await esbuild({
        entryPoints: [path.join(webRoot, 'src/pwa/sw.ts')],
        bundle: true,
        write: false,
        format: 'iife',
        target: 'es2020',
        minify: true,
        legalComments: 'none',
        define: {
          __TS_SW_VERSION__: JSON.stringify(version),
          __TS_SW_SHELL__: JSON.stringify(shell),
          __TS_SW_FAMILY__: JSON.stringify(family),
        },
      });
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: out.outputFiles[0].text });
    },
  };
}

// root = web/, output in web/dist (served by the API server at /, with an index.html fallback).
// Shared code lives outside web/ (../domain, ../contracts), so the dev server may read the repo root.
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), pwaServiceWorker(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
  server: {
    port: 5173,
    fs: { allow: [repoRoot] },
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
  preview: { proxy: { '/api': { target: 'http://localhost:3000' } } },
});
