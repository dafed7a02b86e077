/**
 * Serve one parsed embeddings call: model lookup, RPM/TPM limits, a seeded latency (draw × region
 * multiplier + per input token, × a brownout), then the vectors in one body. Embeddings generate
 * no output tokens; the ledger bills the input.
 */
import type { FastifyReply } from 'fastify';
import { sample } from '../../core/distributions.js';
import { StormlabError } from '../../core/errors.js';
import { estimateTokens } from '../../core/tokens.js';
import { sendWhole } from '../answer.js';
import { ENDPOINT_HEADER, REQUEST_ID_HEADER } from '../attribution.js';
import type { Call } from '../call.js';
import type { CallModifiers } from '../chaos/faults/types.js';
import type { EmbeddingRequest, EmbeddingRoute } from '../formats/types.js';
import { enforceLimits } from '../limits/enforce.js';
import { modelNotFound, responseMeta, type ServeSite } from '../serve.js';
import { embed } from './embed.js';

export function serveEmbeddings(site: ServeSite, call: Call, req: EmbeddingRequest, route: EmbeddingRoute, reply: FastifyReply, m: CallModifiers): void {
  call.model = req.model;
  const model = site.embeddingModels.get(req.model);
  if (!model) throw modelNotFound(site, req.model);
  const dims = req.dimensions ?? model.dimensions;
  if (dims > model.dimensions) {
    throw new StormlabError('MOCK_BAD_REQUEST', `This model supports at most ${model.dimensions} dimensions, but ${dims} were requested.`, [
      { path: 'dimensions', expected: `<= ${model.dimensions}`, received: String(dims) },
    ]);
  }
  const tokens = req.inputs.reduce((n, t) => n + estimateTokens(t), 0);
  call.price = { input: model.price.input, output: 0 };
  call.tokensIn = tokens;
  call.tokensSent = 0;
  const latency = (sample(model.latencyMs, site.rng) * site.latencyMultiplier + model.msPerInputToken * tokens) * m.ttftMultiplier;
  const limitHeaders = enforceLimits(site.format, site.limiter, model.rateLimits, req.model, call.key, tokens);

  reply.hijack();
  if (call.done) return void reply.raw.destroy();
  const vectors = req.inputs.map((t) => embed(t, req.model, dims, model.dimensions));
  const body = route.body(responseMeta(site, call, req.model, tokens, false), vectors, req.encoding, tokens);
  const headers = { [ENDPOINT_HEADER]: site.id, [REQUEST_ID_HEADER]: call.requestId, ...limitHeaders };
  sendWhole(call, headers, latency, body, m, m.cutAfterTokens !== null ? 0.5 : null);
}
