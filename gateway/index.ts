/** The reference AI gateway: public API. */
export {
  GatewayConfigSchema,
  ListenSchema,
  UpstreamSchema,
  RouteSchema,
  TargetSchema,
  RetrySchema,
  TimeoutsSchema,
  RETRY_ON,
  type GatewayConfig,
  type GatewayConfigInput,
  type UpstreamConfig,
  type RouteConfig,
  type RetryOn,
} from './config-schema.js';
export { loadGatewayConfig, resolveGatewayConfigFile, builtInGatewayConfigs, GATEWAY_CONFIGS_DIR } from './config-load.js';
export { buildGateway, startGateway, type BuildGatewayOptions, type StartGatewayOptions, type RunningGateway } from './server.js';
export { PriceSchema, PricesSchema, priceFor, costUsd, readUsage, type Price, type Prices, type TokenUsage } from './prices.js';
export { ChatRequestSchema, parseChatRequest, type ChatRequest } from './request-schema.js';
export { STRATEGIES, STRATEGY_NAMES, type StrategyName } from './routing/registry.js';
export type { Strategy, StrategyFactory, Route, RouteTarget } from './routing/types.js';
export { FORMATS, FORMAT_NAMES, type FormatName } from './formats/registry.js';
export type { WireFormat } from './domain/format.js';
export type {
  Attempt,
  AttemptDispatch,
  AttemptInterceptor,
  AttemptOutcome,
  AttemptResult,
  CallDispatch,
  CallInterceptor,
  Upstream,
  UpstreamReply,
} from './upstream/types.js';
export { toWireError, type WireError } from './errors/wire.js';
export { PROMETHEUS_CONTENT_TYPE } from './metrics/registry.js';
export { LATENCY_BUCKETS_S } from './metrics/gateway-metrics.js';
