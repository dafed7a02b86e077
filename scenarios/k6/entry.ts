/**
 * The k6 entry: esbuild bundles it per spec (scenarios/bundle.ts), the spec inlined through the
 * virtual module `stormlab:spec`. It plans request `iterationInTest` exactly as the native driver
 * does and records the same metrics and tags.
 *
 * What stock k6 cannot see: it receives a streamed body whole, so
 * - `ttft` is TIME TO FIRST BYTE (`res.timings.waiting`), not the first content chunk; every ttft
 *   point carries the tag `ttft_def: first-byte` so the report states the definition it used;
 * - `itl` is `res.timings.receiving` (first byte → last byte) spread over the gaps between the
 *   content chunks: a per-request mean, like the driver's, but from byte timing;
 * - a truncated stream still counts as a success in k6's own `http_req_failed`; our metrics tag it
 *   `error: truncated_stream`.
 *
 * Env: STORMLAB_TARGET (base URL; defaults to the spec's `target.url`), STORMLAB_HEADERS (JSON
 * object of extra request headers, optional).
 */
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import spec from 'stormlab:spec';
import { buildK6Options } from '../k6-options.js';
import { httpFailure, outcomeSamples, type FailureKind, type Outcome } from '../outcome.js';
import { attribution, headerGetter, readCompletion, StreamAccumulator, type Served } from '../response.js';
import type { MetricName } from '../samples.js';
import { parseSse } from '../sse.js';
import { planRequest } from '../workload.js';

export const options: Options = buildK6Options(spec);

const target = (__ENV.STORMLAB_TARGET || ('url' in spec.target ? spec.target.url : '')).replace(/\/+$/, '');
if (!target) throw new Error('set STORMLAB_TARGET to the base URL of the system under test');
const url = `${target}/v1/chat/completions`;
const extraHeaders: Record<string, string> = {
  ...('headers' in spec.target ? spec.target.headers : {}),
  ...(__ENV.STORMLAB_HEADERS ? (JSON.parse(__ENV.STORMLAB_HEADERS) as Record<string, string>) : {}),
};

const metrics: Partial<Record<MetricName, Trend | Counter | Rate>> = {
  ttft: new Trend('ttft', true),
  e2e: new Trend('e2e', true),
  itl: new Trend('itl', true),
  tokens_in: new Counter('tokens_in'),
  tokens_out: new Counter('tokens_out'),
  cost_usd: new Counter('cost_usd'),
  attempts: new Trend('attempts'),
  cache_hit: new Rate('cache_hit'),
};

/** k6 error codes → our `error` tag (https://grafana.com/docs/k6/latest/javascript-api/error-codes/). */
function networkFailure(code: number): FailureKind {
  if (code === 1050) return 'timeout';
  if ((code >= 1100 && code < 1200) || (code >= 1210 && code < 1220)) return 'connect';
  return 'network';
}

export default function (): void {
  const plan = planRequest(spec, exec.scenario.iterationInTest);
  const res = http.post(url, JSON.stringify(plan.body), {
    headers: { 'content-type': 'application/json', 'x-request-id': plan.id, ...extraHeaders },
    tags: plan.tags,
    timeout: spec.timeout,
    responseType: 'text',
  });
  const o: Outcome = {
    tags: plan.tags,
    stream: plan.stream,
    promptTokens: plan.promptTokens,
    status: res.status,
    textLength: 0,
    e2eMs: res.timings.duration,
  };
  if (res.status === 0) o.failure = networkFailure(res.error_code);
  else o.failure = httpFailure(res.status);
  const body = typeof res.body === 'string' ? res.body : '';
  let served: Served | undefined;
  if (!o.failure && plan.stream) {
    const acc = new StreamAccumulator();
    for (const ev of parseSse(body)) acc.feed(ev.data);
    o.usage = acc.usage;
    o.textLength = acc.textLength;
    served = acc.served;
    if (acc.error !== undefined) o.failure = 'stream_error';
    else if (!acc.done) o.failure = 'truncated_stream';
    o.ttftMs = res.timings.waiting;
    if (acc.contentChunks >= 2) o.itlMs = res.timings.receiving / (acc.contentChunks - 1);
  } else if (!o.failure) {
    try {
      const c = readCompletion(JSON.parse(body));
      o.usage = c.usage;
      o.textLength = c.text.length;
      served = c.served;
    } catch {
      o.failure = 'bad_body';
    }
  }
  if (res.status !== 0) o.who = attribution(headerGetter(res.headers), served);
  for (const s of outcomeSamples(o, 'first-byte')) metrics[s.metric]?.add(s.value, s.tags);
}
