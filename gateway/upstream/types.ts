import type { IncomingHttpHeaders } from 'node:http';
import type { Pool } from 'undici';
import type { WireFormat } from '../domain/format.js';
import type { RouteTarget } from '../routing/types.js';
import type { Call } from './call.js';

/** A live upstream: its identity, wire format, resolved URL and connection pool. */
export interface Upstream {
  readonly id: string;
  readonly provider: string;
  readonly region: string;
  readonly format: WireFormat;
  readonly url: string;
  /** request path of the chat endpoint (URL path prefix + format path) */
  readonly chatPath: string;
  /** headers sent on every request (auth) */
  readonly headers: Readonly<Record<string, string>>;
  readonly pool: Pool;
}

/**
 * How one attempt ended, as the retry policy and the metrics see it.
 * `ok` 2xx with body bytes in hand; `4xx` an upstream client error (passed through, never retried);
 * `connect` no connection (refused, unreachable, connect timeout) or reset before the response;
 * `reset` the connection broke after the headers but before the first body bytes; `timeout` no
 * headers or no body bytes within `firstByteMs`, or the call's `totalMs` ran out;
 * `invalid` a 2xx whose body was not what the format promises; `aborted` the call was cancelled.
 */
export type AttemptOutcome = 'ok' | '4xx' | 'connect' | 'reset' | 'timeout' | '5xx' | '429' | 'invalid' | 'aborted';

/** An upstream response whose status is known; its body may still be arriving. */
export interface UpstreamReply {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  /** the body bytes not yet consumed (replays anything read ahead) */
  readonly body: AsyncIterable<Buffer>;
  /** the whole body, when it was read before the attempt was committed (non-stream 2xx, 4xx) */
  readonly text?: string;
  /** `text` parsed, for a non-stream 2xx */
  readonly json?: unknown;
  /** release the connection without reading further */
  discard(): void;
}

/** One try of one target for one call; `n` counts attempts across the whole call, from 1. */
export interface Attempt {
  readonly call: Call;
  readonly target: RouteTarget;
  readonly n: number;
}

export interface AttemptResult {
  readonly attempt: Attempt;
  readonly outcome: AttemptOutcome;
  readonly reply?: UpstreamReply;
  /** short cause for logs and error messages: `HTTP 503`, `ECONNREFUSED`, `first byte after 30000ms` */
  readonly detail: string;
  readonly error?: unknown;
  /** from an upstream `retry-after` header */
  readonly retryAfterMs?: number;
}

/**
 * The composable steps. An attempt step wraps the one below it, as undici interceptors wrap
 * `dispatch`; the failover step turns a call into attempts; call steps wrap the whole call
 * (cache, budgets, rate limits, queues go there).
 */
export type AttemptDispatch = (attempt: Attempt) => Promise<AttemptResult>;
export type AttemptInterceptor = (next: AttemptDispatch) => AttemptDispatch;
export type CallDispatch = (call: Call) => Promise<AttemptResult>;
export type CallInterceptor = (next: CallDispatch) => CallDispatch;
