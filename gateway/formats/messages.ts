/** Reading the front door's OpenAI messages, for formats that shape them differently. */
import type { ChatMessage, ChatRequest } from '../domain/request.js';
import { isObject, str } from './errors.js';

/** The text of a message's content: a string, or the `text` of its text parts joined. */
export function contentText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const p of content) if (isObject(p) && p.type === 'text' && typeof p.text === 'string') out += p.text;
  return out;
}

/** An image part's URL (`image_url.url` or `image_url` as a string), when the part is one. */
export function imageUrl(part: unknown): string | undefined {
  if (!isObject(part) || part.type !== 'image_url') return undefined;
  return isObject(part.image_url) ? str(part.image_url.url) : str(part.image_url);
}

/** `data:<mime>;base64,<data>` split, when the URL is one. */
export function dataUrl(url: string): { mediaType: string; data: string } | undefined {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return m ? { mediaType: m[1]!, data: m[2]! } : undefined;
}

export interface ToolCall {
  id: string;
  name: string;
  /** the arguments parsed (an object); `{}` when they are not JSON */
  args: Record<string, unknown>;
}

/** An assistant message's `tool_calls` (and legacy `function_call`). */
export function toolCalls(m: ChatMessage): ToolCall[] {
  const out: ToolCall[] = [];
  const calls = Array.isArray(m.tool_calls) ? m.tool_calls : [];
  for (const c of calls) {
    if (!isObject(c) || !isObject(c.function)) continue;
    out.push({
      id: str(c.id) ?? `call_${out.length}`,
      name: str(c.function.name) ?? '',
      args: parseArgs(c.function.arguments),
    });
  }
  if (isObject(m.function_call)) {
    const f = m.function_call;
    out.push({ id: str(m.name) ?? 'call_fn', name: str(f.name) ?? '', args: parseArgs(f.arguments) });
  }
  return out;
}

function parseArgs(a: unknown): Record<string, unknown> {
  if (typeof a !== 'string') return isObject(a) ? a : {};
  try {
    const v = JSON.parse(a) as unknown;
    return isObject(v) ? v : {};
  } catch {
    return {};
  }
}

/** `stop` as a list (OpenAI allows a string or up to 4 strings). */
export function stopList(request: ChatRequest): string[] | undefined {
  const s = request.stop;
  if (typeof s === 'string') return [s];
  if (Array.isArray(s)) return s.filter((x): x is string => typeof x === 'string');
  return undefined;
}

/** OpenAI `tools[]` of type function as name, description and JSON schema. */
export function functionTools(
  request: ChatRequest,
): Array<{ name: string; description?: string; parameters: Record<string, unknown> }> {
  const tools = Array.isArray(request.tools) ? request.tools : [];
  const out = [];
  for (const t of tools) {
    if (!isObject(t) || t.type !== 'function' || !isObject(t.function)) continue;
    const f = t.function;
    const name = str(f.name);
    if (!name) continue;
    const description = str(f.description);
    const parameters = isObject(f.parameters) ? f.parameters : { type: 'object', properties: {} };
    out.push(description === undefined ? { name, parameters } : { name, description, parameters });
  }
  return out;
}

/** The output token cap the client asked for. */
export const maxTokens = (r: ChatRequest): number | undefined => r.max_completion_tokens ?? r.max_tokens ?? undefined;
