/** The reference AI gateway: public API. */
export { GatewayConfigSchema, ListenSchema, RequestLimitsSchema, type GatewayConfig, type GatewayConfigInput } from './config/schema.js';
export { UpstreamSchema, type UpstreamConfig } from './config/upstream.js';
export { RouteSchema, TargetSchema, type RouteConfig } from './config/route.js';
export { KeySchema, type KeyConfig } from './config/keys.js';
export { TimeoutsSchema, type Timeouts } from './config/timeouts.js';
export {
  loadGatewayConfig,
  resolveGatewayConfigFile,
  builtInGatewayConfigs,
  builtInStrategyConfigs,
  GATEWAY_CONFIGS_DIR,
  STRATEGY_CONFIGS_DIR,
} from './config/load.js';
export { buildGateway, startGateway, type BuildGatewayOptions, type StartGatewayOptions, type RunningGateway } from './server.js';
export { PriceSchema, PricesSchema, priceFor, costUsd, readUsage, type Price, type Prices, type TokenUsage } from './prices.js';
export { ChatRequestSchema, EmbeddingsRequestSchema, type ChatRequest, type EmbeddingsRequest } from './domain/request.js';
export { STRATEGY_UNITS, STRATEGY_NAMES, StrategyConfigSchema, type StrategyName, type StrategyConfig } from './routing/registry.js';
export { FORMATS, FORMAT_NAMES } from './formats/registry.js';
export type { WireFormat, FormatName, StreamItem, StreamDecoder } from './domain/format.js';
export type { Target, Upstream, Principal, AttemptOutcome, AttemptResult } from './domain/types.js';
export type { Route } from './domain/route.js';
export { toWireError, type WireError } from './http/wire-error.js';
export { PROMETHEUS_CONTENT_TYPE } from './telemetry/registry.js';
export { LATENCY_BUCKETS_S } from './telemetry/metrics.js';
