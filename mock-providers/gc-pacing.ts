/**
 * Young-generation pacing while many calls are due. V8 scavenges when its young generation
 * (16 MB semi-spaces by default) is full; with 1,000 streams open that is every ~0.8 s, and the
 * scavenge copies everything those streams allocated meanwhile: a 5–15 ms pause, every write
 * due in it going out that late. So while the scheduler holds at least `MIN_PENDING` timers, a
 * minor GC runs whenever the young generation holds `YOUNG_LIMIT` bytes (checked at most every
 * `CHECK_EVERY_MS`, right after a batch of writes): ~1 ms pauses instead. With few calls due —
 * a non-stream throughput load — nothing changes: a small young generation for the whole process
 * (`--max-semi-space-size=1`) did the same for streams but cost that load ~15–20 % CPU per request.
 * The `gc` function comes from a fresh context with `--expose-gc` set for that moment only (no
 * global `gc`); where it is not available, pacing is off.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** pace only with at least this many timers pending (streams in flight) */
const MIN_PENDING = 32;
/** collect when the young generation holds this much */
const YOUNG_LIMIT = 512 * 1024;
/** look at most this often */
const CHECK_EVERY_MS = 5;

/** V8's gc(): a full collection, or a young-generation one with `{ type: 'minor' }` */
export type ExposedGc = (options?: { type: 'minor' | 'major' }) => void;

/** V8's gc function, taken from a fresh context with `--expose-gc` set for that moment only (no global `gc` left behind); null where that fails */
export function exposedGc(): ExposedGc | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as ExposedGc) : null;
  } catch {
    return null;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

function youngBytes(): number {
  for (const s of getHeapSpaceStatistics()) if (s.space_name === 'new_space') return s.space_used_size;
  return 0;
}

/** A hook for the scheduler: `(now, pending)` after each batch; null when GC cannot be paced here. */
export function youngGenPacer(): ((now: number, pending: number) => void) | null {
  const gc = exposedGc();
  if (!gc) return null;
  let last = -Infinity;
  return (now, pending) => {
    if (pending < MIN_PENDING || now - last < CHECK_EVERY_MS) return;
    last = now;
    if (youngBytes() >= YOUNG_LIMIT) gc({ type: 'minor' });
  };
}
