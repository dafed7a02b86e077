import type { OpenAIErrorBody } from './openai.js';

/**
 * An upstream's own client error (a 400 such as `context_length_exceeded`, a content-policy
 * refusal), translated to the front door's shape and passed through with its status.
 */
export class UpstreamClientError extends Error {
  constructor(
    readonly status: number,
    readonly body: OpenAIErrorBody,
  ) {
    super(body.error.message);
  }
}
