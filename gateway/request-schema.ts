/**
 * The client request the gateway accepts on POST /v1/chat/completions. Only what the gateway
 * reads is checked; every other OpenAI field (temperature, tools, …) passes through untouched.
 */
import { z } from 'zod';
import { formatPath } from '../core/config-file.js';
import { StormlabError } from '../core/errors.js';

const MessageSchema = z.looseObject({
  role: z.string().min(1),
  content: z.union([z.string(), z.array(z.unknown()), z.null()]).optional(),
});

export const ChatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(MessageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
});
export type ChatRequest = z.output<typeof ChatRequestSchema>;

/** Parse a request body; a bad one is GW_BAD_REQUEST naming the field (OpenAI's `param`). */
export function parseChatRequest(body: unknown): ChatRequest {
  const r = ChatRequestSchema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue ? formatPath(issue.path) : '(root)';
  const message = issue ? `${path}: ${issue.message}` : 'invalid request body';
  throw new StormlabError('GW_BAD_REQUEST', message, [{ path, expected: issue?.message }]);
}
