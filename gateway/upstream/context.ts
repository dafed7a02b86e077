import type { Route } from '../domain/route.js';
import type { ChatRequest } from '../domain/request.js';
import type { TraceContext } from '../telemetry/trace.js';

/** What an upstream attempt reads of the request it serves (the pipeline's RequestContext has it all). */
export interface AttemptContext {
  readonly id: string;
  readonly trace: TraceContext;
  readonly route: Route;
  /** the parsed chat request (unset for embeddings) */
  readonly request: ChatRequest;
  readonly stream: boolean;
  readonly promptTokens: number;
  /** fires when the client leaves or the deadline passes */
  readonly signal: AbortSignal;
  /** follow the same abort without an AbortSignal listener (cheaper; the pipeline's context has it) */
  onAbort?(fn: (reason: unknown) => void): () => void;
  readonly abortCause: 'client' | 'deadline' | undefined;
  readonly totalMs: number;
  remainingMs(now?: number): number;
}
