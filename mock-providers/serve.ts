/**
 * Serve one parsed chat call: model lookup, the seeded latency plan, RPM/TPM limits, a capacity
 * slot (queueing past maxConcurrency, slower tokens past the knee), then the answer on schedule
 * with whatever the faults changed. TTFT = queueing + (draw × region multiplier + prefill per
 * prompt token) × brownout multiplier.
 */
import type { FastifyReply } from 'fastify';
import { performance } from 'node:perf_hooks';
import { StormlabError } from '../core/errors.js';
import type { Rng } from '../core/random.js';
import { sendStream, sendWhole } from './answer.js';
import { callId, ENDPOINT_HEADER, fingerprint, REQUEST_ID_HEADER } from './attribution.js';
import type { Call } from './call.js';
import type { CallModifiers } from './chaos/faults/types.js';
import { completionPieces } from './content.js';
import { WireFailure } from './error-handler.js';
import type { EmbeddingModelConfig, ModelConfig } from './fleet-schema.js';
import type { CallRequest, CallRoute, FormatUnit, RequestParts, ResponseMeta } from './formats/types.js';
import { planLatency, tokenOffsets } from './latency.js';
import type { CapacityPool } from './limits/capacity.js';
import { enforceLimits } from './limits/enforce.js';
import { checkModelLimits } from './limits/model-limits.js';
import { NO_CACHE, type PromptCache } from './prompt-cache.js';
import type { RateLimiter } from './limits/rate-limiter.js';
import { tokenLogprobs } from './quality/logprobs.js';
import { judge, type QualityModel } from './quality/verdict.js';

export interface ServeSite {
  id: string;
  seed: number;
  latencyMultiplier: number;
  format: FormatUnit;
  models: ReadonlyMap<string, ModelConfig>;
  embeddingModels: ReadonlyMap<string, EmbeddingModelConfig>;
  /** per chat model with a capacity */
  pools: ReadonlyMap<string, CapacityPool>;
  limiter: RateLimiter;
  /** null when the provider turns prompt caching off */
  promptCache: PromptCache | null;
  /** this endpoint's latency stream: deriveSeed(fleet.seed, id) */
  rng: Rng;
  nextSeq(): number;
  quality: QualityModel;
}

export function modelNotFound(site: ServeSite, name: string): StormlabError {
  return new StormlabError('MOCK_MODEL_NOT_FOUND', `The model \`${name}\` does not exist or you do not have access to it.`, [
    { path: 'model', expected: `one of ${[...site.models.keys(), ...site.embeddingModels.keys()].join(', ')}`, received: name },
  ]);
}

export function responseMeta(site: ServeSite, call: Call, model: string, promptTokens: number, includeUsage: boolean): ResponseMeta {
  return { callId: callId(site.id, site.nextSeq()), fingerprint: fingerprint(site.id), model, created: Math.floor(call.arrivedWall / 1000), includeUsage, promptTokens };
}

export function serve(site: ServeSite, call: Call, req: CallRequest, route: CallRoute, parts: RequestParts, reply: FastifyReply, m: CallModifiers): void {
  call.model = req.model;
  call.stream = req.stream;
  const model = site.models.get(req.model);
  if (!model) throw modelNotFound(site, req.model);
  call.price = model.price;
  checkModelLimits(site.format.name, model, req);
  call.tokensIn = req.promptTokens;
  const cache = site.promptCache?.lookup(req.model, call.key, req.messages, req.cacheBreakpoints, Date.now()) ?? NO_CACHE;
  // prefill covers the prompt tokens the cache did not serve
  const prefillTokens = req.promptTokens - cache.readTokens;
  const plan = planLatency(model, { regionMultiplier: site.latencyMultiplier, promptTokens: prefillTokens, maxTokens: req.maxTokens }, site.rng);
  const output = req.maxTokens ?? plan.outputTokens;
  const demand = { tokens: req.promptTokens + output, input: prefillTokens, output };
  const limitHeaders = enforceLimits(site.format, site.limiter, model.rateLimits, req.model, call.key, demand);
  const pool = site.pools.get(req.model);
  if (pool && pool.wouldRefuse()) {
    const status = site.format.overloadedStatus;
    throw new WireFailure({ status, error: new StormlabError('MOCK_OVERLOADED', site.format.statusMessage(status)) });
  }

  cache.commit();
  call.cache = { read: cache.readTokens, write: cache.writeTokens };
  reply.hijack();
  if (call.done) return void reply.raw.destroy(); // the endpoint went down while the body was read
  const headers = { [ENDPOINT_HEADER]: site.id, [REQUEST_ID_HEADER]: call.requestId, ...limitHeaders };

  const start = (queueMs: number, itlFactor: number): void => {
    call.queueMs = queueMs;
    const offsets = tokenOffsets(plan, { delayMs: queueMs, ttftMultiplier: m.ttftMultiplier, itlMultiplier: m.itlMultiplier * itlFactor });
    call.offsets = offsets;
    const pieces = completionPieces(site.seed, req.model, req.messages, plan.outputTokens);
    const cached = { cachedTokens: cache.readTokens, cacheWriteTokens: cache.writeTokens };
    const usage = { promptTokens: req.promptTokens, completionTokens: pieces.length, ...cached };
    const meta = { ...responseMeta(site, call, req.model, req.promptTokens, req.stream && req.includeUsage), ...cached };
    const verdict = judge(site.quality, model.capability, req.messages);
    call.adequate = verdict.adequate;
    if (req.logprobs) meta.logprobs = tokenLogprobs(site.seed, req.model, verdict, pieces, req.logprobs.top);
    if (req.stream) {
      sendStream(call, headers, { pieces, sse: route.stream(meta, parts), usage, finishReason: plan.finishReason }, m);
      return;
    }
    const completion = { text: pieces.join(''), usage, finishReason: plan.finishReason, logprobs: meta.logprobs };
    const body = route.body(meta, completion);
    const cut = m.cutAfterTokens !== null && m.cutAfterTokens < pieces.length ? m.cutAfterTokens / pieces.length : null;
    sendWhole(call, headers, offsets[offsets.length - 1]!, body, m, cut);
  };

  if (!pool) return start(0, 1);
  pool.enter(
    performance.now(),
    (queueMs, itlFactor) => {
      call.onEnd = () => pool.release(performance.now());
      start(queueMs, itlFactor);
    },
    () => call.done,
  );
}
