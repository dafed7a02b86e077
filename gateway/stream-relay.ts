import { eventData, SseSplitter } from './sse.js';

export interface RelayOptions {
  /** the client asked for the usage chunk (`stream_options.include_usage`) */
  includeUsage: boolean;
  /** price a `usage` object; the result is added to it as `cost_usd` */
  onUsage(usage: unknown): number | undefined;
  /** called once when the relay stops: the upstream ended, failed, or the client left */
  onEnd(end: RelayEnd): void;
}

export interface RelayEnd {
  /** the upstream sent `data: [DONE]` */
  done: boolean;
  /** the upstream body failed (reset, timeout, abort) */
  error?: unknown;
}

const USAGE_OBJECT = /"usage"\s*:\s*\{/;

/** One event as it goes to the client, or null to drop it. */
function transform(event: string, opts: RelayOptions, seen: { done: boolean }): string | null {
  const data = eventData(event);
  if (data === undefined) return event;
  if (data === '[DONE]') {
    seen.done = true;
    return event;
  }
  if (!USAGE_OBJECT.test(data)) return event; // the common case: forwarded byte for byte
  let chunk: { usage?: unknown; choices?: unknown };
  try {
    chunk = JSON.parse(data) as typeof chunk;
  } catch {
    return event;
  }
  const usage = chunk.usage;
  if (typeof usage !== 'object' || usage === null) return event;
  const cost = opts.onUsage(usage);
  const usageOnly = Array.isArray(chunk.choices) && chunk.choices.length === 0;
  if (usageOnly && !opts.includeUsage) return null; // asked for by the gateway, not the client
  if (cost !== undefined) (usage as Record<string, unknown>).cost_usd = cost;
  return `data: ${JSON.stringify(chunk)}`;
}

/**
 * Relay an upstream SSE body to the client event by event as bytes arrive (no buffering beyond
 * one partial event), pricing the usage chunk on the way. An upstream failure ends the relay
 * quietly: the client sees the stream stop without `data: [DONE]`, which is how truncation shows.
 */
export async function* relaySse(source: AsyncIterable<Buffer>, opts: RelayOptions): AsyncGenerator<string> {
  const splitter = new SseSplitter();
  const seen = { done: false };
  let error: unknown;
  try {
    for await (const bytes of source) {
      let out = '';
      for (const event of splitter.push(bytes)) {
        const t = transform(event, opts, seen);
        if (t !== null) out += `${t}\n\n`;
      }
      if (out) yield out;
    }
    const rest = splitter.flush();
    const t = rest === undefined ? null : transform(rest, opts, seen);
    if (t !== null) yield `${t}\n\n`;
  } catch (e) {
    error = e;
  } finally {
    opts.onEnd(error === undefined ? { done: seen.done } : { done: seen.done, error });
  }
}
