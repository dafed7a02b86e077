/**
 * What a wire format declares. A format is pure: it peeks at and parses a request into a
 * format-neutral CallRequest, renders a completion (whole or as stream events), and shapes errors,
 * rate-limit headers and the model list. The endpoint engine does the HTTP, the timing, the
 * limits, the faults, the ledger and the error handling, so a format is one small file plus a line
 * in formats/index.ts.
 */
import type { StormlabError } from '../../core/errors.js';
import type { ContentMessage } from '../content.js';
import type { FinishReason } from '../latency.js';
import type { FormatName } from './names.js';

/** A request as the engine sees it, whatever the wire format. */
export interface CallRequest {
  model: string;
  /** messages flattened to text (what the prompt-token estimate and the completion text key on) */
  messages: ContentMessage[];
  promptTokens: number;
  /** null → the model's cap */
  maxTokens: number | null;
  stream: boolean;
  /** stream: append a usage event (OpenAI `stream_options.include_usage`) */
  includeUsage: boolean;
  /** token log-probabilities asked for (OpenAI `logprobs: true`), with `top` alternatives each */
  logprobs?: { top: number } | null;
  /** explicit prompt-cache breakpoints (Anthropic `cache_control`), in message order */
  cacheBreakpoints?: CacheBreakpoint[];
}

/** The end of a content block marked for caching: message index, characters of its content up to there. */
export interface CacheBreakpoint {
  message: number;
  chars: number;
  /** the block's own TTL (Anthropic `ttl: "1h"`), else the provider's */
  ttlMs?: number;
}

/** One alternative at a token position. */
export interface TopLogprob {
  token: string;
  logprob: number;
}

/** One output token's log-probability and the most likely tokens at its position. */
export interface TokenLogprob extends TopLogprob {
  top: TopLogprob[];
}

/** The parts of an HTTP request a format may read. */
export interface RequestParts {
  body: unknown;
  params: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
}

/** What the engine needs before validation (fault scopes match on the model; stream faults on `stream`). */
export interface Peek {
  model: string | null;
  stream: boolean;
}

export interface ResponseMeta {
  /** format-neutral unique id carrying the endpoint (`stormlab:openai/us-east:1z`) */
  callId: string;
  /** `stormlab:<provider>/<region>` */
  fingerprint: string;
  model: string;
  /** arrival, Unix seconds */
  created: number;
  includeUsage: boolean;
  promptTokens: number;
  /** prompt-cache reads and writes (for usage sent before the end, e.g. Anthropic's message_start) */
  cachedTokens?: number;
  cacheWriteTokens?: number;
  /** per output token, when the request asked for log-probabilities */
  logprobs?: readonly TokenLogprob[];
}

export interface Usage {
  /** every prompt token, cached or not */
  promptTokens: number;
  completionTokens: number;
  /** prompt tokens read from the provider's prompt cache */
  cachedTokens?: number;
  /** prompt tokens written to the prompt cache (Anthropic) */
  cacheWriteTokens?: number;
}

export interface Completion {
  text: string;
  usage: Usage;
  finishReason: FinishReason;
  /** per output token, when the request asked for log-probabilities */
  logprobs?: readonly TokenLogprob[];
}

/** Per-call stream renderer: the strings to write, ready for the socket. Keep `piece` cheap. */
export interface StreamRenderer {
  /** content-type of the stream (default: text/event-stream) */
  contentType?: string;
  /** written together with the first piece (e.g. the role chunk) */
  head(): string;
  /** one content event for token piece number `index` */
  piece(text: string, index: number): string;
  /** after the last piece: finish event, usage event if asked, terminator */
  tail(usage: Usage, finishReason: FinishReason): string;
}

/** One request/token budget as the rate-limit headers report it. */
export interface LimitWindow {
  limit: number;
  remaining: number;
  /** ms until the budget is full again */
  resetMs: number;
}

export interface RateLimitState {
  requests?: LimitWindow;
  tokens?: LimitWindow;
  /** Anthropic's input- and output-token limits */
  inputTokens?: LimitWindow;
  outputTokens?: LimitWindow;
}

export interface WireError {
  status: number;
  error: StormlabError;
  /** extra response headers (retry-after, rate-limit state) */
  headers?: Record<string, string>;
  /** a 429 from the rate limiter: which budget ran out */
  limit?: 'requests' | 'tokens' | 'input_tokens' | 'output_tokens';
}

export interface CallRoute {
  method: 'POST';
  url: string;
  /** routes sharing a URL (Gemini's `models/{model}:{method}`): does this one serve the request */
  accepts?(req: RequestParts): boolean;
  peek(req: RequestParts): Peek;
  /** validate and normalise; throw StormlabError (MOCK_BAD_REQUEST naming the field) on bad input */
  parse(req: RequestParts): CallRequest;
  body(meta: ResponseMeta, completion: Completion): string;
  stream(meta: ResponseMeta, req: RequestParts): StreamRenderer;
}

export interface EmbeddingRequest {
  model: string;
  inputs: string[];
  /** null → the model's default */
  dimensions: number | null;
  encoding: 'float' | 'base64';
}

export interface EmbeddingRoute {
  url: string;
  /** as CallRoute.accepts */
  accepts?(req: RequestParts): boolean;
  peek(req: RequestParts): Peek;
  parse(req: RequestParts): EmbeddingRequest;
  body(meta: ResponseMeta, vectors: readonly Float32Array[], encoding: 'float' | 'base64', promptTokens: number): string;
}

export interface ModelListing {
  name: string;
  kind: 'chat' | 'embedding';
  maxOutputTokens?: number;
}

export interface FormatUnit {
  name: FormatName;
  calls: CallRoute[];
  embeddings?: EmbeddingRoute[];
  /** the model-list route of this API */
  models: { url: string; body(models: readonly ModelListing[], provider: string): unknown };
  /** the JSON body of an error response in this API's shape */
  errorBody(e: WireError): unknown;
  /** the message this API sends with a status it makes itself (server errors, overload, 429) */
  statusMessage(status: number): string;
  /** the status this API answers "overloaded" with (Anthropic 529, others 503) */
  overloadedStatus: number;
  /** rate-limit headers in this API's names; none when the API sends none */
  rateLimitHeaders?(state: RateLimitState, nowMs: number): Record<string, string>;
}
