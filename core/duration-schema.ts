import { z } from 'zod';
import { DURATION_RE, parseDurationMs } from './duration.js';

/** zod schema for a duration field; accepts a k6 duration string or a number of seconds; yields milliseconds. */
export const durationMs = z.union([
  z.number().nonnegative().transform((n) => n * 1000),
  z
    .string()
    .regex(DURATION_RE, { message: 'a duration such as 500ms, 20s or 1m30s' })
    .transform((s) => parseDurationMs(s)),
]);
