/**
 * A truncated JSON body: a non-stream answer is a complete HTTP response (status 200, a matching
 * content-length) whose JSON stops at `fraction` of its bytes. Non-stream only.
 */
import { z } from 'zod';
import { defineFault } from './types.js';

export const truncatedJson = defineFault({
  name: 'truncated-json',
  summary: 'non-stream only: a 200 whose JSON body stops at `fraction` (default 0.5) of its bytes',
  params: z.strictObject({ fraction: z.number().gt(0).lt(1).default(0.5) }),
  level: 'call',
  hit: (p, call) => (call.stream ? null : { kind: 'modify', modifiers: { truncateFraction: p.fraction } }),
});
