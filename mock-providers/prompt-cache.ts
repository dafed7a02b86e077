/**
 * Provider-side prompt caching, per endpoint: a repeated prompt prefix is served from a cache and
 * billed at the cached-input price. The prompt is read as one text (`role\n content\n` per
 * message, ~4 characters a token, as core/tokens counts) and its prefixes are hashed at the points
 * where the API caches:
 *   - automatic (OpenAI, Gemini): every `stepTokens` from `minTokens` on — OpenAI caches prefixes
 *     of 1,024+ tokens in 128-token steps; a hit reads the longest cached one;
 *   - explicit (Anthropic): at each `cache_control` breakpoint of at least `minTokens`; a hit reads
 *     the longest cached breakpoint and writes the prompt up to the last one (billed as a cache write).
 * Entries are scoped by model and API key (caches are not shared between organisations), live for
 * the TTL after their last use (a breakpoint's own `ttl` when it names one), and the oldest go
 * past `maxEntries`.
 */
import { createHash, type Hash } from 'node:crypto';
import { BoundedMap } from '../core/bounded-map.js';
import { CHARS_PER_TOKEN } from '../core/tokens.js';
import type { ContentMessage } from './content.js';
import type { PromptCacheConfig } from './fleet-schema.js';
import type { FormatName } from './formats/names.js';
import type { CacheBreakpoint } from './formats/types.js';

export interface PromptCacheRule {
  minTokens: number;
  stepTokens: number;
  ttlMs: number;
  /** only at the request's cache_control breakpoints (Anthropic) */
  explicit: boolean;
}

const MINUTES = 60_000;

/** What each API does by default (Gemini's implicit cache documents no step; 128 is the mock's). */
export const DEFAULT_PROMPT_CACHE: Record<FormatName, PromptCacheRule> = {
  openai: { minTokens: 1024, stepTokens: 128, ttlMs: 5 * MINUTES, explicit: false },
  anthropic: { minTokens: 1024, stepTokens: 1, ttlMs: 5 * MINUTES, explicit: true },
  gemini: { minTokens: 1024, stepTokens: 128, ttlMs: 5 * MINUTES, explicit: false },
};

/** The format's rule with the fleet's overrides; null when the provider turns caching off. */
export function promptCacheRule(format: FormatName, config: PromptCacheConfig | undefined): PromptCacheRule | null {
  if (config === false) return null;
  const base = DEFAULT_PROMPT_CACHE[format];
  return { ...base, ...(config ?? {}) };
}

export interface CacheUse {
  /** prompt tokens read from the cache */
  readTokens: number;
  /** prompt tokens written to the cache (explicit caching only; automatic writes are free) */
  writeTokens: number;
}

/** A lookup whose prefixes are stored only when the call goes ahead (a refused call caches nothing). */
export interface CacheLookup extends CacheUse {
  commit(): void;
}

export const NO_CACHE: CacheLookup = { readTokens: 0, writeTokens: 0, commit: () => undefined };

interface Point {
  key: string;
  tokens: number;
  ttlMs: number;
}

const roleHead = (m: ContentMessage): string => `${m.role}\n`;

/** Hash prefixes of the prompt text ending at the given character offsets (ascending). */
function hashPoints(scope: string, messages: readonly ContentMessage[], cuts: ReadonlyArray<{ chars: number; ttlMs: number }>): Point[] {
  const h: Hash = createHash('sha1').update(scope);
  const points: Point[] = [];
  let fed = 0;
  let c = 0;
  for (const m of messages) {
    for (const part of [roleHead(m), m.content, '\n']) {
      let at = 0; // position within this part already hashed
      while (c < cuts.length && cuts[c]!.chars <= fed + part.length) {
        const cut = cuts[c++]!;
        h.update(part.slice(at, cut.chars - fed));
        at = cut.chars - fed;
        points.push({ key: h.copy().digest('base64'), tokens: Math.floor(cut.chars / CHARS_PER_TOKEN), ttlMs: cut.ttlMs });
      }
      h.update(part.slice(at));
      fed += part.length;
    }
  }
  return points;
}

function promptChars(messages: readonly ContentMessage[]): number {
  let n = 0;
  for (const m of messages) n += roleHead(m).length + m.content.length + 1;
  return n;
}

/** Character offset in the prompt text of the end of a breakpoint. */
function breakpointChars(messages: readonly ContentMessage[], b: CacheBreakpoint): number {
  let n = 0;
  for (let i = 0; i < b.message && i < messages.length; i++) n += roleHead(messages[i]!).length + messages[i]!.content.length + 1;
  const m = messages[b.message];
  return m ? n + roleHead(m).length + Math.min(b.chars, m.content.length) : n;
}

export class PromptCache {
  /** key → expiry (ms epoch); insertion order is age */
  private readonly entries: BoundedMap<string, number>;

  constructor(
    readonly rule: PromptCacheRule,
    maxEntries = 100_000,
  ) {
    this.entries = new BoundedMap(maxEntries);
  }

  /** Look the prompt up and store its prefixes at once. */
  use(model: string, key: string | null, messages: readonly ContentMessage[], breakpoints: readonly CacheBreakpoint[] | undefined, now: number): CacheUse {
    const found = this.lookup(model, key, messages, breakpoints, now);
    found.commit();
    return found;
  }

  /** What the call would read from and write to the cache; `commit()` stores its prefixes. */
  lookup(
    model: string,
    key: string | null,
    messages: readonly ContentMessage[],
    breakpoints: readonly CacheBreakpoint[] | undefined,
    now: number,
  ): CacheLookup {
    const { minTokens, stepTokens, ttlMs, explicit } = this.rule;
    const scope = `${model}\u0000${key ?? ''}\u0000`;
    let cuts: Array<{ chars: number; ttlMs: number }>;
    if (explicit) {
      cuts = (breakpoints ?? [])
        .map((b) => ({ chars: breakpointChars(messages, b), ttlMs: b.ttlMs ?? ttlMs }))
        .filter((c) => Math.floor(c.chars / CHARS_PER_TOKEN) >= minTokens)
        .sort((a, b) => a.chars - b.chars);
    } else {
      const total = Math.floor(promptChars(messages) / CHARS_PER_TOKEN);
      if (total < minTokens) return NO_CACHE;
      cuts = [];
      for (let t = minTokens; t <= total; t += stepTokens) cuts.push({ chars: t * CHARS_PER_TOKEN, ttlMs });
    }
    if (cuts.length === 0) return NO_CACHE;
    const points = hashPoints(scope, messages, cuts);
    let read = 0;
    for (const p of points) {
      const expiry = this.entries.get(p.key);
      if (expiry !== undefined && expiry > now) read = Math.max(read, p.tokens);
    }
    const last = points[points.length - 1]!.tokens;
    const commit = (): void => {
      for (const p of points) this.store(p.key, now + p.ttlMs);
    };
    return { readTokens: read, writeTokens: explicit && last > read ? last - read : 0, commit };
  }

  private store(key: string, expiry: number): void {
    this.entries.set(key, expiry);
  }
}
