/**
 * What an upstream wire format adapter provides (formats/: openai, anthropic, gemini). The
 * front door speaks OpenAI Chat Completions; an adapter translates one attempt's request into
 * its upstream's format and the upstream's answer (body, stream events, usage, errors) back.
 */
import type { ChatCompletion, OpenAIErrorBody, OpenAIUsage } from './openai.js';
import type { ChatRequest, EmbeddingsRequest } from './request.js';

export type FormatName = 'openai' | 'anthropic' | 'gemini';

/** One Server-Sent Event as the upstream framed it. */
export interface SseEvent {
  /** the `event:` field, when present (Anthropic names every event) */
  readonly event?: string;
  /** the `data:` lines joined by \n */
  readonly data: string;
}

/** What an attempt asks of the adapter beyond the client's request. */
export interface EncodeOptions {
  /** the model name this upstream is asked for */
  readonly model: string;
  /**
   * Assistant text already sent to the client by an earlier attempt whose stream broke: the
   * upstream is asked to continue it (assistant prefill). Only set for upstreams that declare
   * `prefill: true`.
   */
  readonly prefill?: string;
}

/** Identity stamped on translated responses (chunk ids, `created`, `model`). */
export interface DecodeContext {
  /** the gateway's response id, e.g. `chatcmpl-<request id>` */
  readonly id: string;
  /** the model name the response names: the served target's model */
  readonly model: string;
  /** unix seconds */
  readonly created: number;
  /** the client asked for logprobs */
  readonly logprobs: boolean;
  /**
   * the gateway's estimate of the prompt's tokens (core/tokens.ts), for the usage a decoder
   * estimates when the upstream reports none
   */
  readonly promptTokens?: number;
}

/**
 * How an upstream error answer is to be treated. `context_length`: the prompt (plus max
 * tokens) is over the model's window — try a larger-context target, never the same model;
 * `invalid`: a client mistake (never retried); `policy`: refused by a content policy (never
 * retried); `auth`: the gateway's upstream credentials were refused; `rate_limit`: 429;
 * `overloaded`: 503/529 and the like; `server`: other 5xx.
 */
export type UpstreamErrorKind = 'context_length' | 'invalid' | 'policy' | 'auth' | 'rate_limit' | 'overloaded' | 'server';

export interface UpstreamError {
  readonly kind: UpstreamErrorKind;
  /** the upstream's error in the front door's shape (OpenAI's), ready to pass through */
  readonly body: OpenAIErrorBody;
  /** a retry delay the body names (Gemini's RetryInfo `retryDelay`); headers are read by the caller */
  readonly retryAfterMs?: number;
}

/**
 * One step of a translated stream. `chunk`: an OpenAI chunk to forward (`data` is its JSON text;
 * for OpenAI upstreams the upstream's own bytes), `content` when it carries answer text or a
 * tool call (a role-only or empty chunk does not), `text` the answer text it adds (for
 * continuation on another upstream), `logprobs` the log-probabilities of the tokens it carries
 * (when the client or a cascade asked); `usage`: the final token counts (`data` is an OpenAI
 * usage-only chunk, `choices: []`); `done`: the answer is complete (finish reason and usage
 * seen) — the gateway ends the client stream with `[DONE]` at once, whether or not the upstream
 * has closed; `error`: the upstream reported an error inside the stream; `malformed`: an event
 * that does not parse as the format promises.
 */
export type StreamItem =
  | {
      readonly kind: 'chunk';
      readonly data: string;
      readonly content: boolean;
      readonly text?: string;
      readonly logprobs?: readonly number[];
      /** the chunk's finish reason, when it carries one */
      readonly finish?: string;
    }
  /** `chunk`: the usage chunk already parsed, when the decoder had to parse it (saves the relay a parse) */
  | { readonly kind: 'usage'; readonly usage: OpenAIUsage; readonly data: string; readonly chunk?: Record<string, unknown> }
  | { readonly kind: 'done' }
  | { readonly kind: 'error'; readonly error: UpstreamError }
  | { readonly kind: 'malformed'; readonly detail: string };

/** Translates one attempt's upstream event stream; stateful, one per attempt. */
export interface StreamDecoder {
  push(event: SseEvent): StreamItem[];
  /**
   * The upstream body ended. Returns any last items; when the answer was complete but the
   * upstream never said so in its own terms (no `[DONE]`/`message_stop`), the items end with
   * `usage` (estimated if the upstream sent none) and `done`.
   */
  end(): StreamItem[];
}

export interface WireFormat {
  readonly name: FormatName;
  /** path of the chat endpoint for a model (joined to the upstream URL's path) */
  chatPath(model: string, stream: boolean): string;
  /** path of the embeddings endpoint, when the format has one */
  embeddingsPath?(model: string): string;
  /** headers sent with every request to an upstream of this format (auth, version) */
  authHeaders(apiKey: string | undefined): Record<string, string>;
  /** The upstream request body for one attempt. Streams always ask the upstream for usage. */
  encodeChat(request: ChatRequest, opts: EncodeOptions): string;
  /** A complete non-stream upstream body (parsed JSON) in OpenAI's shape; undefined if it is not one. */
  decodeChat(body: unknown, ctx: DecodeContext): ChatCompletion | undefined;
  streamDecoder(ctx: DecodeContext): StreamDecoder;
  /** An upstream error answer (status and body text), classified and in OpenAI's shape. */
  decodeError(status: number, text: string): UpstreamError;
  /** embeddings request body and response decoding, when the format has embeddings */
  encodeEmbeddings?(request: EmbeddingsRequest, model: string): string;
  decodeEmbeddings?(body: unknown, model: string): unknown;
}
