import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** What the figures were measured on, printed with every result. */
export function describeMachine(pgVersion?: string): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const mem = `${Math.round(os.totalmem() / 2 ** 30)} GiB`;
  let kernel: string;
  try {
    kernel = execFileSync('uname', ['-r']).toString().trim();
  } catch {
    kernel = os.release();
  }
  return [
    `date ${new Date().toISOString()}`,
    `nproc ${os.cpus().length} (${cpu})`,
    `memory ${mem}`,
    `Linux ${kernel}`,
    `Node ${process.version}`,
    pgVersion ? `PostgreSQL ${pgVersion}` : null,
  ]
    .filter(Boolean)
    .join(', ');
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}
