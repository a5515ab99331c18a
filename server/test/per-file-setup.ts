import { setContactCodeSender } from '../src/modules/activation/contact-sender.js';
import { configureChannels } from '../src/modules/notifications/channels/config.js';
import { forgetVapidKeys } from '../src/modules/notifications/channels/push.js';
import { forgetAllLocks } from '../src/platform/login-locks.js';
import { forgetFlooding } from '../src/platform/rate-limit-store.js';

// Runs before each test file. The files of a worker share one process (isolate: false in
// vitest.config.ts: importing the app once per worker, not once per file, saves minutes), so
// what the process remembers from the previous file goes first: the environment as the run
// started (a crash test points SMTP_URL at its own receiver), locks and flooding addresses seen
// against the previous file's database, its VAPID keys, channel settings and code sender.
const g = globalThis as { truongsoBaseEnv?: Record<string, string | undefined> };
if (!g.truongsoBaseEnv) g.truongsoBaseEnv = { ...process.env };
else {
  const base = g.truongsoBaseEnv;
  for (const key of Object.keys(process.env)) if (!(key in base)) delete process.env[key];
  Object.assign(process.env, base);
}
forgetAllLocks();
forgetFlooding();
forgetVapidKeys();
configureChannels('reset');
setContactCodeSender(null);
