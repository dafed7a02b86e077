/**
 * How a request ended, as samples: the one place both runners (native driver, k6 entry) turn a
 * response into the custom metrics and the `status`/`provider`/`region`/`cache`/`error` tags, so
 * their outputs agree. Pure TS (k6-safe).
 */
import { CHARS_PER_TOKEN } from '../core/tokens.js';
import { readCompletion, type Attribution, type Served, type StreamAccumulator, type Usage } from './response.js';
import { TTFT_DEF_TAG, type MetricName, type TtftDefinition } from './samples.js';
import type { RequestTags } from './workload.js';

/** The `error` tag values. Absent on success. */
export type FailureKind =
  | 'connect' // no connection (refused, DNS, connect timeout)
  | 'timeout' // the spec's per-request timeout elapsed
  | 'network' // the connection broke outside a stream body
  | 'http_4xx'
  | 'http_5xx'
  | 'truncated_stream' // a stream ended or broke before `data: [DONE]`
  | 'stream_error' // the stream carried an `error` object
  | 'bad_body' // a 2xx body that is not a chat completion
  | 'aborted'; // the run was stopped

export function httpFailure(status: number): FailureKind | undefined {
  if (status >= 500) return 'http_5xx';
  if (status >= 400) return 'http_4xx';
  return undefined;
}

/** Tags of every sample of a finished request. `status` is the HTTP status, `0` when none arrived. */
export function outcomeTags(
  base: RequestTags,
  status: number,
  who: Pick<Attribution, 'provider' | 'region' | 'cache'> | undefined,
  failure: FailureKind | undefined,
): Record<string, string> {
  const tags: Record<string, string> = { ...base, status: String(status) };
  if (who?.provider) tags.provider = who.provider;
  if (who?.region) tags.region = who.region;
  if (who?.cache) tags.cache = who.cache;
  if (failure) tags.error = failure;
  return tags;
}

/** A finished request as the runner measured it. Times in ms. */
export interface Outcome {
  /** the `x-request-id` sent (the key the mock ledger records) */
  requestId?: string;
  tags: RequestTags;
  stream: boolean;
  /** the drawn prompt size, the fallback for tokens_in when the response has no usage */
  promptTokens: number;
  status: number;
  failure?: FailureKind;
  /** absent when no response arrived */
  who?: Attribution;
  usage?: Usage;
  /** characters of content received, the fallback for tokens_out */
  textLength: number;
  ttftMs?: number;
  itlMs?: number;
  e2eMs?: number;
  /** residency: regions allowed to serve it */
  allowedRegions?: readonly string[];
  /** the request's intent label, and that of the request whose cached answer was reused */
  intent?: string;
  cacheSourceIntent?: string;
}

export interface Sample {
  metric: MetricName;
  value: number;
  tags: Record<string, string>;
}

/**
 * The custom-metric samples of an outcome (k6 emits http_reqs/http_req_failed/http_req_duration
 * itself; the driver adds those). Rules, the same in both runners:
 * - e2e, ttft, itl: successful requests only; ttft and itl for streams only;
 * - attempts, cache_hit: whenever a response arrived; queue_ms when the gateway said how long it queued it;
 * - tokens_in/out: from `usage` when the response has it, else (successes only) the drawn prompt
 *   size and the received text / 4;
 * - cost_usd: only when the response carried `usage.cost_usd`;
 * - residency_violation: when the class has a residency and the response names its region;
 * - cache_false_hit: on cache hits of an intent-labelled request whose source intent is known.
 */
export function outcomeSamples(o: Outcome, ttftDefinition: TtftDefinition): Sample[] {
  const tags = outcomeTags(o.tags, o.status, o.who, o.failure);
  const out: Sample[] = [];
  const add = (metric: MetricName, value: number | undefined, t = tags): void => {
    if (value !== undefined && Number.isFinite(value)) out.push({ metric, value, tags: t });
  };
  if (!o.failure) {
    add('e2e', o.e2eMs);
    if (o.stream) {
      add('ttft', o.ttftMs, { ...tags, [TTFT_DEF_TAG]: ttftDefinition });
      add('itl', o.itlMs);
    }
  }
  if (o.who) {
    add('attempts', o.who.attempts);
    add('queue_ms', o.who.queueMs);
    const hit = o.who.cache !== undefined && o.who.cache !== 'miss';
    add('cache_hit', hit ? 1 : 0);
    if (hit && o.intent !== undefined && o.cacheSourceIntent !== undefined) add('cache_false_hit', o.cacheSourceIntent === o.intent ? 0 : 1);
    if (o.allowedRegions && o.who.region) add('residency_violation', o.allowedRegions.includes(o.who.region) ? 0 : 1);
  }
  if (o.usage) {
    add('tokens_in', o.usage.promptTokens);
    add('tokens_out', o.usage.completionTokens);
    add('cost_usd', o.usage.costUsd);
  } else if (!o.failure) {
    add('tokens_in', o.promptTokens);
    add('tokens_out', Math.ceil(o.textLength / CHARS_PER_TOKEN));
  }
  return out;
}

/** A stream's events folded into the outcome; `truncated_stream` / `stream_error` decided here for every runner. */
export function finishStream(o: Outcome, acc: StreamAccumulator): Served | undefined {
  o.usage = acc.usage;
  o.textLength = acc.textLength;
  if (acc.error !== undefined) o.failure = 'stream_error';
  else if (!acc.done) o.failure = 'truncated_stream';
  return acc.served;
}

/** A whole (non-stream) answer body read into the outcome; a body that is not a completion is `bad_body`. */
export function finishCompletion(o: Outcome, body: string): { served?: Served; text: string } {
  try {
    const c = readCompletion(JSON.parse(body));
    o.usage = c.usage;
    o.textLength = c.text.length;
    return { served: c.served, text: c.text };
  } catch {
    o.failure = 'bad_body';
    return { text: '' };
  }
}
