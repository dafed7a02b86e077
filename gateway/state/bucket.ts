/**
 * Token-bucket arithmetic, pure: the one definition the in-process store uses and the Redis
 * store's Lua script mirrors. A bucket is (tokens, at): its level at time `at` (epoch ms).
 */
import type { BucketSpec, BucketTake } from './store.js';

export interface Bucket {
  tokens: number;
  at: number;
}

export function takeFromBucket(
  prev: Bucket | undefined,
  cost: number,
  spec: BucketSpec,
  now: number,
  force: boolean,
): { bucket: Bucket; result: BucketTake } {
  const elapsed = prev ? Math.max(0, now - prev.at) : 0;
  const start = prev ? Math.min(spec.capacity, prev.tokens + (elapsed * spec.refillPerSecond) / 1000) : spec.capacity;
  if (force || cost <= 0 || cost <= start) {
    const tokens = Math.min(spec.capacity, start - cost);
    return { bucket: { tokens, at: now }, result: { allowed: true, remaining: tokens, retryAfterMs: 0 } };
  }
  const missing = cost - start;
  const retryAfterMs = spec.refillPerSecond > 0 ? Math.ceil((missing * 1000) / spec.refillPerSecond) : Number.POSITIVE_INFINITY;
  return { bucket: { tokens: start, at: now }, result: { allowed: false, remaining: start, retryAfterMs } };
}
