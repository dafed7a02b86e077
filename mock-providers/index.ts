/** The mock provider fleet: public API. */
export { startFleet, type RunningFleet, type StartFleetOptions } from './fleet.js';
export { reserveFds, fdTableSize } from './fd-table.js';
export type { EndpointInfo } from './endpoint.js';
export {
  FleetSchema,
  ProviderSchema,
  ModelSchema,
  EmbeddingModelSchema,
  RegionSchema,
  PriceSchema,
  RateLimitsSchema,
  CapacitySchema,
  loadFleet,
  resolveFleetFile,
  builtInFleets,
  endpointId,
  fleetNames,
  type Fleet,
  type FleetInput,
  type Provider,
  type ModelConfig,
  type EmbeddingModelConfig,
  type Region,
  type Price,
  type RateLimits,
  type Capacity,
} from './fleet-schema.js';
export {
  ChaosTimelineSchema,
  ChaosEventSchema,
  ChaosScopeSchema,
  FaultSpecSchema,
  FAULT_NAMES,
  type ChaosEvent,
  type ChaosTimeline,
  type ChaosTimelineInput,
  type ChaosScope,
  type FaultSpec,
  type FaultSpecInput,
  type FaultName,
  type FaultParams,
} from './chaos/timeline-schema.js';
export { FAULTS } from './chaos/faults/index.js';
export { loadTimeline } from './chaos/load-timeline.js';
export type { FaultInfo } from './chaos/engine.js';
export type { ChaosLogEntry, ChaosLogOption, FaultSource, StopReason } from './chaos/chaos-log.js';
export type { ControlOptions } from './control/server.js';
export { isLoopbackAddress } from './control/loopback.js';
export { createLedger, costUsd, type Ledger, type LedgerEntry, type LedgerOutcome, type LedgerSinkOption } from './ledger.js';
export { planLatency, tokenOffsets, type LatencyPlan, type CallShape, type FinishReason } from './latency.js';
export { completionPieces, messagesKey, type ContentMessage } from './content.js';
export { embed, cosine } from './embeddings/embed.js';
export { ENDPOINT_HEADER, REQUEST_ID_HEADER, ATTEMPT_HEADER, fingerprint, parseAttribution } from './attribution.js';
export { FORMATS, FORMAT_NAMES, type FormatName, type FormatUnit } from './formats/index.js';
