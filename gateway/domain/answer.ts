import type { StreamItem } from './format.js';
import type { CacheHit } from '../cache/response-cache.js';
import type { ChatCompletion } from './openai.js';
import type { Target } from './types.js';

/** A committed answer: a complete completion, a stream primed up to its first content, or a cache hit. */
export type Answer =
  | { readonly kind: 'json'; readonly completion: ChatCompletion }
  | { readonly kind: 'cached'; readonly hit: CacheHit }
  | {
      readonly kind: 'stream';
      /** items read while priming, first content included */
      readonly head: StreamItem[];
      readonly rest: AsyncIterator<StreamItem[]>;
      /** stop reading and release the connection */
      release(): void;
    };

/** The answer the request will be served with, the target it came from, and its in-flight release. */
export interface Committed {
  readonly answer: Answer;
  readonly target: Target;
  leave(): void;
}
