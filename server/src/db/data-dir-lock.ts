/**
 * One process per embedded database. PGlite keeps no lock of its own: a second process opening
 * the same DATA_DIR/pglite runs a second PostgreSQL on the same files, each with its own buffers,
 * and the files end up corrupt. So the opener writes `<dir>.lock` holding its process id and
 * start time, and removes it on close.
 *
 * A lock whose process is gone — killed with SIGKILL, power cut — is stale and taken over, so a
 * crash never keeps the server from starting. The start time (Linux /proc) tells a live owner
 * from an unrelated process that got the same id after a reboot.
 *
 * Not an OS lock (Node has no flock): two processes started within the same instant over a
 * stale lock could both take it. What it guards against is the common case — a second
 * `npm start` (or a supervisor's restart) while the first server still runs.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

type Owner = { pid: number; started: string | null };

/** Kernel start time of a process (clock ticks since boot), or null where /proc is not available. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may itself contain spaces and parentheses); starttime is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isRunning(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.started === null) return true;
  return startTimeOf(owner.pid) === owner.started;
}

function readOwner(lockFile: string): Owner | null {
  try {
    const owner = JSON.parse(readFileSync(lockFile, 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' ? { pid: owner.pid, started: owner.started ?? null } : null;
  } catch {
    return null;
  }
}

export class DataDirBusyError extends Error {}

/** Takes the lock of `dataDir` or throws DataDirBusyError; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  const me: Owner = { pid: process.pid, started: startTimeOf(process.pid) };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lockFile, JSON.stringify(me), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 3) throw err;
    }
    const owner = readOwner(lockFile);
    if (owner && isRunning(owner)) {
      throw new DataDirBusyError(
        `CSDL nhúng trong ${dataDir} đang được tiến trình ${owner.pid} sử dụng; mỗi thư mục dữ liệu chỉ mở được bởi một tiến trình. ` +
          `Hãy dừng tiến trình đó (hoặc dùng DATA_DIR khác). Nếu chắc chắn không còn tiến trình nào chạy, hãy xóa tệp ${lockFile}.`,
      );
    }
    // Stale (its process is gone) or unreadable (killed while writing it): take it over.
    rmSync(lockFile, { force: true });
  }
  return () => {
    const owner = readOwner(lockFile);
    if (owner?.pid === me.pid) rmSync(lockFile, { force: true });
  };
}
