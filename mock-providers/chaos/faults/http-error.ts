/** An HTTP error burst: each call hit is answered at once with one of the statuses, in the API's error shape. */
import { z } from 'zod';
import { defineFault } from './types.js';

export const httpError = defineFault({
  name: 'http-error',
  summary: 'answers with one of `statuses` (default 500, 502, 503) in the API error shape',
  params: z.strictObject({
    statuses: z
      .array(z.int().min(400).max(599))
      .min(1)
      .default([500, 502, 503]),
  }),
  level: 'call',
  hit: (p, _call, rng) => ({ kind: 'error', status: p.statuses[Math.floor(rng.uniform() * p.statuses.length)] ?? p.statuses[0]!, retryAfterS: null }),
});
