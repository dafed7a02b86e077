/**
 * The k6 entry: esbuild bundles it per spec (scenarios/bundle.ts), the spec inlined through the
 * virtual module `stormlab:spec`, the workload data through its JSON import. Iteration
 * `iterationInTest` is planned exactly as the native driver plans it and records the same
 * metrics and tags; a conversation's turns run one after another in the same iteration.
 *
 * TTFT: stock k6 sees a streamed body whole, so `ttft` is time to first byte and every ttft point
 * says so (`ttft_def: first-byte`); a bundle built with `{ sse: true }` for a k6 with xk6-sse
 * times the first content event (`ttft_def: first-content-chunk`). See ./send.ts.
 * Under stock k6 a truncated stream counts in k6's own `http_req_failed` as a success; our metrics
 * tag it `error: truncated_stream`. Streams sent through xk6-sse add their own `http_req_failed`
 * point, failures of every kind included (./send.ts).
 *
 * Env: STORMLAB_TARGET (base URL; defaults to the spec's `target.url`), STORMLAB_HEADERS (JSON
 * object of extra request headers, optional).
 */
import exec from 'k6/execution';
import { sleep } from 'k6';
import { Counter, Rate, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import spec from 'stormlab:spec';
import { buildK6Options } from '../k6-options.js';
import { outcomeSamples } from '../outcome.js';
import { REQUEST_ID_METADATA, type MetricName } from '../samples.js';
import { hasNextTurn, intentOfRequestId, nextTurn, planRequest } from '../workload.js';
import { send, TTFT_DEF, type SendTarget } from './send.js';

export const options: Options = buildK6Options(spec);

if (spec.arrival.executor !== 'constant-vus' && spec.arrival.poisson) {
  console.warn(`spec ${spec.name}: k6 has no Poisson executor; this bundle starts iterations evenly at the same rate`);
}

const base = (__ENV.STORMLAB_TARGET || ('url' in spec.target ? spec.target.url : '')).replace(/\/+$/, '');
if (!base) throw new Error('set STORMLAB_TARGET to the base URL of the system under test');
const target: SendTarget = {
  url: `${base}/v1/chat/completions`,
  headers: {
    ...('headers' in spec.target ? spec.target.headers : {}),
    ...(__ENV.STORMLAB_HEADERS ? (JSON.parse(__ENV.STORMLAB_HEADERS) as Record<string, string>) : {}),
  },
  timeoutMs: spec.timeout,
};

const metrics: Partial<Record<MetricName, Trend | Counter | Rate>> = {
  ttft: new Trend('ttft', true),
  e2e: new Trend('e2e', true),
  itl: new Trend('itl', true),
  tokens_in: new Counter('tokens_in'),
  tokens_out: new Counter('tokens_out'),
  cost_usd: new Counter('cost_usd'),
  attempts: new Trend('attempts'),
  queue_ms: new Trend('queue_ms', true),
  cache_hit: new Rate('cache_hit'),
  cache_false_hit: new Rate('cache_false_hit'),
  residency_violation: new Rate('residency_violation'),
};

export default function (): void {
  let plan = planRequest(spec, exec.scenario.iterationInTest);
  for (;;) {
    // every sample of this request carries its id as metadata (the report joins it to the ledger)
    exec.vu.metrics.metadata[REQUEST_ID_METADATA] = plan.id;
    const { outcome, answer } = send(plan, target);
    const source = outcome.who?.cacheSource;
    if (source && outcome.intent) outcome.cacheSourceIntent = intentOfRequestId(spec, source);
    for (const s of outcomeSamples(outcome, TTFT_DEF)) metrics[s.metric]?.add(s.value, s.tags);
    // a conversation goes on only after a good answer
    if (outcome.failure || !hasNextTurn(plan) || !plan.conversation) return;
    sleep(plan.conversation.thinkTimeMs / 1000);
    plan = nextTurn(spec, plan, answer);
  }
}
