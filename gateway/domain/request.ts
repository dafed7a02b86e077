/**
 * The client requests the gateway's front door accepts (OpenAI wire format). Only what the
 * gateway reads is checked; every other OpenAI field (temperature, tools, …) passes through.
 */
import { z } from 'zod';

export const MessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(z.unknown()), z.null()]).optional(),
});
export type ChatMessage = z.output<typeof MessageSchema>;

export const ChatRequestSchema = z.looseObject({
  model: z.string().min(1).max(256),
  messages: z.array(MessageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.int().positive().nullish(),
  max_completion_tokens: z.int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.int().min(0).max(20).nullish(),
  /** OpenAI's free-form request metadata; the gateway reads `feature` and `priority` from it */
  metadata: z.record(z.string(), z.string()).nullish(),
});
export type ChatRequest = z.output<typeof ChatRequestSchema>;

const ROLES: ReadonlySet<unknown> = new Set(MessageSchema.shape.role.options);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nullishOr = (v: unknown, ok: (v: unknown) => boolean): boolean => v === undefined || v === null || ok(v);
const isBoolean = (v: unknown): boolean => typeof v === 'boolean';
const isPositiveInt = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) > 0;

function isPlainMessage(m: unknown): boolean {
  if (!isRecord(m) || !ROLES.has(m.role)) return false;
  const c = m.content;
  return c === undefined || c === null || typeof c === 'string' || Array.isArray(c);
}

/** `include_usage` is optional, not nullable */
const isStreamOptions = (o: unknown): boolean =>
  isRecord(o) && (o.include_usage === undefined || isBoolean(o.include_usage));

function isStringRecord(v: unknown): boolean {
  if (!isRecord(v)) return false;
  for (const k in v) if (typeof v[k] !== 'string') return false;
  return true;
}

/**
 * The common chat body, checked by hand: true only for a body `ChatRequestSchema` accepts as it
 * is (a fast path for the parse stage; anything else goes to the schema, which names what is
 * wrong). Each line follows a field of the schema above; request.test.ts
 * holds the two to the same answers.
 */
export function isPlainChatRequest(body: unknown): body is ChatRequest {
  if (!isRecord(body)) return false;
  const { model, messages } = body;
  if (typeof model !== 'string' || model.length < 1 || model.length > 256) return false;
  if (!Array.isArray(messages) || messages.length < 1) return false;
  for (const m of messages) if (!isPlainMessage(m)) return false;
  return (
    nullishOr(body.stream, isBoolean) &&
    nullishOr(body.stream_options, isStreamOptions) &&
    nullishOr(body.max_tokens, isPositiveInt) &&
    nullishOr(body.max_completion_tokens, isPositiveInt) &&
    nullishOr(body.temperature, (t) => typeof t === 'number' && t >= 0 && t <= 2) &&
    nullishOr(body.logprobs, isBoolean) &&
    nullishOr(body.top_logprobs, (n) => Number.isSafeInteger(n) && (n as number) >= 0 && (n as number) <= 20) &&
    nullishOr(body.metadata, isStringRecord)
  );
}

export const EmbeddingsRequestSchema = z.looseObject({
  model: z.string().min(1).max(256),
  input: z.union([z.string(), z.array(z.string()).min(1), z.array(z.int()), z.array(z.array(z.int()))]),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  dimensions: z.int().positive().nullish(),
});
export type EmbeddingsRequest = z.output<typeof EmbeddingsRequestSchema>;
