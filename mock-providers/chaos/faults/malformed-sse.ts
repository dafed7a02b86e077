/** A malformed SSE chunk: the event of output token `atToken` is sent with its JSON broken; the stream goes on. Streams only. */
import { z } from 'zod';
import { defineFault } from './types.js';

export const malformedSse = defineFault({
  name: 'malformed-sse',
  summary: 'streams only: the event of output token `atToken` (default 1) carries broken JSON',
  params: z.strictObject({ atToken: z.int().nonnegative().default(1) }),
  level: 'call',
  hit: (p, call) => (call.stream ? { kind: 'modify', modifiers: { malformedAt: p.atToken } } : null),
});
