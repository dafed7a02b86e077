/**
 * The names of the fault units, kebab-case. Kept apart from the units so that a schema can list
 * them without importing any behaviour; faults/index.ts maps every name here to its unit (the
 * compiler refuses a name without one).
 */
export const FAULT_NAMES = [
  'outage-refuse',
  'outage-hang',
  'http-error',
  'rate-limit',
  'latency',
  'slow-stream',
  'stream-cut',
  'malformed-sse',
  'truncated-json',
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];
