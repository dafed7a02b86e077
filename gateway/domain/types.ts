/**
 * The gateway's domain: upstreams, targets, routes, principals, attempts and their outcomes.
 * Types only (plus what is needed to name them); nothing here imports the rest of the gateway.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Pool } from 'undici';
import type { UpstreamError, WireFormat } from './format.js';

/** A live upstream: identity, wire format, where it listens, its connection pool. */
export interface Upstream {
  readonly id: string;
  readonly provider: string;
  readonly region: string;
  /** geographic zone (e.g. `us`, `eu`), for nearest-region routing and residency */
  readonly zone: string;
  readonly format: WireFormat;
  readonly url: string;
  /** the URL's path prefix, joined to the format's paths */
  readonly basePath: string;
  /** headers sent on every request (auth, API version) */
  readonly headers: Readonly<Record<string, string>>;
  readonly pool: Pool;
  /** the upstream can continue a given assistant prefix (assistant prefill) */
  readonly prefill: boolean;
}

/** USD per 1M tokens. */
export interface TargetPrice {
  readonly input: number;
  readonly cachedInput: number;
  readonly output: number;
}

/** Live figures per target that strategies read and the settle stage feeds. */
export interface TargetStats {
  /** requests sent to this target and not yet settled */
  inFlight: number;
  /** prompt + expected output tokens of those requests */
  inFlightTokens: number;
  /** exponential moving average of time to first content (ms); undefined until observed */
  ttftEmaMs: number | undefined;
  /** settled requests observed */
  observed: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** A circuit breaker's face towards the rest of the gateway (resilience/breaker.ts implements it). */
export interface Breaker {
  readonly state: BreakerState;
  /** may a request be sent now? In half-open, true reserves one of the bounded probe slots. */
  tryAcquire(now: number): boolean;
  /** the outcome of a request let through (`ok` false for failures that count against the target) */
  record(ok: boolean, now: number): void;
  /** release a probe slot reserved by tryAcquire without an outcome (e.g. the client left) */
  release(): void;
  /** 0 (unusable) … 1 (healthy): share of recent successes, 0 while open */
  health(now: number): number;
  /** ms until an open breaker lets probes through; 0 when it admits requests now */
  waitMs(now: number): number;
}

/** One place a route may send a request: an upstream and the model name to ask it for. */
export interface Target {
  /** `upstream id:model`, unique per gateway; used in headers, metrics and logs */
  readonly key: string;
  readonly upstream: Upstream;
  readonly model: string;
  /** lower is tried first by the priority strategy */
  readonly priority: number;
  /** share for the weighted strategy (the route's weights sum to 100) */
  readonly weight: number;
  /** a label strategies map requests to (e.g. `cheap`, `frontier`) */
  readonly group: string | undefined;
  readonly price: TargetPrice;
  /** prompt + output token window of the model, when known */
  readonly contextWindow: number | undefined;
  readonly stats: TargetStats;
  readonly breaker: Breaker;
}

/** Who is asking: resolved from the virtual API key's config, never from what the client asserts. */
export interface Principal {
  /** the key's id in config (never the key material) */
  readonly keyId: string;
  readonly tenant: string;
  readonly user: string | undefined;
  readonly tier: string;
  /** features the key may use; undefined = any */
  readonly features: readonly string[] | undefined;
  /** client model names the key may ask for; undefined = any */
  readonly models: readonly string[] | undefined;
  /** the key's home region, for nearest-region routing */
  readonly homeRegion: string | undefined;
  /** the most urgent priority level the key may use (0 = P0) */
  readonly maxPriority: number;
  /** the key may read the admin endpoints from anywhere */
  readonly admin: boolean;
}

/**
 * How one attempt ended. `ok` 2xx with content in hand; `4xx` an upstream client error (passed
 * through, never retried); `context_length` the prompt is over the model's window; `connect`
 * no connection or reset before the response; `reset` broken after the headers, before content;
 * `timeout` a connect / first-byte / first-content / idle timeout or the deadline; `5xx`;
 * `429`; `invalid` a 2xx that is not what the format promises; `aborted` the client left;
 * `skipped` not sent (breaker open, retry budget spent).
 */
export type AttemptOutcome =
  | 'ok'
  | '4xx'
  | 'context_length'
  | 'connect'
  | 'reset'
  | 'timeout'
  | '5xx'
  | '429'
  | 'invalid'
  | 'aborted'
  | 'skipped';

/** An upstream response whose status is known; its body may still be arriving. */
export interface UpstreamReply {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: AsyncIterable<Buffer>;
  /** release the connection without reading further */
  discard(): void;
}

export interface AttemptResult {
  readonly target: Target;
  /** attempts are numbered across the whole request, from 1 */
  readonly n: number;
  readonly outcome: AttemptOutcome;
  /** short cause for logs and error messages: `HTTP 503`, `ECONNREFUSED`, `no content within 5000ms` */
  readonly detail: string;
  readonly status?: number;
  /** an upstream error answer, translated */
  readonly upstreamError?: UpstreamError;
  /** from the upstream's `retry-after` (seconds or HTTP date) */
  readonly retryAfterMs?: number;
  /** ms from the attempt's start to its first content, for `ok` */
  readonly ttftMs?: number;
}
