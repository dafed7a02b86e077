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

export const EmbeddingsRequestSchema = z.looseObject({
  model: z.string().min(1).max(256),
  input: z.union([z.string(), z.array(z.string()).min(1), z.array(z.int()), z.array(z.array(z.int()))]),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  dimensions: z.int().positive().nullish(),
});
export type EmbeddingsRequest = z.output<typeof EmbeddingsRequestSchema>;
