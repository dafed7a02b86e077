/**
 * Pacing and priority-queue metrics, per pacer (upstream or limit group, and model) and priority.
 * Labels are bounded: upstream ids, limit groups and models come from config; priorities and
 * outcomes from fixed sets.
 */
import type { Registry } from '../telemetry/registry.js';
import { LATENCY_BUCKETS_S } from '../telemetry/metrics.js';

/**
 * How a request met a pacer: `direct` (sent without waiting), `admitted` (left the queue to be
 * sent), `timeout` (its level's queue timeout passed), `cancelled` (the client left or the
 * deadline passed while queued), `full` (the level's queue was at maxDepth), `spilled` (passed
 * over for a later candidate with headroom), `forced` (P0 sent past the ceiling: nowhere better).
 */
export type QueueOutcome = 'direct' | 'admitted' | 'timeout' | 'cancelled' | 'full' | 'spilled' | 'forced';

export interface PacingMetrics {
  depth(upstream: string, model: string, priority: string, depth: number): void;
  /** time a request spent in the queue (s), on admission, timeout or cancellation */
  wait(upstream: string, model: string, priority: string, seconds: number): void;
  outcome(upstream: string, model: string, priority: string, outcome: QueueOutcome): void;
}

export function createPacingMetrics(r: Registry): PacingMetrics {
  const p = 'stormlab_gateway_';
  const labels = ['upstream', 'model', 'priority'];
  const depth = r.gauge(
    `${p}queue_depth`,
    'Requests waiting in the pacing queue, by upstream (or limit group), model and priority.',
    labels,
  );
  const wait = r.histogram(`${p}queue_wait_seconds`, 'Time requests spent in the pacing queue.', labels, LATENCY_BUCKETS_S);
  const outcomes = r.counter(
    `${p}queue_outcomes_total`,
    'How requests met the pacer: direct, admitted, timeout, cancelled, full, spilled, forced.',
    [...labels, 'outcome'],
  );
  return {
    depth: (upstream, model, priority, n) => depth.set({ upstream, model, priority }, n),
    wait: (upstream, model, priority, s) => wait.observe({ upstream, model, priority }, s),
    outcome: (upstream, model, priority, outcome) => outcomes.inc({ upstream, model, priority, outcome }),
  };
}
