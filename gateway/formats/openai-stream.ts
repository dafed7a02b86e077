/**
 * The OpenAI stream decoder, on the gateway's hot path: each chunk goes out as the upstream's own
 * text, never re-serialised. A chunk is checked for JSON framing (a string-aware bracket scan)
 * and read by its keys (`"content":"`, `"finish_reason":"`, `"usage":{` — a key followed by `":`
 * cannot occur inside a JSON string, where every quote is escaped); JSON.parse runs only for the
 * usage chunk, an error, logprobs the client asked for, or a shape the scan does not expect.
 */
import type { DecodeContext, StreamDecoder, StreamItem, SseEvent, UpstreamError } from '../domain/format.js';
import type { OpenAIUsage } from '../domain/openai.js';
import { estimatedUsage } from './chunks.js';
import { isObject, num, str, tryJson, upstreamError } from './errors.js';
import { normaliseUsage } from './openai-usage.js';

/** `{…}` with balanced brackets outside strings and closed strings: catches a truncated event. */
export function jsonFramed(d: string): boolean {
  const n = d.length;
  if (n < 2 || d.charCodeAt(0) !== 123 || d.charCodeAt(n - 1) !== 125) return false;
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const c = d.charCodeAt(i);
    if (c === 34) {
      // skip a string: to the next quote not escaped
      for (i++; i < n; i++) {
        const s = d.charCodeAt(i);
        if (s === 92) i++;
        else if (s === 34) break;
      }
      if (i >= n) return false;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (--depth < 0) return false;
      if (depth === 0 && i !== n - 1) return false;
    }
  }
  return depth === 0;
}

/** The string literal whose opening quote is at `open`: its end index (the closing quote) or -1. */
function stringEnd(d: string, open: number): number {
  for (let i = open + 1; i < d.length; i++) {
    const c = d.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i;
  }
  return -1;
}

/** The value of `"key":"…"` after `from`, unescaped; undefined when the key has no string value there. */
function stringAfter(d: string, key: string, from: number): string | undefined {
  const k = d.indexOf(key, from);
  if (k < 0) return undefined;
  const open = k + key.length - 1;
  const close = stringEnd(d, open);
  if (close < 0) return undefined;
  const raw = d.slice(open + 1, close);
  return raw.includes('\\') ? (JSON.parse(d.slice(open, close + 1)) as string) : raw;
}

const STREAM_ERROR_STATUS: Record<string, number> = {
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  overloaded: 503,
  overloaded_error: 503,
  server_error: 500,
  invalid_request_error: 400,
};

/** An error an OpenAI-compatible upstream reports inside its stream (`data: {"error":{…}}`). */
function streamError(e: Record<string, unknown>): UpstreamError {
  const code = str(e.code) ?? null;
  const status = num(e.code) ?? STREAM_ERROR_STATUS[code ?? ''] ?? STREAM_ERROR_STATUS[str(e.type) ?? ''] ?? 500;
  return upstreamError({ status, message: str(e.message) ?? 'upstream error in stream', code: code ?? str(e.type) ?? null });
}

export class OpenAIStreamDecoder implements StreamDecoder {
  private finished = false;
  private usage: OpenAIUsage | undefined;
  private done = false;
  private chars = 0;
  /** the first chunk, whose id and model an estimated usage chunk repeats */
  private first: string | undefined;

  constructor(private readonly ctx: DecodeContext) {}

  push(event: SseEvent): StreamItem[] {
    if (this.done) return [];
    const d = event.data;
    if (d === '[DONE]') return this.complete();
    if (!jsonFramed(d)) return [{ kind: 'malformed', detail: `event is not JSON: ${d.slice(0, 80)}` }];
    if (event.event === 'error' || d.indexOf('"choices":') < 0) return this.slow(d);
    this.first ??= d;
    const items: StreamItem[] = [];
    const usageAt = d.indexOf('"usage":{');
    const delta = d.indexOf('"delta":{');
    if (delta >= 0) items.push(this.chunk(d, delta));
    if (d.indexOf('"finish_reason":"') >= 0) this.finished = true;
    if (usageAt >= 0) {
      const parsed = JSON.parse(d) as Record<string, unknown>;
      const usage = normaliseUsage(parsed.usage);
      if (!usage) return [...items, { kind: 'malformed', detail: 'usage without prompt_tokens/completion_tokens' }];
      this.usage = usage;
      items.push({ kind: 'usage', usage, data: delta >= 0 ? usageChunk(parsed, usage) : d });
    }
    if (this.finished && this.usage) items.push(this.markDone());
    return items;
  }

  private chunk(d: string, delta: number): StreamItem {
    const text = stringAfter(d, '"content":"', delta);
    let content = text !== undefined && text.length > 0;
    if (text) this.chars += text.length;
    if (!content) {
      const refusal = stringAfter(d, '"refusal":"', delta);
      content = (refusal !== undefined && refusal.length > 0) || d.indexOf('"tool_calls":[', delta) >= 0 || d.indexOf('"function_call":{', delta) >= 0;
    }
    const logprobs = this.ctx.logprobs && d.indexOf('"logprobs":{') >= 0 ? chunkLogprobs(d) : undefined;
    if (!content) return { kind: 'chunk', data: d, content };
    if (logprobs) return { kind: 'chunk', data: d, content, ...(text ? { text } : {}), logprobs };
    return text ? { kind: 'chunk', data: d, content, text } : { kind: 'chunk', data: d, content };
  }

  /** An error object, or a chunk shaped other than the scan expects. */
  private slow(d: string): StreamItem[] {
    const v = tryJson(d);
    if (isObject(v) && isObject(v.error)) return [{ kind: 'error', error: streamError(v.error) }];
    if (isObject(v) && isObject(v.usage)) {
      const usage = normaliseUsage(v.usage);
      if (usage) {
        this.usage = usage;
        return this.finished ? [{ kind: 'usage', usage, data: d }, this.markDone()] : [{ kind: 'usage', usage, data: d }];
      }
    }
    return [{ kind: 'malformed', detail: `event is not a chat.completion.chunk: ${d.slice(0, 80)}` }];
  }

  private markDone(): StreamItem {
    this.done = true;
    return { kind: 'done' };
  }

  /** `[DONE]`, or the body ended after a finish reason: usage (estimated if none came) and done. */
  private complete(): StreamItem[] {
    if (this.done) return [];
    if (this.usage) return [this.markDone()];
    const usage = estimatedUsage(this.ctx, this.chars);
    const head = this.first ? tryJson(this.first) : undefined;
    const data = usageChunk(isObject(head) ? head : { id: this.ctx.id, created: this.ctx.created, model: this.ctx.model }, usage);
    this.usage = usage;
    return [{ kind: 'usage', usage, data }, this.markDone()];
  }

  end(): StreamItem[] {
    return this.finished && !this.done ? this.complete() : [];
  }
}

/** A usage-only chunk with the identity of `like` (an upstream chunk). */
function usageChunk(like: Record<string, unknown>, usage: OpenAIUsage): string {
  return JSON.stringify({ id: like.id, object: 'chat.completion.chunk', created: like.created, model: like.model, choices: [], usage });
}

function chunkLogprobs(d: string): number[] | undefined {
  const v = JSON.parse(d) as { choices?: Array<{ logprobs?: { content?: Array<{ logprob?: unknown }> | null } | null }> };
  const content = v.choices?.[0]?.logprobs?.content;
  if (!Array.isArray(content)) return undefined;
  return content.map((t) => (typeof t.logprob === 'number' ? t.logprob : Number.NaN));
}
