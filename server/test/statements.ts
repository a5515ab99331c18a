import type pg from 'pg';

/** Every statement the pool's connections send while `run` runs, as SQL text. */
export async function statementsOf(pool: pg.Pool, run: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const patched = new WeakSet<object>();
  const onAcquire = (client: pg.PoolClient) => {
    if (patched.has(client)) return;
    patched.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      if (recording) {
        const q = args[0] as string | { text?: string };
        sent.push(typeof q === 'string' ? q : (q.text ?? ''));
      }
      return query(...args);
    };
  };
  let recording = true;
  pool.on('acquire', onAcquire);
  try {
    await run();
  } finally {
    recording = false;
    pool.off('acquire', onAcquire);
  }
  return sent;
}
