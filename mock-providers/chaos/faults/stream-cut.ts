/**
 * A stream cut mid-answer: after `afterTokens` output tokens the connection is closed without the
 * end of the stream. A non-stream answer is cut the same way: the headers promise the whole body,
 * the connection closes after the share of it those tokens make.
 */
import { z } from 'zod';
import { defineFault } from './types.js';

export const streamCut = defineFault({
  name: 'stream-cut',
  summary: 'closes the connection after `afterTokens` output tokens (default 3), mid-answer',
  params: z.strictObject({ afterTokens: z.int().nonnegative().default(3) }),
  level: 'call',
  hit: (p) => ({ kind: 'modify', modifiers: { cutAfterTokens: p.afterTokens } }),
});
