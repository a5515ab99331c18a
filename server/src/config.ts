import path from 'node:path';

/** Runtime settings, all from the environment so one build runs everywhere. */
export const runtimeConfig = {
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '0.0.0.0',
  databaseUrl: process.env.DATABASE_URL || undefined,
  dataDir: path.resolve(process.env.DATA_DIR ?? 'data'),
  demoPassword: process.env.TRUONGSO_DEMO_PASSWORD ?? 'TruongSo@2025',
  webDir: path.resolve(process.env.WEB_DIR ?? 'web/dist'),
};
