/** The registry of fault units: one per name in names.ts, one file each. Pure (the scenario schema imports it). */
import { httpError } from './http-error.js';
import { latency } from './latency.js';
import { malformedSse } from './malformed-sse.js';
import type { FaultName } from './names.js';
import { outageHang } from './outage-hang.js';
import { outageRefuse } from './outage-refuse.js';
import { rateLimit } from './rate-limit.js';
import { slowStream } from './slow-stream.js';
import { streamCut } from './stream-cut.js';
import { truncatedJson } from './truncated-json.js';
import type { FaultUnit } from './types.js';

export const FAULTS = {
  'outage-refuse': outageRefuse,
  'outage-hang': outageHang,
  'http-error': httpError,
  'rate-limit': rateLimit,
  latency,
  'slow-stream': slowStream,
  'stream-cut': streamCut,
  'malformed-sse': malformedSse,
  'truncated-json': truncatedJson,
} as const satisfies Record<FaultName, FaultUnit>;

export { FAULT_NAMES, type FaultName } from './names.js';
export type * from './types.js';
