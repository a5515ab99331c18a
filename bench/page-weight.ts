import type { Browser, BrowserContext, Request } from 'playwright-core';

/** The budget of issue 8: JS + CSS a page makes the browser download, compressed as sent. */
export const PAGE_BUDGET_BYTES = 300 * 1024;

export type LoadedFile = { path: string; type: string; encoding: string; bytes: number };
export type PageWeight = { bytes: number; files: LoadedFile[] };

/**
 * Counts, in a real browser with an empty cache, the bytes of every script and stylesheet a page
 * makes it download: the body as it came over the wire (after br/gzip), what a phone on a slow
 * link waits for. Starts counting at `open` and stops when the network has been idle.
 */
async function weigh(context: BrowserContext, open: () => Promise<void>): Promise<PageWeight> {
  const seen: Promise<LoadedFile | null>[] = [];
  const onFinished = (req: Request) => {
    const type = req.resourceType();
    if (type !== 'script' && type !== 'stylesheet') return;
    seen.push(
      (async () => {
        const res = await req.response();
        if (!res || (await res.finished()) !== null) return null;
        const sizes = await req.sizes();
        return { path: new URL(req.url()).pathname, type, encoding: (await res.headerValue('content-encoding')) ?? 'identity', bytes: sizes.responseBodySize };
      })(),
    );
  };
  context.on('requestfinished', onFinished);
  try {
    await open();
  } finally {
    context.off('requestfinished', onFinished);
  }
  const files = (await Promise.all(seen)).filter((f): f is LoadedFile => f !== null);
  return { bytes: files.reduce((s, f) => s + f.bytes, 0), files };
}

/**
 * What the login page and the parent area ("Con của tôi", then one child's profile) cost a
 * browser arriving with an empty cache. `parent` signs in through the login page of its own fresh
 * context, so the parent area is counted as a returning parent (signed in, nothing cached) loads it.
 */
export async function pageWeights(browser: Browser, baseUrl: string, parent: { username: string; password: string }): Promise<{ login: PageWeight; parentArea: PageWeight }> {
  // Service workers blocked: a first visit has none yet (web/src/pwa/sw.ts registers after the
  // page loaded), and files a worker fetches or answers from its cache are not counted as the
  // page's, so with one the figure would come out lower than what a new phone downloads.
  const fresh = () => browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN', serviceWorkers: 'block' });

  const loginCtx = await fresh();
  const loginPage = await loginCtx.newPage();
  const login = await weigh(loginCtx, async () => {
    await loginPage.goto(`${baseUrl}/`);
    await loginPage.getByTestId('login-username').waitFor();
    await loginPage.waitForLoadState('networkidle');
  });
  // Sign the parent in here, then carry only the session cookie to a context with an empty cache.
  await loginPage.getByTestId('login-username').fill(parent.username);
  await loginPage.getByTestId('login-password').fill(parent.password);
  await loginPage.getByTestId('login-submit').click();
  await loginPage.getByTestId('child-item').first().waitFor({ timeout: 30_000 });
  const cookies = await loginCtx.cookies();
  await loginCtx.close();

  const parentCtx = await fresh();
  await parentCtx.addCookies(cookies);
  const page = await parentCtx.newPage();
  const parentArea = await weigh(parentCtx, async () => {
    await page.goto(`${baseUrl}/con-cua-toi`);
    await page.getByTestId('child-item').first().waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    await page.getByTestId('child-item').first().click();
    await page.waitForURL(/\/con-cua-toi\/[^/]+\/[^/]+$/);
    await page.waitForLoadState('networkidle');
    // The profile's lazily loaded parts have arrived once its cards are drawn.
    await page.waitForTimeout(500);
    await page.waitForLoadState('networkidle');
  });
  await parentCtx.close();
  return { login, parentArea };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** "212.3 KB (br: 9 files)" */
export function describeWeight(w: PageWeight): string {
  const byEnc = new Map<string, number>();
  for (const f of w.files) byEnc.set(f.encoding, (byEnc.get(f.encoding) ?? 0) + 1);
  return `${kb(w.bytes)} (${[...byEnc].map(([e, n]) => `${n} files ${e}`).join(', ')})`;
}
