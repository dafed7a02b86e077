/**
 * Grow the process's file-descriptor table before the load comes. Linux doubles the table when a
 * descriptor past its end is opened (at 256, 512, 1024, … open sockets), and in a multi-threaded
 * process — every Node process — each growth waits for an RCU grace period: the thread that
 * accepts that connection stalls for milliseconds (5–25 ms measured on a 2-core VM), and every
 * token due meanwhile goes out late, once per power of two. Opening and closing descriptors up to
 * the expected count once, in a worker thread (the event loop never stalls), takes that cost at
 * start-up. Linux only (elsewhere a no-op); capped below the soft `ulimit -n`.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** descriptors left free under the soft limit */
const LIMIT_MARGIN = 64;
/** never more than this, whatever the limit */
const MAX_RESERVE = 1 << 20;

/** the first capture of `pattern` in /proc/self/<file>, as a number (null when unreadable) */
function procNumber(file: string, pattern: RegExp): number | null {
  try {
    const m = pattern.exec(readFileSync(`/proc/self/${file}`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** how many descriptors the process's table holds now (null when unknown: not Linux) */
export function fdTableSize(): number | null {
  return process.platform === 'linux' ? procNumber('status', /^FDSize:\s+(\d+)/m) : null;
}

const WORKER = `
const { openSync, closeSync } = require('node:fs');
const { workerData: top } = require('node:worker_threads');
const fds = [];
try {
  for (;;) {
    const fd = openSync('/dev/null', 'r');
    fds.push(fd);
    if (fd >= top) break;
  }
} catch {
  // out of descriptors after all: the table grew as far as it could
}
for (const fd of fds) closeSync(fd);
`;

/**
 * Make room for descriptors up to `count` (capped by the soft limit). Best effort, never throws:
 * resolves with the table size after (null when not on Linux); a table already big enough costs
 * two reads of /proc.
 */
export async function reserveFds(count: number): Promise<number | null> {
  const size = fdTableSize();
  if (size === null || !(count > 0)) return size;
  const limit = procNumber('limits', /^Max open files\s+(\d+)/m) ?? MAX_RESERVE;
  const top = Math.min(count, limit - LIMIT_MARGIN, MAX_RESERVE) - 1;
  if (top < size) return size;
  await new Promise<void>((resolve) => {
    const w = new Worker(WORKER, { eval: true, workerData: top });
    w.once('error', () => resolve());
    w.once('exit', () => resolve());
  });
  return fdTableSize();
}
