/** The mock provider fleet: public API. */
export { startFleet, type RunningFleet, type StartFleetOptions } from './fleet.js';
export type { EndpointInfo } from './endpoint.js';
export {
  FleetSchema,
  ProviderSchema,
  ModelSchema,
  RegionSchema,
  PriceSchema,
  loadFleet,
  resolveFleetFile,
  builtInFleets,
  endpointId,
  type Fleet,
  type FleetInput,
  type Provider,
  type ModelConfig,
  type Region,
  type Price,
} from './fleet-schema.js';
export { createLedger, costUsd, type Ledger, type LedgerEntry, type LedgerOutcome, type LedgerSinkOption } from './ledger.js';
export { planLatency, tokenOffsets, type LatencyPlan, type CallShape, type FinishReason } from './latency.js';
export { completionPieces, messagesKey, type ContentMessage } from './content.js';
export { ENDPOINT_HEADER, REQUEST_ID_HEADER, ATTEMPT_HEADER, fingerprint, parseAttribution } from './attribution.js';
export { FORMATS, FORMAT_NAMES, type FormatName, type FormatUnit } from './formats/index.js';
