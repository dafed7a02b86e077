/**
 * Gemini API embeddings: `POST /v1beta/models/{model}:embedContent` (`{content, outputDimensionality?}`
 * → `{embedding: {values}}`) and `:batchEmbedContents` (`{requests: [{model, content, …}]}` →
 * `{embeddings: [{values}]}`, what the official `@google/genai` client's `models.embedContent` calls).
 */
import { z } from 'zod';
import { parseBody } from './request-error.js';
import type { EmbeddingRequest, EmbeddingRoute, RequestParts } from './types.js';

const Content = z.object({ parts: z.array(z.object({ text: z.string().optional() })).min(1) });
const EmbedRequest = z.object({ content: Content, taskType: z.string().optional(), outputDimensionality: z.int().positive().optional() });
export const BatchEmbedRequestSchema = z.object({ requests: z.array(EmbedRequest).min(1).max(250) });

const text = (c: z.output<typeof Content>): string => c.parts.map((p) => p.text ?? '').join('');
const values = (v: Float32Array): string => `{"values":${JSON.stringify(Array.from(v))}}`;

type Action = (params: RequestParts['params']) => { model: string; method: string };

export function geminiEmbeddings(action: Action): EmbeddingRoute[] {
  const route = (method: string, parse: (body: unknown, model: string) => EmbeddingRequest, body: EmbeddingRoute['body']): EmbeddingRoute => ({
    url: '/v1beta/models/:action',
    accepts: (req) => action(req.params).method === method,
    peek: (req) => ({ model: action(req.params).model || null, stream: false }),
    parse: (req) => parse(req.body, action(req.params).model),
    body,
  });
  return [
    route(
      'embedContent',
      (body, model) => {
        const b = parseBody(EmbedRequest, body);
        return { model, inputs: [text(b.content)], dimensions: b.outputDimensionality ?? null, encoding: 'float' };
      },
      (_meta, vectors) => `{"embedding":${values(vectors[0]!)}}`,
    ),
    route(
      'batchEmbedContents',
      (body, model) => {
        const b = parseBody(BatchEmbedRequestSchema, body);
        return { model, inputs: b.requests.map((r) => text(r.content)), dimensions: b.requests[0]!.outputDimensionality ?? null, encoding: 'float' };
      },
      (_meta, vectors) => `{"embeddings":[${vectors.map(values).join(',')}]}`,
    ),
  ];
}
