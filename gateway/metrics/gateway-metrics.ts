import { Registry, type Counter, type Gauge, type Histogram } from './registry.js';

/** Latency buckets in seconds: 5 ms … 120 s, dense where LLM TTFT and short completions sit. */
export const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];

export interface GatewayMetrics {
  readonly registry: Registry;
  /** client requests answered, by route model, HTTP status and stream flag */
  readonly requests: Counter;
  /** client request duration (until the last byte, streams included) */
  readonly duration: Histogram;
  readonly inFlight: Gauge;
  /** upstream attempts by upstream id and outcome (ok, 4xx, connect, reset, timeout, 5xx, 429, invalid, aborted) */
  readonly attempts: Counter;
  /** moves from a failed attempt to the next one, by the upstream left and why */
  readonly failovers: Counter;
  /** streams that ended without [DONE] after the client had started receiving them */
  readonly truncations: Counter;
  readonly tokens: Counter;
  readonly costUsd: Counter;
}

export function createGatewayMetrics(): GatewayMetrics {
  const r = new Registry();
  return {
    registry: r,
    requests: r.counter('stormlab_gateway_requests_total', 'Client requests answered, by route model and HTTP status.', ['model', 'status', 'stream']),
    duration: r.histogram(
      'stormlab_gateway_request_duration_seconds',
      'Client request duration until the last byte was sent.',
      ['model', 'stream'],
      LATENCY_BUCKETS_S,
    ),
    inFlight: r.gauge('stormlab_gateway_requests_in_flight', 'Chat requests being served right now.'),
    attempts: r.counter('stormlab_gateway_upstream_attempts_total', 'Upstream attempts, by upstream and outcome.', ['upstream', 'outcome']),
    failovers: r.counter('stormlab_gateway_failovers_total', 'Moves to another attempt after a failed one, by the upstream left and the reason.', [
      'from',
      'reason',
    ]),
    truncations: r.counter('stormlab_gateway_stream_truncations_total', 'Client streams cut short by an upstream failure.', ['upstream', 'reason']),
    tokens: r.counter('stormlab_gateway_tokens_total', 'Tokens reported by upstreams, by kind (input, cached_input, output).', [
      'upstream',
      'model',
      'kind',
    ]),
    costUsd: r.counter('stormlab_gateway_cost_usd_total', 'Upstream cost in USD by the gateway price table.', ['upstream', 'model']),
  };
}
