/** A latency brownout: the time to first token is multiplied (queueing excluded). */
import { z } from 'zod';
import { defineFault } from './types.js';

export const latency = defineFault({
  name: 'latency',
  summary: 'multiplies the time to first token by `multiplier` (default 3)',
  params: z.strictObject({ multiplier: z.number().positive().default(3) }),
  level: 'call',
  hit: (p) => ({ kind: 'modify', modifiers: { ttftMultiplier: p.multiplier } }),
});
