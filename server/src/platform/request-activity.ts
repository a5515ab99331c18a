import type { Server } from 'node:http';

export type RequestActivity = {
  /**
   * Resolves at a quiet moment: no request in progress and none ended in the last `quietMs` —
   * or after `maxWaitMs` at most, so background work still moves when the server is never quiet.
   */
  quiet: () => Promise<void>;
};

/**
 * Background work that shares the process with the HTTP server waits here before each step: on
 * PGlite every statement runs on the server's own thread, so a step that starts while a page is
 * loading makes that page wait for it (the demo's gradebook fill, demo/demo-gradebook.ts). The
 * moment the server starts listening counts as activity: the first page is asked for right then.
 */
export function watchRequests(server: Server, opts: { quietMs?: number; maxWaitMs?: number } = {}): RequestActivity {
  const quietMs = opts.quietMs ?? 100;
  const maxWaitMs = opts.maxWaitMs ?? 500;
  let inFlight = 0;
  let lastActivity = performance.now();
  server.on('request', (_req, res) => {
    inFlight += 1;
    lastActivity = performance.now();
    res.once('close', () => {
      inFlight -= 1;
      lastActivity = performance.now();
    });
  });
  return {
    quiet: async () => {
      const started = performance.now();
      for (;;) {
        const now = performance.now();
        if ((inFlight === 0 && now - lastActivity >= quietMs) || now - started >= maxWaitMs) return;
        const wait = inFlight > 0 ? 10 : quietMs - (now - lastActivity);
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(wait, maxWaitMs - (now - started)))));
      }
    },
  };
}
