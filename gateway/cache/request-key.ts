/**
 * What a cached answer is keyed by. Two requests share an exact entry only when the route, every
 * output-affecting parameter (temperature, top_p, tools, response_format, seed, stop, …) and the
 * normalised messages (system prompt included) are the same. What does not change the answer is
 * left out: `stream`, `stream_options`, `metadata`, `user`, `store`, `service_tier`, and the
 * output cap (`max_tokens`), which is checked apart (cache.ts: `fitsCap`). The semantic
 * partition is the same key without the last user message, whose text is what gets embedded.
 */
import { hash } from 'node:crypto';
import { normalizePrompt } from '../../core/prompt-key.js';
import type { ChatMessage, ChatRequest } from '../domain/request.js';

/** Request fields that do not change the answer (or, for the cap, are checked apart). */
const NOT_OUTPUT_AFFECTING = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'metadata',
  'user',
  'store',
  'service_tier',
  'max_tokens',
  'max_completion_tokens',
]);

/** OpenAI's defaults, so an omitted parameter and its default share entries. */
const DEFAULTS: Readonly<Record<string, unknown>> = { temperature: 1, top_p: 1, n: 1, presence_penalty: 0, frequency_penalty: 0 };

/** JSON with object keys sorted, so key order in the request never matters. */
export function canonicalJson(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(v[i]);
    return `${out}]`;
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).sort();
    let out = '{';
    for (const k of keys) {
      if (o[k] === undefined) continue;
      out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${canonicalJson(o[k])}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Whitespace `normalizePrompt` would change: at an end, a run, or other than a plain space. */
const UNFOLDED = /^\s|\s$|\s\s|[^\S ]/;

/** The text of a message's content: a string, or its text parts joined; other parts kept as JSON. */
function contentOf(content: ChatMessage['content']): unknown {
  if (typeof content === 'string') return UNFOLDED.test(content) ? normalizePrompt(content) : content;
  if (!Array.isArray(content)) return null;
  const texts = content.map((p) => {
    const part = p as { type?: unknown; text?: unknown } | null;
    return part && typeof part === 'object' && part.type === 'text' ? part.text : undefined;
  });
  if (texts.every((t) => typeof t === 'string')) return normalizePrompt((texts as string[]).join('\n'));
  return content;
}

/** A message with its content's whitespace folded (leading, trailing and runs) and text parts joined. */
export function normaliseMessage(m: ChatMessage): unknown {
  return { ...m, content: contentOf(m.content) };
}

/** canonicalJson(normaliseMessage(m)), without the copy for the usual message: a role and a text. */
function messageJson(m: ChatMessage): string {
  let fields = 0;
  for (const k in m) if ((m as unknown as Record<string, unknown>)[k] !== undefined) fields += 1;
  if (fields === 2 && typeof m.role === 'string' && typeof m.content === 'string') {
    // sorted keys: "content" before "role"
    return `{"content":${JSON.stringify(contentOf(m.content))},"role":${JSON.stringify(m.role)}}`;
  }
  return canonicalJson(normaliseMessage(m));
}

const DEFAULT_NAMES = Object.keys(DEFAULTS);

/** Whether the request sets any parameter that changes the answer (most set none: the defaults apply). */
function setsParams(request: ChatRequest): boolean {
  const r = request as unknown as Record<string, unknown>;
  for (const k in r) if (!NOT_OUTPUT_AFFECTING.has(k) && r[k] !== null && r[k] !== undefined) return true;
  return false;
}

/** The parameters that change the answer, defaults filled in. */
export function outputParams(request: ChatRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const r = request as unknown as Record<string, unknown>;
  for (const k of Object.keys(r)) {
    const v = r[k];
    if (!NOT_OUTPUT_AFFECTING.has(k) && v !== null && v !== undefined) out[k] = v;
  }
  for (const k of DEFAULT_NAMES) out[k] ??= DEFAULTS[k];
  return out;
}

/** More than one user turn, or an assistant or tool turn: a conversation, not a single question. */
export function isMultiTurn(messages: readonly ChatMessage[]): boolean {
  let users = 0;
  for (const m of messages) {
    if (m.role === 'user') users += 1;
    else if (m.role !== 'system' && m.role !== 'developer') return true;
  }
  return users > 1;
}

/** The last user message's text (what the semantic cache embeds), when it has one. */
export function queryText(messages: readonly ChatMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as ChatMessage;
    if (m.role !== 'user') continue;
    const c = contentOf(m.content);
    return typeof c === 'string' && c.length > 0 ? c : undefined;
  }
  return undefined;
}

const sha256 = (text: string): string => hash('sha256', text, 'hex');

export interface RequestKeys {
  /** the exact key, before the tenant and scope are added */
  readonly exact: string;
  /** the semantic partition (everything but the last user message), before tenant and scope */
  readonly partition: string;
}

/**
 * The digests of `canonicalJson([route, params, messages])` — the route and the parameters as
 * JSON once, each message once — and of the same without the last user message (the
 * partition), made only when it is read: a route without a semantic cache never needs it.
 */
class Keys implements RequestKeys {
  readonly exact: string;
  private part: string | undefined;

  constructor(
    private readonly head: string,
    private readonly messages: readonly string[],
    private readonly lastUser: number,
  ) {
    this.exact = sha256(`${head}${messages.join(',')}]]`);
  }

  get partition(): string {
    const context = this.lastUser < 0 ? this.messages : this.messages.filter((_, i) => i !== this.lastUser);
    return (this.part ??= sha256(`${this.head}${context.join(',')}]]`));
  }
}

/** The start of the keyed JSON for a route's requests with the default parameters, by route. */
const defaultHeads = new Map<string, string>();

/** `[route,params,[` of the keyed JSON. */
function headOf(route: string, request: ChatRequest): string {
  if (setsParams(request)) return `[${canonicalJson(route)},${canonicalJson(outputParams(request))},[`;
  let head = defaultHeads.get(route);
  if (head === undefined) {
    head = `[${canonicalJson(route)},${canonicalJson(outputParams(request))},[`;
    // route names come from config; the bound only guards against a caller passing others
    if (defaultHeads.size < 10_000) defaultHeads.set(route, head);
  }
  return head;
}

/** The keys of a request to a route. */
export function requestKeys(route: string, request: ChatRequest): RequestKeys {
  const head = headOf(route, request);
  const messages = request.messages.map(messageJson);
  let last = -1;
  for (let i = request.messages.length - 1; i >= 0; i--) if (request.messages[i]?.role === 'user') {
    last = i;
    break;
  }
  return new Keys(head, messages, last);
}

/** A key within a tenant and a scope (`region:us-east`, `zone:eu`, `global`). */
export function scoped(key: string, tenant: string, scope: string): string {
  return `${tenant}\u0000${scope}\u0000${key}`;
}
