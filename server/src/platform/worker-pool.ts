import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * A few worker threads that each run one task at a time, for CPU-bound work a background job does
 * by the thousand (laying out PDFs): the job's own thread keeps reading the database and storing
 * results while the workers render, so a 2-core machine uses both cores.
 *
 * A worker's module sits beside the module that starts it: `name.ts` in the sources (loaded
 * through tsx, as tests and `tsx` runs do), `name.mjs` beside the server bundle (scripts/build.mjs
 * builds it as its own entry). A worker that fails or exits fails the task it held and is
 * replaced at the next task.
 */
export class WorkerPool<In, Out> {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly waiting: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly entry: WorkerEntry,
    readonly size: number,
  ) {}

  /** Runs one task on a free worker (waiting for one); what it posts back is the answer. */
  async run(input: In, transfer: Transferable[] = []): Promise<Out> {
    const worker = await this.acquire();
    try {
      return await new Promise<Out>((resolve, reject) => {
        const onMessage = (m: { ok: true; value: Out } | { ok: false; error: string }) => {
          cleanup();
          if (m.ok) resolve(m.value);
          else reject(new Error(m.error));
        };
        const onError = (e: Error) => {
          cleanup();
          this.discard(worker);
          reject(e);
        };
        const onExit = (code: number) => onError(new Error(`worker exited with code ${code}`));
        const cleanup = () => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        };
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        worker.postMessage(input, transfer as never);
      });
    } finally {
      this.release(worker);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.all].map((w) => w.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }

  private async acquire(): Promise<Worker> {
    for (;;) {
      if (this.closed) throw new Error('worker pool closed');
      const free = this.idle.pop();
      if (free) return free;
      if (this.all.size < this.size) {
        const w = this.entry instanceof URL ? new Worker(this.entry) : new Worker(this.entry.evalSource, { eval: true });
        // An idle worker must not keep the process alive.
        w.unref();
        this.all.add(w);
        return w;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(worker: Worker): void {
    if (this.all.has(worker) && !this.closed) this.idle.push(worker);
    this.waiting.shift()?.();
  }

  private discard(worker: Worker): void {
    this.all.delete(worker);
    void worker.terminate();
  }
}

/** Where the worker module `name` is, beside the module at `callerUrl` (its import.meta.url). */
export function workerEntry(callerUrl: string, name: string): WorkerEntry {
  if (!callerUrl.endsWith('.ts')) return new URL(`./${name}.mjs`, callerUrl);
  // `--import tsx` in a worker's execArgv does not reach its loader: the worker starts by asking tsx
  // to import the TypeScript module (tsx resolved from the working directory, the project's root).
  const source = JSON.stringify(new URL(`./${name}.ts`, callerUrl).href);
  return { evalSource: `import('tsx/esm/api').then(({ tsImport }) => tsImport(${source}, ${source}));` };
}

export type WorkerEntry = URL | { evalSource: string };

/**
 * Worker threads for rendering: TRUONGSO_RENDER_WORKERS, else one per core up to four. 0 renders
 * on the job's own thread.
 */
export function renderWorkerCount(): number {
  const set = process.env.TRUONGSO_RENDER_WORKERS;
  if (set !== undefined && set !== '') return Math.max(0, Math.floor(Number(set)) || 0);
  return Math.min(4, availableParallelism());
}
