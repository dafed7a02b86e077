import type { ChatRequest } from '../request-schema.js';

/**
 * A wire format an upstream speaks. OpenAI-compatible providers share one adapter; a new format
 * (Anthropic Messages, …) is one more small file registered in formats/registry.ts.
 */
export interface WireFormat {
  readonly name: string;
  /** path of the chat endpoint, joined to the upstream URL's path */
  readonly chatPath: string;
  /** static headers for every request to an upstream (auth) */
  authHeaders(apiKey: string | undefined): Record<string, string>;
  /**
   * The upstream request body for one attempt: the client's request addressed to `model`.
   * Streams always ask the upstream for usage, so the gateway can account cost.
   */
  encodeChat(request: ChatRequest, model: string): string;
}
