/**
 * W3C Trace Context: accept the client's `traceparent` (or start a trace), and give each
 * upstream attempt a child span id so the trace continues upstream.
 */
import { randomBytes } from 'node:crypto';

export interface TraceContext {
  readonly traceId: string;
  /** the caller's span (the parent of ours), when the client sent one */
  readonly parentId: string | undefined;
  /** this request's span id */
  readonly spanId: string;
  readonly flags: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * Random ids are cut from a pool of random bytes refilled 4 KiB at a time (as crypto.randomUUID
 * does), not from a randomBytes call each: three ids a request would otherwise be three calls into
 * OpenSSL (and three getpid system calls) on the hot path. Trace ids are not secrets.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let at = 0;
function hex(bytes: number): string {
  if (at + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    at = 0;
  }
  const out = pool.toString('hex', at, at + bytes);
  at += bytes;
  return out;
}

/** From a `traceparent` header (malformed or all-zero ids start a new trace, as the spec says). */
export function traceFrom(header: string | string[] | undefined): TraceContext {
  const value = Array.isArray(header) ? header[0] : header;
  const m = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  if (m && m[1] !== ZERO_TRACE && m[2] !== ZERO_SPAN) {
    return { traceId: m[1] as string, parentId: m[2], spanId: hex(8), flags: m[3] as string };
  }
  // one cut from the pool for both ids
  const ids = hex(24);
  return { traceId: ids.slice(0, 32), parentId: undefined, spanId: ids.slice(32), flags: '01' };
}

/** The `traceparent` to send upstream: our trace, a fresh span for the attempt. */
export function childTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${hex(8)}-${trace.flags}`;
}
