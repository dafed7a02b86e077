/**
 * What a wire format declares. A format is pure: it parses a request into a format-neutral
 * CallRequest, renders a completion (whole or as stream events), and shapes errors and the
 * model list. The endpoint engine does the HTTP, the timing, the ledger and the error handling,
 * so a new format (Anthropic Messages, Gemini) is one small file plus a line in formats/index.ts.
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
}

/** The parts of an HTTP request a format may read. */
export interface RequestParts {
  body: unknown;
  params: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
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
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export interface Completion {
  text: string;
  usage: Usage;
  finishReason: FinishReason;
}

/** Per-call stream renderer: the strings to write, ready for the socket. Keep `piece` cheap. */
export interface StreamRenderer {
  /** written together with the first piece (e.g. the role chunk) */
  head(): string;
  /** one content event for one token piece */
  piece(text: string): string;
  /** after the last piece: finish event, usage event if asked, terminator */
  tail(usage: Usage, finishReason: FinishReason): string;
}

export interface WireError {
  status: number;
  error: StormlabError;
}

export interface CallRoute {
  method: 'POST';
  url: string;
  /** validate and normalise; throw StormlabError (MOCK_BAD_REQUEST naming the field) on bad input */
  parse(req: RequestParts): CallRequest;
  body(meta: ResponseMeta, completion: Completion): string;
  stream(meta: ResponseMeta): StreamRenderer;
}

export interface FormatUnit {
  name: FormatName;
  calls: CallRoute[];
  /** the model-list route of this API */
  models: { url: string; body(models: readonly string[], provider: string): unknown };
  /** the JSON body of an error response in this API's shape */
  errorBody(e: WireError): unknown;
}
