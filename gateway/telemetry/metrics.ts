/**
 * The gateway's Prometheus metrics. Label values are bounded: route and model names, upstream
 * ids and regions from config, outcomes and statuses from fixed sets — never request ids or keys.
 */
import { Registry, type Counter, type Gauge, type Histogram } from './registry.js';

/** Latency buckets in seconds: 5 ms … 120 s, dense where LLM TTFT and short completions sit. */
export const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];

export interface GatewayMetrics {
  readonly registry: Registry;
  /** client requests answered, by route model, HTTP status and stream flag */
  readonly requests: Counter;
  /** client request duration (until the last byte, streams included) */
  readonly duration: Histogram;
  /** time to the first content sent to the client, by route and the target that served it */
  readonly ttft: Histogram;
  readonly inFlight: Gauge;
  /** which route, strategy and target served each answered request */
  readonly decisions: Counter;
  /** upstream attempts by upstream, model and outcome */
  readonly attempts: Counter;
  /** moves from a failed attempt to the next target, by the upstream left and why */
  readonly failovers: Counter;
  /** client streams ended with an error event after content had gone out */
  readonly truncations: Counter;
  /** answers continued on a fallback after their stream was cut */
  readonly continuations: Counter;
  /** cascade answers passed over for low confidence, by route and the models escalated between */
  readonly escalations: Counter;
  /** breaker state per target: 0 closed, 1 half-open, 2 open */
  readonly breakerState: Gauge;
  readonly breakerTransitions: Counter;
  /** 0 (unusable) … 1 (healthy) per target: the breaker's share of recent successes */
  readonly health: Gauge;
  /** requests that could not retry because the retry budget was spent */
  readonly retryBudgetExhausted: Counter;
  readonly tokens: Counter;
  readonly costUsd: Counter;
}

export function createGatewayMetrics(): GatewayMetrics {
  const r = new Registry();
  const p = 'stormlab_gateway_';
  return {
    registry: r,
    requests: r.counter(`${p}requests_total`, 'Client requests answered, by route model and HTTP status.', ['model', 'status', 'stream']),
    duration: r.histogram(`${p}request_duration_seconds`, 'Client request duration until the last byte was sent.', ['model', 'stream'], LATENCY_BUCKETS_S),
    ttft: r.histogram(`${p}ttft_seconds`, 'Time to the first content sent to the client.', ['model', 'provider', 'region'], LATENCY_BUCKETS_S),
    inFlight: r.gauge(`${p}requests_in_flight`, 'Chat requests being served right now.'),
    decisions: r.counter(`${p}routing_decisions_total`, 'Answered requests by route, strategy and serving target.', [
      'model',
      'strategy',
      'provider',
      'region',
      'target_model',
    ]),
    attempts: r.counter(`${p}upstream_attempts_total`, 'Upstream attempts, by upstream, model and outcome.', ['upstream', 'model', 'outcome']),
    failovers: r.counter(`${p}failovers_total`, 'Moves to another target after a failed attempt, by the upstream left and the reason.', [
      'from',
      'to',
      'reason',
    ]),
    truncations: r.counter(`${p}stream_truncations_total`, 'Client streams ended with an error event after content had gone out.', ['upstream', 'reason']),
    continuations: r.counter(`${p}stream_continuations_total`, 'Cut answers continued on a fallback with assistant prefill.', ['from', 'to']),
    escalations: r.counter(`${p}cascade_escalations_total`, 'Cascade answers passed over for low confidence.', ['model', 'from', 'to']),
    breakerState: r.gauge(`${p}breaker_state`, 'Circuit breaker state per target: 0 closed, 1 half-open, 2 open.', ['upstream', 'model']),
    breakerTransitions: r.counter(`${p}breaker_transitions_total`, 'Circuit breaker state changes.', ['upstream', 'model', 'to']),
    health: r.gauge(`${p}target_health`, 'Health per target, 0 (unusable) to 1: recent successes, 0 while the breaker is open.', [
      'upstream',
      'model',
    ]),
    retryBudgetExhausted: r.counter(`${p}retry_budget_exhausted_total`, 'Retries refused because the gateway retry budget was spent.'),
    tokens: r.counter(`${p}tokens_total`, 'Tokens reported by upstreams, by kind (input, cached_input, output).', ['upstream', 'model', 'kind']),
    costUsd: r.counter(`${p}cost_usd_total`, 'Upstream cost in USD by the gateway price table.', ['upstream', 'model']),
  };
}
