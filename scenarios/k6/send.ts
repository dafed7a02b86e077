/**
 * One planned request under k6, two ways:
 * - stock k6 (`k6/http`): the body arrives whole, so a stream's TTFT is TIME TO FIRST BYTE
 *   (`res.timings.waiting`) and ITL is `res.timings.receiving` spread over the content-chunk gaps;
 * - xk6-sse (`k6/x/sse`, bundles built with `{ sse: true }`): events arrive one by one and TTFT is
 *   the first content-bearing event, timed with `Date.now()` (millisecond resolution).
 * Both return the same `Outcome` as the native driver, plus the answer text for conversations.
 *
 * xk6-sse writes `http_reqs` and `http_req_duration` for a stream but no `http_req_failed`, so the
 * report would count none of its failures: streams sent through it add their own point to k6's
 * `http_req_failed` (declaring a Rate of that name hands back k6's built-in one). And xk6-sse's
 * `close()` raises an error met while draining the body inside itself, where a second `close()`
 * deadlocks it (a re-entered sync.Once): the handlers close at most once.
 */
import http from 'k6/http';
import { Rate } from 'k6/metrics';
import type { SseClient, SseEvent } from 'k6/x/sse';
import sse from 'stormlab:sse';
import { finishCompletion, finishStream, httpFailure, outcomeTags, type FailureKind, type Outcome } from '../outcome.js';
import { attribution, headerGetter, StreamAccumulator, type Served } from '../response.js';
import type { TtftDefinition } from '../samples.js';
import { parseSse } from '../sse.js';
import type { PlannedRequest } from '../workload.js';

export interface Sent {
  outcome: Outcome;
  /** the answer's text (kept for conversations only) */
  answer: string;
}

export interface SendTarget {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** How this bundle measures TTFT. */
export const TTFT_DEF: TtftDefinition = sse ? 'first-content-chunk' : 'first-byte';

/** k6's own http_req_failed, for the requests xk6-sse sends (declared in the init context, as k6 requires). */
const sseFailed = sse ? new Rate('http_req_failed') : undefined;

/** k6 error codes → our `error` tag (https://grafana.com/docs/k6/latest/javascript-api/error-codes/). */
function networkFailure(code: number): FailureKind {
  if (code === 1050) return 'timeout';
  if ((code >= 1100 && code < 1200) || (code >= 1210 && code < 1220)) return 'connect';
  return 'network';
}

function baseOutcome(plan: PlannedRequest): Outcome {
  const o: Outcome = {
    requestId: plan.id,
    tags: plan.tags,
    stream: plan.stream,
    promptTokens: plan.promptTokens,
    status: 0,
    textLength: 0,
  };
  if (plan.allowedRegions) o.allowedRegions = plan.allowedRegions;
  if (plan.intent) o.intent = plan.intent;
  return o;
}

function headersOf(plan: PlannedRequest, t: SendTarget): Record<string, string> {
  return { 'content-type': 'application/json', ...t.headers, ...plan.headers, 'x-request-id': plan.id };
}

export function sendHttp(plan: PlannedRequest, t: SendTarget): Sent {
  const keep = plan.conversation !== undefined;
  const res = http.post(t.url, JSON.stringify(plan.body), {
    headers: headersOf(plan, t),
    tags: plan.tags,
    timeout: t.timeoutMs,
    responseType: 'text',
  });
  const o = baseOutcome(plan);
  o.status = res.status;
  o.e2eMs = res.timings.duration;
  o.failure = res.status === 0 ? networkFailure(res.error_code) : httpFailure(res.status);
  const body = typeof res.body === 'string' ? res.body : '';
  let served: Served | undefined;
  let answer = '';
  if (!o.failure && plan.stream) {
    const acc = new StreamAccumulator(keep);
    for (const ev of parseSse(body)) acc.feed(ev.data);
    served = finishStream(o, acc);
    answer = acc.text;
    o.ttftMs = res.timings.waiting;
    if (acc.contentChunks >= 2) o.itlMs = res.timings.receiving / (acc.contentChunks - 1);
  } else if (!o.failure) {
    const c = finishCompletion(o, body);
    served = c.served;
    if (keep) answer = c.text;
  }
  if (res.status !== 0) o.who = attribution(headerGetter(res.headers), served);
  return { outcome: o, answer };
}

/** Streams through xk6-sse (when the bundle has it); non-streams and stock bundles through k6/http. */
export function send(plan: PlannedRequest, t: SendTarget): Sent {
  if (!sse || !plan.stream) return sendHttp(plan, t);
  const acc = new StreamAccumulator(plan.conversation !== undefined);
  const o = baseOutcome(plan);
  let broken = false;
  let closed = false;
  const started = Date.now();
  const res = sse.open(t.url, { method: 'POST', body: JSON.stringify(plan.body), headers: headersOf(plan, t), tags: plan.tags }, (client: SseClient) => {
    const close = (): void => {
      if (closed) return;
      closed = true;
      client.close();
    };
    client.on('event', (ev: SseEvent) => {
      acc.feed(ev.data, Date.now());
      if (acc.done) close();
    });
    client.on('error', () => {
      broken = true;
      close();
    });
  });
  const ended = Date.now();
  o.status = res.status ?? 0;
  o.e2eMs = ended - started;
  if (res.error || !o.status) o.failure = 'connect';
  else o.failure = httpFailure(o.status);
  let served: Served | undefined;
  if (!o.failure) {
    served = finishStream(o, acc);
    if (broken && !acc.done) o.failure = 'truncated_stream';
    if (acc.firstContentMs !== undefined) o.ttftMs = acc.firstContentMs - started;
    o.itlMs = acc.meanItlMs();
  }
  if (o.status) o.who = attribution(headerGetter(res.headers ?? {}), served);
  sseFailed?.add(o.failure ? 1 : 0, outcomeTags(o.tags, o.status, o.who, o.failure));
  return { outcome: o, answer: acc.text };
}
