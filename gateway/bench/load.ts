/**
 * The load generator, kept cheap: an undici Pool with a fixed number of connections, `concurrency`
 * closed loops (each sends its next request when the previous answer has been read in full), for
 * a fixed time. Every answer is checked (status 200; a stream must end with `data: [DONE]`), and
 * its latency — request start to the last byte read — kept in microseconds.
 */
import { performance } from 'node:perf_hooks';
import type { Pool } from 'undici';

export interface Shot {
  path: string;
  headers: Record<string, string>;
  /** the same body each time, or a fresh one per request */
  body: string | (() => string);
  /** the answer is an SSE stream that must end with [DONE] */
  stream: boolean;
}

export interface Cell {
  requests: number;
  errors: number;
  /** the first error seen, for the printout */
  firstError?: string;
  durationMs: number;
  /** latencies, µs, sorted */
  latencyUs: Float64Array;
}

const DONE = 'data: [DONE]\n\n';

async function once(pool: Pool, shot: Shot): Promise<string | undefined> {
  const body = typeof shot.body === 'string' ? shot.body : shot.body();
  const res = await pool.request({ method: 'POST', path: shot.path, headers: shot.headers, body });
  const text = await res.body.text();
  if (res.statusCode !== 200) return `HTTP ${res.statusCode}: ${text.slice(0, 200)}`;
  if (shot.stream && !text.endsWith(DONE)) return `stream without [DONE]: …${text.slice(-200)}`;
  return undefined;
}

/** Run `concurrency` closed loops against `pool` for `durationMs`. */
export async function closedLoop(pool: Pool, shot: Shot, concurrency: number, durationMs: number): Promise<Cell> {
  let latency = new Float64Array(1 << 14);
  let requests = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const end = started + durationMs;
  const loop = async (): Promise<void> => {
    for (let t0 = performance.now(); t0 < end; t0 = performance.now()) {
      let error: string | undefined;
      try {
        error = await once(pool, shot);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      if (error !== undefined) {
        errors += 1;
        firstError ??= error;
        continue;
      }
      if (requests === latency.length) {
        const grown = new Float64Array(latency.length * 2);
        grown.set(latency);
        latency = grown;
      }
      latency[requests++] = (performance.now() - t0) * 1000;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const durationMs_ = performance.now() - started;
  return { requests, errors, firstError, durationMs: durationMs_, latencyUs: latency.slice(0, requests).sort() };
}

/** The q-quantile (0–1) of sorted values, nearest rank; NaN when empty. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
