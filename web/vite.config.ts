import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
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

// root = web/, output in web/dist (served by the API server at /, with an index.html fallback).
// Shared code lives outside web/ (../domain, ../contracts), so the dev server may read the repo root.
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), precompress()],
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
