/** A 429 storm: calls hit are refused as rate-limited, with `retry-after` when `retryAfterS` is set. */
import { z } from 'zod';
import { defineFault } from './types.js';

export const rateLimit = defineFault({
  name: 'rate-limit',
  summary: 'answers 429 in the API error shape; with `retryAfterS` it sends retry-after, without it none',
  params: z.strictObject({
    /** seconds; absent → no retry-after header */
    retryAfterS: z.number().positive().optional(),
  }),
  level: 'call',
  hit: (p) => ({ kind: 'error', status: 429, retryAfterS: p.retryAfterS ?? null }),
});
