/** What the stages need from the running gateway, built once by app.ts. */
import type { Route } from '../domain/route.js';
import type { Target } from '../domain/types.js';
import type { KeyStore } from './keys.js';
import type { RetryBudget } from '../resilience/retry-budget.js';
import type { RetryConfig } from '../resilience/retry-config.js';
import type { CoolDowns } from '../resilience/cooldown.js';
import type { Accountant } from '../telemetry/accounting.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import type { GatewayConfig } from '../config/schema.js';
import type { Budgets } from '../admission/budgets.js';
import type { RateLimits } from '../admission/rate-limits.js';
import type { ResidencyTable } from '../admission/residency.js';
import type { SharedStore } from '../state/store.js';
import type { CacheRuntime } from '../cache/build.js';
import type { PacingTable } from '../pacing/gate.js';

export interface PipelineDeps {
  readonly routes: ReadonlyMap<string, Route>;
  /** the routed model names, quoted, for error messages */
  readonly routeNames: string;
  readonly keys: KeyStore;
  readonly limits: GatewayConfig['requests'];
  readonly retry: RetryConfig;
  readonly budget: RetryBudget;
  readonly cooldowns: CoolDowns;
  readonly metrics: GatewayMetrics;
  readonly account: Accountant;
  /** shared state (budgets' spend, attribution): in process, or shared between instances */
  readonly store: SharedStore;
  readonly budgets: Budgets;
  /** token-bucket rate limits over the store */
  readonly rateLimits: RateLimits;
  readonly residency: ResidencyTable;
  /** the response cache, when the config has one */
  readonly cache?: CacheRuntime;
  /** pacers below upstreams' known RPM/TPM, with their priority queues */
  readonly pacing: PacingTable;
  /** uniform [0, 1) for jitter */
  readonly random: () => number;
  /** ms until a target may be tried again (breaker cool-down or 429 cool-down), 0 if now */
  waitMs(target: Target, now: number): number;
}
