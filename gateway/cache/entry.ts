/** A cached answer: what is replayed on a hit, where it was written, and what it cost to make. */
import type { ChatCompletion } from '../domain/openai.js';

export interface CacheEntry {
  /** short id of the entry (`x-gateway-cache-entry`) */
  readonly id: string;
  /** the request whose answer this is (`x-gateway-cache-source`) */
  readonly sourceRequestId: string;
  /** the complete answer in OpenAI's shape, usage included (a stream's text is folded into it) */
  readonly completion: ChatCompletion;
  /** the target that served it: `upstream id:model`, its upstream, provider, region and zone */
  readonly target: {
    readonly key: string;
    readonly upstream: string;
    readonly provider: string;
    readonly region: string;
    readonly zone: string;
  };
  /** what the answer cost upstream (USD), saved again by every hit */
  readonly costUsd: number | undefined;
  /** the `max_tokens` the answer was asked with (undefined: none) */
  readonly maxTokens: number | undefined;
  /** epoch ms */
  readonly storedAt: number;
  readonly expiresAt: number;
}
