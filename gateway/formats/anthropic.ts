/**
 * Anthropic Messages (`POST /v1/messages`): system prompt apart, alternating user/assistant turns
 * of content blocks, `max_tokens` required, tools as `tool_use`/`tool_result` blocks; answers,
 * usage (cache reads and writes counted in the prompt) and errors back in OpenAI's shape.
 */
import type { DecodeContext, EncodeOptions, UpstreamError, WireFormat } from '../domain/format.js';
import type { ChatCompletion } from '../domain/openai.js';
import type { ChatMessage, ChatRequest } from '../domain/request.js';
import { AnthropicStreamDecoder } from './anthropic-stream.js';
import { anthropicError, anthropicUsage, finishReason } from './anthropic-wire.js';
import { estimatedUsage } from './chunks.js';
import { isObject, str, tryJson } from './errors.js';
import { contentText, dataUrl, functionTools, imageUrl, maxTokens, stopList, toolCalls } from './messages.js';

export const ANTHROPIC_VERSION = '2023-06-01';
/** `max_tokens` is required by Anthropic; every current Claude model allows at least this many */
export const DEFAULT_MAX_TOKENS = 4096;

type Block = Record<string, unknown>;
interface Turn {
  role: 'user' | 'assistant';
  content: Block[];
}

function userBlocks(content: ChatMessage['content']): Block[] {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  const out: Block[] = [];
  for (const part of Array.isArray(content) ? content : []) {
    const url = imageUrl(part);
    if (url !== undefined) {
      const inline = dataUrl(url);
      const source = inline
        ? { type: 'base64', media_type: inline.mediaType, data: inline.data }
        : { type: 'url', url };
      out.push({ type: 'image', source });
    } else if (isObject(part) && part.type === 'text' && typeof part.text === 'string' && part.text) {
      out.push({ type: 'text', text: part.text });
    }
  }
  return out;
}

function assistantBlocks(m: ChatMessage): Block[] {
  const text = contentText(m.content);
  const out: Block[] = text ? [{ type: 'text', text }] : [];
  for (const c of toolCalls(m)) out.push({ type: 'tool_use', id: c.id, name: c.name, input: c.args });
  return out;
}

/** OpenAI messages as Anthropic's system prompt and turns (consecutive same-role messages merged). */
export function toTurns(
  messages: readonly ChatMessage[],
  prefill: string | undefined,
): { system: string[]; turns: Turn[] } {
  const system: string[] = [];
  const turns: Turn[] = [];
  const push = (role: Turn['role'], blocks: Block[]): void => {
    if (blocks.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  for (const m of messages) {
    if (m.role === 'system' || m.role === 'developer') {
      const t = contentText(m.content);
      if (t) system.push(t);
    } else if (m.role === 'user') push('user', userBlocks(m.content));
    else if (m.role === 'assistant') push('assistant', assistantBlocks(m));
    else {
      const id = str(m.tool_call_id) ?? str(m.name) ?? '';
      push('user', [{ type: 'tool_result', tool_use_id: id, content: contentText(m.content) }]);
    }
  }
  // Anthropic needs at least one message: a request of system messages only asks them as the user
  if (turns.length === 0 && system.length) push('user', [{ type: 'text', text: system.splice(0).join('\n\n') }]);
  if (prefill) push('assistant', [{ type: 'text', text: prefill }]);
  // Anthropic refuses a final assistant turn that ends in whitespace (the prefill case)
  const last = turns.at(-1);
  const tail = last?.role === 'assistant' ? last.content.at(-1) : undefined;
  if (tail?.type === 'text' && typeof tail.text === 'string') {
    tail.text = tail.text.trimEnd();
    if (!tail.text) last!.content.pop();
    if (last!.content.length === 0) turns.pop();
  }
  return { system, turns };
}

function toolChoice(request: ChatRequest): Block | undefined {
  const c = request.tool_choice;
  let choice: Block | undefined;
  if (c === 'auto') choice = { type: 'auto' };
  else if (c === 'required') choice = { type: 'any' };
  else if (c === 'none') choice = { type: 'none' };
  else if (isObject(c) && isObject(c.function) && typeof c.function.name === 'string')
    choice = { type: 'tool', name: c.function.name };
  if (request.parallel_tool_calls === false)
    choice = { ...(choice ?? { type: 'auto' }), disable_parallel_tool_use: true };
  return choice;
}

function encodeChat(request: ChatRequest, opts: EncodeOptions): string {
  const { system, turns } = toTurns(request.messages, opts.prefill);
  const body: Record<string, unknown> = {
    model: opts.model,
    max_tokens: maxTokens(request) ?? DEFAULT_MAX_TOKENS,
    messages: turns,
  };
  if (system.length) body.system = system.join('\n\n');
  if (request.stream === true) body.stream = true;
  const stop = stopList(request);
  if (stop?.length) body.stop_sequences = stop;
  // OpenAI's range is 0–2, Anthropic's 0–1
  if (typeof request.temperature === 'number') body.temperature = Math.min(request.temperature, 1);
  if (typeof request.top_p === 'number') body.top_p = request.top_p;
  const tools = functionTools(request);
  if (tools.length) {
    body.tools = tools.map((t) => ({
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      input_schema: t.parameters,
    }));
    const choice = toolChoice(request);
    if (choice) body.tool_choice = choice;
  }
  if (typeof request.user === 'string') body.metadata = { user_id: request.user };
  return JSON.stringify(body);
}

function decodeChat(body: unknown, ctx: DecodeContext): ChatCompletion | undefined {
  if (!isObject(body) || body.type !== 'message' || !Array.isArray(body.content)) return undefined;
  let text = '';
  const calls = [];
  for (const b of body.content) {
    if (!isObject(b)) continue;
    if (b.type === 'text' && typeof b.text === 'string') text += b.text;
    else if (b.type === 'tool_use') {
      const fn = { name: str(b.name) ?? '', arguments: JSON.stringify(b.input ?? {}) };
      calls.push({ id: str(b.id) ?? `call_${calls.length}`, type: 'function', function: fn });
    }
  }
  const message = calls.length
    ? { role: 'assistant' as const, content: text || null, tool_calls: calls }
    : { role: 'assistant' as const, content: text };
  const usage = anthropicUsage(body.usage) ?? estimatedUsage(ctx, text.length);
  const choice = { index: 0, message, logprobs: null, finish_reason: finishReason(body.stop_reason) };
  return { id: ctx.id, object: 'chat.completion', created: ctx.created, model: ctx.model, choices: [choice], usage };
}

export const anthropicFormat: WireFormat = {
  name: 'anthropic',
  chatPath: () => '/v1/messages',
  authHeaders: (apiKey): Record<string, string> =>
    apiKey
      ? { 'x-api-key': apiKey, 'anthropic-version': ANTHROPIC_VERSION }
      : { 'anthropic-version': ANTHROPIC_VERSION },
  encodeChat,
  decodeChat,
  streamDecoder: (ctx) => new AnthropicStreamDecoder(ctx),
  decodeError: (status, text) => anthropicError(status, tryJson(text), text),
};
