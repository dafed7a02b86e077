/** A slow stream: every inter-token gap is multiplied (a non-stream answer is late by as much). */
import { z } from 'zod';
import { defineFault } from './types.js';

export const slowStream = defineFault({
  name: 'slow-stream',
  summary: 'multiplies every inter-token gap by `multiplier` (default 4)',
  params: z.strictObject({ multiplier: z.number().positive().default(4) }),
  level: 'call',
  hit: (p) => ({ kind: 'modify', modifiers: { itlMultiplier: p.multiplier } }),
});
