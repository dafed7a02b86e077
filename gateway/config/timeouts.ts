/** `timeouts:` (gateway-wide) and `routes[].timeouts` (per route, over the gateway's). */
import { z } from 'zod';

const ms = z.int().positive().max(3_600_000);

export const TimeoutsSchema = z.strictObject({
  /** TCP connect to an upstream */
  connectMs: ms.default(2000),
  /** per attempt: until the upstream's response headers */
  firstByteMs: ms.default(30_000),
  /** per attempt: until the first content-bearing event (a role-only chunk does not count) */
  ttftMs: ms.default(30_000),
  /** the longest silence between two chunks of a body */
  idleMs: ms.default(30_000),
  /** the whole request: all attempts and the full (streamed) response */
  totalMs: ms.default(120_000),
});
export type Timeouts = z.output<typeof TimeoutsSchema>;

/** A route's overrides: any subset. */
export const TimeoutOverridesSchema = TimeoutsSchema.partial();
