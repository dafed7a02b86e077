/**
 * Answer one parsed call on schedule. Timing (see pacer.ts): the status line, the headers and
 * the first content are written together at TTFT after arrival, then one piece per ITL; a
 * non-stream body goes out whole when its last token is due. Sending headers at TTFT (as
 * OpenAI does: its `openai-processing-ms` is the time to first token) keeps a first-byte clock
 * (stock k6) and a first-content clock in agreement, and leaves room for a fault to answer with
 * a status instead. Every write goes straight to the socket (Nagle off, no buffering).
 */
import type { FastifyReply } from 'fastify';
import { StormlabError } from '../core/errors.js';
import type { Rng } from '../core/random.js';
import { callId, ENDPOINT_HEADER, fingerprint, REQUEST_ID_HEADER } from './attribution.js';
import type { Call } from './call.js';
import { completionPieces } from './content.js';
import type { ModelConfig } from './fleet-schema.js';
import type { CallRequest, CallRoute, ResponseMeta, Usage } from './formats/types.js';
import { planLatency, tokenOffsets } from './latency.js';
import { pace } from './pacer.js';

export interface ServeSite {
  id: string;
  seed: number;
  latencyMultiplier: number;
  models: ReadonlyMap<string, ModelConfig>;
  /** this endpoint's latency stream: deriveSeed(fleet.seed, id) */
  rng: Rng;
  nextSeq(): number;
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' };

export function serve(site: ServeSite, call: Call, req: CallRequest, route: CallRoute, reply: FastifyReply): void {
  call.model = req.model;
  call.stream = req.stream;
  const model = site.models.get(req.model);
  if (!model) {
    throw new StormlabError('MOCK_MODEL_NOT_FOUND', `The model \`${req.model}\` does not exist or you do not have access to it.`, [
      { path: 'model', expected: `one of ${[...site.models.keys()].join(', ')}`, received: req.model },
    ]);
  }
  call.price = model.price;
  call.tokensIn = req.promptTokens;
  const plan = planLatency(model, { regionMultiplier: site.latencyMultiplier, promptTokens: req.promptTokens, maxTokens: req.maxTokens }, site.rng);
  const pieces = completionPieces(site.seed, req.model, req.messages, plan.outputTokens);
  const offsets = tokenOffsets(plan);
  call.offsets = offsets;
  const usage: Usage = { promptTokens: req.promptTokens, completionTokens: pieces.length };
  const meta: ResponseMeta = {
    callId: callId(site.id, site.nextSeq()),
    fingerprint: fingerprint(site.id),
    model: req.model,
    created: Math.floor(call.arrivedWall / 1000),
    includeUsage: req.stream && req.includeUsage,
  };

  reply.hijack();
  const res = reply.raw;
  if (call.done) return void res.destroy(); // the endpoint went down while the body was read
  const headers = { [ENDPOINT_HEADER]: site.id, [REQUEST_ID_HEADER]: call.requestId };

  if (!req.stream) {
    const body = route.body(meta, { text: pieces.join(''), usage, finishReason: plan.finishReason });
    call.pacer = pace(call.arrivedAt, offsets.subarray(offsets.length - 1), () => {
      res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      call.end('ok');
    });
    return;
  }

  const sse = route.stream(meta);
  const n = pieces.length;
  call.pacer = pace(call.arrivedAt, offsets, (from, to) => {
    let out = from === 0 ? sse.head() : '';
    for (let i = from; i < to; i++) out += sse.piece(pieces[i]!);
    if (from === 0) res.writeHead(200, { ...headers, ...SSE_HEADERS });
    if (to < n) {
      res.write(out);
      return;
    }
    res.end(out + sse.tail(usage, plan.finishReason));
    call.end('ok');
  });
}
