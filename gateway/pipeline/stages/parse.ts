/** parse: the body against the request schema and the gateway's request limits (4xx naming the field). */
import { formatPath } from '../../../core/config-file.js';
import { chatPromptTokens } from '../../../core/tokens.js';
import { StormlabError } from '../../../core/errors.js';
import { ChatRequestSchema, isPlainChatRequest, type ChatMessage, type ChatRequest } from '../../domain/request.js';
import type { RequestContext } from '../context.js';
import type { PipelineDeps } from '../deps.js';

/** Text of a message's content (string, or the text parts of an array). */
export function messageText(m: ChatMessage): string {
  if (typeof m.content === 'string') return m.content;
  if (!Array.isArray(m.content)) return '';
  let out = '';
  for (const part of m.content) {
    const text = (part as { text?: unknown } | null)?.text;
    if (typeof text === 'string') out += text;
  }
  return out;
}

/** The body as a chat request: the common shape checked by hand, the rest by the schema (which names the field). */
function chatRequestOf(body: unknown): ChatRequest {
  if (isPlainChatRequest(body)) return body;
  const r = ChatRequestSchema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue ? formatPath(issue.path) : '(root)';
  const message = issue ? `${path}: ${issue.message}` : 'invalid request body';
  throw new StormlabError('GW_BAD_REQUEST', message, [{ path, expected: issue?.message }]);
}

export function parseRequest(ctx: RequestContext, deps: PipelineDeps): void {
  const req = chatRequestOf(ctx.http.body);
  const limits = deps.limits;
  if (req.messages.length > limits.maxMessages) {
    throw new StormlabError('GW_BAD_REQUEST', `messages: at most ${limits.maxMessages} messages`, [
      { path: 'messages', expected: `<= ${limits.maxMessages} items`, received: String(req.messages.length) },
    ]);
  }
  const max = req.max_completion_tokens ?? req.max_tokens ?? undefined;
  if (max !== undefined && max > limits.maxOutputTokens) {
    const field = req.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
    throw new StormlabError('GW_BAD_REQUEST', `${field}: at most ${limits.maxOutputTokens}`, [
      { path: field, expected: `<= ${limits.maxOutputTokens}`, received: String(max) },
    ]);
  }
  ctx.request = req;
  ctx.maxTokens = max;
  ctx.promptTokens = chatPromptTokens(req.messages.map((m) => ({ content: messageText(m) })));
}
