/**
 * Reading what an OpenAI-compatible endpoint answered: completion bodies, stream chunks, usage
 * (with stormlab's `usage.cost_usd`), and which provider/region served it — from the gateway's
 * `x-gateway-*` (or `x-stormlab-*`) headers, or from the mock's `system_fingerprint: "stormlab:<provider>/<region>"`
 * that survives any pass-through gateway. Pure TS (k6-safe); the driver and the k6 entry share it.
 */

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** stormlab's gateway adds `usage.cost_usd` */
  costUsd?: number;
}

export interface Served {
  provider: string;
  region: string;
}

export interface Attribution {
  provider?: string;
  region?: string;
  /** `x-stormlab-cache`: miss | exact | semantic; absent when the gateway does not say */
  cache?: string;
  /** `x-stormlab-attempts`, 1 when absent */
  attempts: number;
  /** `x-stormlab-upstream` */
  upstream?: string;
  /** `x-request-id` as echoed */
  requestId?: string;
  /** `x-stormlab-cache-source`: on a cache hit, the `x-request-id` of the request whose answer was reused */
  cacheSource?: string;
  /** `x-gateway-queue-ms` (or `x-stormlab-queue-ms`): ms the gateway held the request in a pacing queue */
  queueMs?: number;
}

export type HeaderGetter = (name: string) => string | undefined;

/** Case-insensitive header lookup over a plain object (undici: lower-case keys, k6: canonical keys). */
export function headerGetter(headers: Readonly<Record<string, string | string[] | undefined>>): HeaderGetter {
  const lower = new Map<string, string>();
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    lower.set(k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v);
  }
  return (name) => lower.get(name.toLowerCase());
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `stormlab:<provider>/<region>` → { provider, region }. */
export function parseFingerprint(fp: unknown): Served | undefined {
  if (typeof fp !== 'string') return undefined;
  const m = /^stormlab:([^/\s]+)\/([^/\s]+)$/.exec(fp);
  return m ? { provider: m[1] as string, region: m[2] as string } : undefined;
}

/** `usage` of a completion or of a stream's usage chunk. */
export function readUsage(body: unknown): Usage | undefined {
  if (!isObject(body) || !isObject(body.usage)) return undefined;
  const u = body.usage;
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const promptTokens = num(u.prompt_tokens);
  const completionTokens = num(u.completion_tokens);
  if (promptTokens === undefined && completionTokens === undefined) return undefined;
  const usage: Usage = { promptTokens: promptTokens ?? 0, completionTokens: completionTokens ?? 0 };
  const cost = num(u.cost_usd);
  if (cost !== undefined) usage.costUsd = cost;
  return usage;
}

/** Text a chunk adds: every choice's non-empty `delta.content`, concatenated. */
export function chunkText(chunk: unknown): string {
  if (!isObject(chunk) || !Array.isArray(chunk.choices)) return '';
  let text = '';
  for (const c of chunk.choices) {
    if (isObject(c) && isObject(c.delta) && typeof c.delta.content === 'string') text += c.delta.content;
  }
  return text;
}

/** A content-bearing chunk: the one that counts for TTFT. Role-only and usage-only chunks are not. */
export function isContentChunk(chunk: unknown): boolean {
  return chunkText(chunk).length > 0;
}

/** An `error` object inside a body or stream event, as its message. */
export function errorMessage(body: unknown): string | undefined {
  if (!isObject(body) || body.error === undefined || body.error === null) return undefined;
  const e = body.error;
  if (isObject(e) && typeof e.message === 'string') return e.message;
  return typeof e === 'string' ? e : JSON.stringify(e);
}

/** What a non-streamed completion said. */
export interface Completion {
  text: string;
  usage?: Usage;
  served?: Served;
}

export function readCompletion(body: unknown): Completion {
  let text = '';
  if (isObject(body) && Array.isArray(body.choices)) {
    for (const c of body.choices) {
      if (isObject(c) && isObject(c.message) && typeof c.message.content === 'string') text += c.message.content;
    }
  }
  const out: Completion = { text };
  const usage = readUsage(body);
  if (usage) out.usage = usage;
  const served = isObject(body) ? parseFingerprint(body.system_fingerprint) : undefined;
  if (served) out.served = served;
  return out;
}

/**
 * Folds the `data:` payloads of one chat stream. `atMs` is when the payload arrived (the driver
 * passes a clock; k6, which sees the body whole, passes nothing).
 */
export class StreamAccumulator {
  /** keep the content text (conversations resend it); otherwise only its length is counted */
  constructor(private readonly keepText = false) {}
  done = false;
  /** the content, when kept */
  text = '';
  contentChunks = 0;
  textLength = 0;
  firstContentMs: number | undefined;
  lastContentMs: number | undefined;
  usage: Usage | undefined;
  served: Served | undefined;
  /** an `error` object sent inside the stream */
  error: string | undefined;
  /** payloads that were not JSON (nor `[DONE]`) */
  malformed = 0;

  feed(data: string, atMs?: number): void {
    if (data.trim() === '[DONE]') {
      this.done = true;
      return;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      this.malformed++;
      return;
    }
    const err = errorMessage(chunk);
    if (err !== undefined) this.error ??= err;
    if (!this.served && isObject(chunk)) this.served = parseFingerprint(chunk.system_fingerprint);
    const usage = readUsage(chunk);
    if (usage) this.usage = usage;
    const text = chunkText(chunk);
    if (text.length === 0) return;
    this.contentChunks++;
    this.textLength += text.length;
    if (this.keepText) this.text += text;
    if (atMs !== undefined) {
      this.firstContentMs ??= atMs;
      this.lastContentMs = atMs;
    }
  }

  /** Mean gap between content chunks (ms), when there were at least two and a clock. */
  meanItlMs(): number | undefined {
    if (this.contentChunks < 2 || this.firstContentMs === undefined || this.lastContentMs === undefined) return undefined;
    return (this.lastContentMs - this.firstContentMs) / (this.contentChunks - 1);
  }
}

/** The first of a gateway header's names that is present: the reference gateway's `x-gateway-*`, else `x-stormlab-*`. */
function header(get: HeaderGetter, name: string): string | undefined {
  return get(`x-gateway-${name}`) ?? get(`x-stormlab-${name}`);
}

/** Who served the response: headers first, the body's fingerprint otherwise. */
export function attribution(get: HeaderGetter, served?: Served): Attribution {
  const out: Attribution = { attempts: 1 };
  const provider = header(get, 'provider') ?? served?.provider;
  const region = header(get, 'region') ?? served?.region;
  if (provider) out.provider = provider;
  if (region) out.region = region;
  const cache = header(get, 'cache')?.trim().toLowerCase();
  if (cache) out.cache = cache;
  const attempts = Number.parseInt(header(get, 'attempts') ?? '', 10);
  if (Number.isFinite(attempts) && attempts >= 1) out.attempts = attempts;
  const upstream = header(get, 'upstream');
  if (upstream) out.upstream = upstream;
  const rid = get('x-request-id');
  if (rid) out.requestId = rid;
  const source = header(get, 'cache-source');
  if (source) out.cacheSource = source;
  const queue = Number(header(get, 'queue-ms') ?? Number.NaN);
  if (Number.isFinite(queue) && queue >= 0) out.queueMs = queue;
  return out;
}
