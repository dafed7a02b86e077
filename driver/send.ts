/**
 * One planned request over undici, read incrementally: SSE chunks are timestamped as they arrive
 * (TTFT = first content-bearing chunk, ITL = mean gap between content chunks), and every latency
 * is measured from the request's INTENDED start, so a late start is charged to the result
 * (no coordinated omission).
 */
import { request, type Dispatcher } from 'undici';
import { finishCompletion, finishStream, httpFailure, type FailureKind, type Outcome } from '../scenarios/outcome.js';
import { attribution, headerGetter, StreamAccumulator, type Served } from '../scenarios/response.js';
import { SseParser } from '../scenarios/sse.js';
import type { PlannedRequest } from '../scenarios/workload.js';
import { now } from './clock.js';

export interface SendContext {
  url: string;
  /** per client region (the plan's `client_region` tag): the URL its requests go to instead of `url` */
  urls?: Record<string, string>;
  /** extra headers (auth for a third-party gateway); the plan's own headers win, `x-request-id` is always the plan's */
  headers: Record<string, string>;
  dispatcher: Dispatcher;
  timeoutMs: number;
  /** the run's signal; its abort interrupts the request */
  signal: AbortSignal;
}

export interface SendResult {
  outcome: Outcome;
  /** the run was stopped while this request was in flight: not a result of the system under test */
  interrupted: boolean;
  /** actual send → end (k6's http_req_duration: the service time, without the schedule lag) */
  httpDurationMs: number;
  /** the answer's text, kept for conversations (their next turn resends it); '' otherwise */
  answer: string;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && typeof cur === 'object' && cur !== null; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED' && code !== 'ABORT_ERR') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Send `plan`, which was due at monotonic time `intendedMs`. Never throws. */
export async function send(ctx: SendContext, plan: PlannedRequest, intendedMs: number): Promise<SendResult> {
  const started = now();
  const ctl = new AbortController();
  let reason: 'timeout' | 'interrupted' | undefined;
  const timer = setTimeout(() => {
    reason ??= 'timeout';
    ctl.abort();
  }, ctx.timeoutMs);
  const onRunAbort = (): void => {
    reason ??= 'interrupted';
    ctl.abort();
  };
  if (ctx.signal.aborted) onRunAbort();
  else ctx.signal.addEventListener('abort', onRunAbort, { once: true });

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
  const keepText = plan.conversation !== undefined;
  let answer = '';
  let served: Served | undefined;
  let headers: Record<string, string | string[] | undefined> | undefined;
  let inBody = false;
  let ended: number | undefined;
  try {
    const region = plan.tags.client_region;
    const url = (region !== undefined && ctx.urls?.[region]) || ctx.url;
    const res = await request(url, {
      method: 'POST',
      dispatcher: ctx.dispatcher,
      headers: { 'content-type': 'application/json', ...ctx.headers, ...plan.headers, 'x-request-id': plan.id },
      body: JSON.stringify(plan.body),
      signal: ctl.signal,
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
    });
    o.status = res.statusCode;
    headers = res.headers;
    o.failure = httpFailure(res.statusCode);
    inBody = true;
    if (o.failure || !plan.stream) {
      const text = await res.body.text();
      ended = now();
      if (!o.failure) {
        const c = finishCompletion(o, text);
        served = c.served;
        if (keepText) answer = c.text;
      }
    } else {
      const acc = await readStream(res.body, keepText);
      ended = now();
      answer = acc.text;
      served = finishStream(o, acc);
      if (acc.firstContentMs !== undefined) o.ttftMs = acc.firstContentMs - intendedMs;
      o.itlMs = acc.meanItlMs();
    }
  } catch (e) {
    ended = now();
    o.failure = classify(e, reason, inBody, plan.stream);
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onRunAbort);
  }
  if (headers) o.who = attribution(headerGetter(headers), served);
  const end = ended ?? now();
  o.e2eMs = end - intendedMs;
  return { outcome: o, interrupted: reason === 'interrupted', httpDurationMs: end - started, answer };
}

function classify(e: unknown, reason: 'timeout' | 'interrupted' | undefined, inBody: boolean, stream: boolean): FailureKind {
  if (reason === 'timeout') return 'timeout';
  if (reason === 'interrupted') return 'aborted';
  const code = errorCode(e);
  if (code && TIMEOUT_CODES.has(code)) return 'timeout';
  if (inBody) return stream ? 'truncated_stream' : 'network';
  if (code && CONNECT_CODES.has(code)) return 'connect';
  return 'network';
}

/** Read an SSE body as it arrives, stamping each event with the time its bytes came in. */
async function readStream(body: AsyncIterable<Uint8Array>, keepText: boolean): Promise<StreamAccumulator> {
  const acc = new StreamAccumulator(keepText);
  const parser = new SseParser();
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    const at = now();
    for (const ev of parser.push(decoder.decode(chunk, { stream: true }))) acc.feed(ev.data, at);
  }
  const at = now();
  for (const ev of [...parser.push(decoder.decode()), ...parser.end()]) acc.feed(ev.data, at);
  return acc;
}
