/**
 * Google Gemini (`models/{model}:generateContent`, `:streamGenerateContent?alt=sse`): contents of
 * parts with roles user/model, `systemInstruction`, `generationConfig`, function declarations;
 * candidates, usageMetadata and Google's errors back in OpenAI's shape.
 */
import type { DecodeContext, EncodeOptions, WireFormat } from '../domain/format.js';
import type { ChatCompletion } from '../domain/openai.js';
import type { ChatMessage, ChatRequest } from '../domain/request.js';
import { estimatedUsage } from './chunks.js';
import { isObject, str, tryJson } from './errors.js';
import { GeminiStreamDecoder } from './gemini-stream.js';
import { finishReason, geminiError, geminiLogprobs, geminiUsage } from './gemini-wire.js';
import { contentText, dataUrl, functionTools, imageUrl, maxTokens, stopList, toolCalls } from './messages.js';

type Part = Record<string, unknown>;
interface Content {
  role: 'user' | 'model';
  parts: Part[];
}

function userParts(content: ChatMessage['content']): Part[] {
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  const out: Part[] = [];
  for (const part of Array.isArray(content) ? content : []) {
    const url = imageUrl(part);
    if (url !== undefined) {
      const inline = dataUrl(url);
      out.push(
        inline ? { inlineData: { mimeType: inline.mediaType, data: inline.data } } : { fileData: { fileUri: url } },
      );
    } else if (isObject(part) && part.type === 'text' && typeof part.text === 'string' && part.text)
      out.push({ text: part.text });
  }
  return out;
}

/** OpenAI messages as Gemini's system instruction and contents (consecutive same-role turns merged). */
export function toContents(
  messages: readonly ChatMessage[],
  prefill: string | undefined,
): { system: string[]; contents: Content[] } {
  const system: string[] = [];
  const contents: Content[] = [];
  const toolNames = new Map<string, string>();
  const push = (role: Content['role'], parts: Part[]): void => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  for (const m of messages) {
    if (m.role === 'system' || m.role === 'developer') {
      const t = contentText(m.content);
      if (t) system.push(t);
    } else if (m.role === 'user') push('user', userParts(m.content));
    else if (m.role === 'assistant') {
      const text = contentText(m.content);
      const parts: Part[] = text ? [{ text }] : [];
      for (const c of toolCalls(m)) {
        toolNames.set(c.id, c.name);
        parts.push({ functionCall: { name: c.name, args: c.args } });
      }
      push('model', parts);
    } else {
      const name = toolNames.get(str(m.tool_call_id) ?? '') ?? str(m.name) ?? '';
      push('user', [{ functionResponse: { name, response: { content: contentText(m.content) } } }]);
    }
  }
  // Gemini needs at least one content: a request of system messages only asks them as the user
  if (contents.length === 0 && system.length) push('user', [{ text: system.splice(0).join('\n\n') }]);
  if (prefill) push('model', [{ text: prefill }]);
  return { system, contents };
}

function encodeChat(request: ChatRequest, opts: EncodeOptions): string {
  const { system, contents } = toContents(request.messages, opts.prefill);
  const body: Record<string, unknown> = { contents };
  if (system.length) body.systemInstruction = { parts: [{ text: system.join('\n\n') }] };
  const config: Record<string, unknown> = {};
  const max = maxTokens(request);
  if (max !== undefined) config.maxOutputTokens = max;
  if (typeof request.temperature === 'number') config.temperature = request.temperature;
  if (typeof request.top_p === 'number') config.topP = request.top_p;
  const stop = stopList(request);
  if (stop?.length) config.stopSequences = stop;
  if (request.logprobs === true) {
    config.responseLogprobs = true;
    if (typeof request.top_logprobs === 'number') config.logprobs = request.top_logprobs;
  }
  if (Object.keys(config).length) body.generationConfig = config;
  const tools = functionTools(request);
  if (tools.length) {
    body.tools = [{ functionDeclarations: tools }];
    const c = request.tool_choice;
    const mode = c === 'required' ? 'ANY' : c === 'none' ? 'NONE' : c === 'auto' ? 'AUTO' : undefined;
    if (mode) body.toolConfig = { functionCallingConfig: { mode } };
    else if (isObject(c) && isObject(c.function) && typeof c.function.name === 'string') {
      body.toolConfig = { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [c.function.name] } };
    }
  }
  return JSON.stringify(body);
}

/** A candidate's answer: text (thoughts left out), function calls as OpenAI tool calls, log-probabilities. */
function candidateMessage(c: Record<string, unknown>): { text: string; calls: unknown[] } {
  const parts = isObject(c.content) && Array.isArray(c.content.parts) ? c.content.parts : [];
  let text = '';
  const calls = [];
  for (const p of parts) {
    if (!isObject(p) || p.thought === true) continue;
    if (typeof p.text === 'string') text += p.text;
    else if (isObject(p.functionCall)) {
      const fn = { name: str(p.functionCall.name) ?? '', arguments: JSON.stringify(p.functionCall.args ?? {}) };
      calls.push({ id: `call_${calls.length}`, type: 'function', function: fn });
    }
  }
  return { text, calls };
}

function decodeChat(body: unknown, ctx: DecodeContext): ChatCompletion | undefined {
  if (!isObject(body)) return undefined;
  const candidates = Array.isArray(body.candidates) ? body.candidates.filter(isObject) : [];
  const blocked = isObject(body.promptFeedback) && typeof body.promptFeedback.blockReason === 'string';
  if (candidates.length === 0 && !blocked) return undefined;
  let chars = 0;
  const choices: ChatCompletion['choices'] = candidates.map((c, i) => {
    const { text, calls } = candidateMessage(c);
    chars += text.length;
    const message = calls.length
      ? { role: 'assistant' as const, content: text || null, tool_calls: calls }
      : { role: 'assistant' as const, content: text };
    const lp = ctx.logprobs ? geminiLogprobs(c) : undefined;
    const finish = finishReason(str(c.finishReason) ?? 'STOP', calls.length > 0);
    return {
      index: typeof c.index === 'number' ? c.index : i,
      message,
      logprobs: lp ? { content: lp } : null,
      finish_reason: finish,
    };
  });
  // a prompt blocked by Google's filters: no candidates, HTTP 200
  if (choices.length === 0)
    choices.push({
      index: 0,
      message: { role: 'assistant', content: '' },
      logprobs: null,
      finish_reason: 'content_filter',
    });
  const usage = geminiUsage(body.usageMetadata) ?? estimatedUsage(ctx, chars);
  return { id: ctx.id, object: 'chat.completion', created: ctx.created, model: ctx.model, choices, usage };
}

const modelPath = (model: string): string => `/v1beta/models/${model.replace(/^models\//, '')}`;

export const geminiFormat: WireFormat = {
  name: 'gemini',
  chatPath: (model, stream) => `${modelPath(model)}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
  authHeaders: (apiKey): Record<string, string> => (apiKey ? { 'x-goog-api-key': apiKey } : {}),
  encodeChat,
  decodeChat,
  streamDecoder: (ctx) => new GeminiStreamDecoder(ctx),
  decodeError: (status, text) => geminiError(status, tryJson(text), text),
};
