/**
 * The seeded latency and length model of one call. Draw order is fixed (TTFT, output length,
 * then one gap per token after the first), so one Rng stream and one request order always give
 * the same plan.
 */
import { sample, sampleInt } from '../core/distributions.js';
import type { Rng } from '../core/random.js';
import type { ModelConfig } from './fleet-schema.js';

export interface CallShape {
  /** the region's latencyMultiplier (scales the TTFT draw only: distance, not decoding speed) */
  regionMultiplier: number;
  promptTokens: number;
  /** the request's max_tokens; null/undefined → the model's maxOutputTokens */
  maxTokens?: number | null;
}

export type FinishReason = 'stop' | 'length';

export interface LatencyPlan {
  /** request arrival → first content token */
  ttftMs: number;
  /** gap before each output token after the first (length outputTokens − 1) */
  itlMs: number[];
  outputTokens: number;
  /** `length` when the drawn completion was cut by max_tokens (or the model cap) */
  finishReason: FinishReason;
}

export type LatencyModel = Pick<ModelConfig, 'ttftMs' | 'itlMs' | 'outputTokens' | 'prefillMsPerInputToken' | 'maxOutputTokens'>;

export function planLatency(model: LatencyModel, shape: CallShape, rng: Rng): LatencyPlan {
  const ttftMs = sample(model.ttftMs, rng) * shape.regionMultiplier + model.prefillMsPerInputToken * shape.promptTokens;
  const drawn = sampleInt(model.outputTokens, rng);
  const cap = Math.max(1, Math.floor(shape.maxTokens ?? model.maxOutputTokens));
  const outputTokens = Math.min(cap, drawn);
  const itlMs = new Array<number>(outputTokens - 1);
  for (let i = 0; i < itlMs.length; i++) itlMs[i] = sample(model.itlMs, rng);
  return { ttftMs, itlMs, outputTokens, finishReason: drawn > cap ? 'length' : 'stop' };
}

export interface OffsetOptions {
  /** ms added before the first token (time spent queueing for a slot) */
  delayMs?: number;
  /** scales the TTFT (a latency brownout) */
  ttftMultiplier?: number;
  /** scales every gap (load past the capacity knee, a slow-stream fault) */
  itlMultiplier?: number;
}

/** Due time of every output token, in ms after arrival: [delay + ttft, … + itl0, …]. */
export function tokenOffsets(plan: LatencyPlan, o: OffsetOptions = {}): Float64Array {
  const out = new Float64Array(plan.outputTokens);
  const k = o.itlMultiplier ?? 1;
  let t = (o.delayMs ?? 0) + plan.ttftMs * (o.ttftMultiplier ?? 1);
  out[0] = t;
  for (let i = 1; i < out.length; i++) {
    t += (plan.itlMs[i - 1] ?? 0) * k;
    out[i] = t;
  }
  return out;
}
