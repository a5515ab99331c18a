import { launchBrowser } from '../e2e/browser.js';
import { DEMO_PASSWORD, startDemoServer } from './demo-server.js';
import { PAGE_BUDGET_BYTES, type PageWeight, describeWeight, kb, pageWeights } from './page-weight.js';
import { withBenchDatabase } from './pg-cluster.js';
import type { BenchResult } from './types.js';

const verdict = (w: PageWeight) => (w.bytes <= PAGE_BUDGET_BYTES ? 'within' : 'OVER');

/**
 * What the web app costs a phone: JS + CSS bytes as sent (compressed) when Chromium, with an
 * empty cache, opens the login page, and when a signed-in parent opens "Con của tôi" and their
 * child's profile. The server is the bundle `npm start` runs, serving web/dist.
 */
export function benchWeb(pgUrl: string): Promise<BenchResult> {
  return withBenchDatabase(pgUrl, 'web', async (dbUrl) => {
    const { server, base } = await startDemoServer(dbUrl);
    const browser = await launchBrowser();
    try {
      const { login, parentArea } = await pageWeights(browser, base, { username: 'phuhuynh.demo', password: DEMO_PASSWORD });
      const largest = [...parentArea.files].sort((a, b) => b.bytes - a.bytes).slice(0, 5);
      return {
        name: 'Web app weight (Chromium, empty cache, JS + CSS as sent)',
        rows: [
          ['login page', `${describeWeight(login)}: ${verdict(login)} budget`, `≤ ${kb(PAGE_BUDGET_BYTES)}`],
          ['parent area: "Con của tôi", then the child\'s profile', `${describeWeight(parentArea)}: ${verdict(parentArea)} budget`, `≤ ${kb(PAGE_BUDGET_BYTES)}`],
        ],
        notes: [`largest files of the parent area: ${largest.map((f) => `${f.path.replace('/assets/', '')} ${kb(f.bytes)}`).join(', ')}`],
      };
    } finally {
      await browser.close();
      await server.stop();
    }
  });
}
