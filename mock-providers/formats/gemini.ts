/**
 * Google Gemini API: POST /v1beta/models/{model}:generateContent (JSON) and
 * :streamGenerateContent (`?alt=sse`: `data:` events separated by CRLF CRLF; without it a JSON
 * array streamed element by element), GET /v1beta/models, Google's error body
 * (`{"error":{code,message,status}}`, RetryInfo on a 429 with a retry delay). The serving
 * endpoint is in `responseId`.
 */
import { z } from 'zod';
import { StormlabError } from '../../core/errors.js';
import { chatPromptTokens } from '../../core/tokens.js';
import type { FinishReason } from '../latency.js';
import { geminiEmbeddings } from './gemini-embed.js';
import { parseBody } from './request-error.js';
import type { CallRequest, FormatUnit, Peek, RequestParts, ResponseMeta, StreamRenderer, Usage, WireError } from './types.js';

const Part = z.object({ text: z.string().optional() });
const Content = z.object({ role: z.string().optional(), parts: z.array(Part).min(1) });
/** Loose: safetySettings, tools, temperature… pass. */
export const GenerateContentRequestSchema = z.object({
  contents: z.array(Content).min(1),
  systemInstruction: z.object({ parts: z.array(Part) }).optional(),
  generationConfig: z
    .object({
      maxOutputTokens: z.int().positive().optional(),
      candidateCount: z.literal(1, { error: 'candidateCount = 1 (the mock returns one candidate)' }).optional(),
    })
    .optional(),
});

const METHODS = { generateContent: false, streamGenerateContent: true } as const;
const ACTION_URL = '/v1beta/models/:action';

/** `gemini-2.5-flash:streamGenerateContent` → model and method. */
function action(params: RequestParts['params']): { model: string; method: string } {
  const a = params.action ?? '';
  const i = a.lastIndexOf(':');
  return i < 0 ? { model: a, method: '' } : { model: a.slice(0, i), method: a.slice(i + 1) };
}

function peek({ params }: RequestParts): Peek {
  const { model, method } = action(params);
  return { model: model || null, stream: method === 'streamGenerateContent' };
}

function parse(req: RequestParts): CallRequest {
  const { model, method } = action(req.params);
  if (!(method in METHODS) || !model) {
    const expected = 'models/{model}:generateContent, :streamGenerateContent, :embedContent or :batchEmbedContents';
    throw new StormlabError('MOCK_ROUTE_NOT_FOUND', `Method not found: models/${req.params.action ?? ''}`, [{ path: 'url', expected }]);
  }
  const b = parseBody(GenerateContentRequestSchema, req.body);
  const flat = (parts: Array<{ text?: string | undefined }>): string => parts.map((p) => p.text ?? '').join('');
  const messages = [
    ...(b.systemInstruction ? [{ role: 'system', content: flat(b.systemInstruction.parts) }] : []),
    ...b.contents.map((c) => ({ role: c.role === 'model' ? 'assistant' : 'user', content: flat(c.parts) })),
  ];
  return {
    model,
    messages,
    promptTokens: chatPromptTokens(messages),
    maxTokens: b.generationConfig?.maxOutputTokens ?? null,
    stream: METHODS[method as keyof typeof METHODS],
    includeUsage: true,
  };
}

const finish = (f: FinishReason): string => (f === 'length' ? 'MAX_TOKENS' : 'STOP');
/** `cachedContentTokenCount` (part of promptTokenCount) only when the prompt cache served some, as Google does. */
const cachedJson = (n: number | undefined): string => (n ? `,"cachedContentTokenCount":${n}` : '');
const usageJson = (u: Usage): string =>
  `{"promptTokenCount":${u.promptTokens},"candidatesTokenCount":${u.completionTokens},"totalTokenCount":${u.promptTokens + u.completionTokens}` +
  `${cachedJson(u.cachedTokens)}}`;
const tailOf = (meta: ResponseMeta): string => `"modelVersion":${JSON.stringify(meta.model)},"responseId":${JSON.stringify(meta.callId)}}`;
const candidate = (text: string, f?: FinishReason): string =>
  `{"candidates":[{"content":{"parts":[{"text":${JSON.stringify(text)}}],"role":"model"},${f ? `"finishReason":"${finish(f)}",` : ''}"index":0}],`;

function stream(meta: ResponseMeta, req: RequestParts): StreamRenderer {
  const usage = `{"promptTokenCount":${meta.promptTokens},"totalTokenCount":${meta.promptTokens}${cachedJson(meta.cachedTokens)}}`;
  const rest = `"usageMetadata":${usage},${tailOf(meta)}`;
  const last = (u: Usage, f: FinishReason): string => `${candidate('', f)}"usageMetadata":${usageJson(u)},${tailOf(meta)}`;
  if (req.query.alt === 'sse') {
    return {
      head: () => '',
      piece: (t) => `data: ${candidate(t)}${rest}\r\n\r\n`,
      tail: (u, f) => `data: ${last(u, f)}\r\n\r\n`,
    };
  }
  let first = true;
  return {
    contentType: 'application/json; charset=UTF-8',
    head: () => '[',
    piece: (t) => {
      const sep = first ? '' : ',\r\n';
      first = false;
      return `${sep}${candidate(t)}${rest}`;
    },
    tail: (u, f) => `,\r\n${last(u, f)}]`,
  };
}

const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

function errorBody(w: WireError): unknown {
  const status = STATUS[w.status] ?? (w.status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
  const retry = w.headers?.['retry-after'];
  const details = retry ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retry}s` }] : undefined;
  return { error: { code: w.status, message: w.error.message, status, ...(details ? { details } : {}) } };
}

const MESSAGES: Record<number, string> = {
  400: 'Request contains an invalid argument.',
  403: 'The caller does not have permission',
  404: 'Requested entity was not found.',
  429: 'Resource has been exhausted (e.g. check quota).',
  500: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  502: 'Bad Gateway',
  503: 'The model is overloaded. Please try again later.',
  504: 'Deadline expired before operation could complete.',
};

export const gemini: FormatUnit = {
  name: 'gemini',
  calls: [
    {
      method: 'POST',
      url: ACTION_URL,
      accepts: (req) => action(req.params).method in METHODS,
      peek,
      parse,
      body: (meta, c) => `${candidate(c.text, c.finishReason)}"usageMetadata":${usageJson(c.usage)},${tailOf(meta)}`,
      stream,
    },
  ],
  embeddings: geminiEmbeddings(action),
  models: {
    url: '/v1beta/models',
    body: (models) => ({
      models: models.map((m) => ({
        name: `models/${m.name}`,
        displayName: m.name,
        ...(m.maxOutputTokens ? { outputTokenLimit: m.maxOutputTokens } : {}),
        supportedGenerationMethods: m.kind === 'chat' ? ['generateContent', 'streamGenerateContent', 'countTokens'] : ['embedContent'],
      })),
    }),
  },
  errorBody,
  statusMessage: (status) => MESSAGES[status] ?? (status >= 500 ? MESSAGES[500]! : MESSAGES[400]!),
  overloadedStatus: 503,
};
