/**
 * One client request on its way through the stages: what was asked, by whom, the route and
 * the candidates chosen for it, the attempts made so far, and how it ended. The request is
 * aborted when the client goes away or the deadline passes: `aborted` says so, `onAbort`
 * follows it (what upstream attempts use), and `signal` is an AbortSignal that fires then —
 * made on first use, as most requests never need one.
 */
import type { ChatRequest } from '../domain/request.js';
import type { RoutingInput } from '../domain/strategy.js';
import type { AttemptResult, Principal, Target } from '../domain/types.js';
import type { OpenAIUsage } from '../domain/openai.js';
import type { Route } from '../domain/route.js';
import type { TraceContext } from '../telemetry/trace.js';
import type { Hold, SpendSubject } from '../admission/budgets.js';
import type { Pin } from '../admission/residency.js';
import type { ChatCompletion } from '../domain/openai.js';
import type { CacheState } from '../cache/response-cache.js';
import type { LimitHit, LimitHold } from '../admission/rate-limits.js';
import type { StormlabError } from '../../core/errors.js';
import { deadline, type Deadline } from './deadlines.js';

/** What the rate limits did to a request (stages/rate-limit.ts). */
export interface LimitState {
  /** what it took from each bucket (settle corrects token limits to the real usage) */
  holds: LimitHold[];
  /** over a `cache-only` limit: a cache hit serves; a miss gets this 429 */
  cacheOnly?: { hit: LimitHit; error: StormlabError; retryAfterMs: number };
}

export type AbortCause = 'client' | 'deadline';

/** How a request ended, as settle records it. */
export interface Outcome {
  /** HTTP status sent (499 when the client left first) */
  status: number;
  /** catalog code of the error, when it failed */
  errorCode?: string;
  /** the target whose answer was sent */
  served?: Target;
  usage?: OpenAIUsage;
  costUsd?: number;
  /** ms from the request's arrival to the first content sent */
  ttftMs?: number;
  /** the stream ended with an explicit error event after content had gone out */
  truncated?: string;
  /** the answer was continued on another upstream after a cut */
  continued?: boolean;
  /** characters of answer text streamed to the client (to bill a stream cut before its usage) */
  streamedChars?: number;
  /** the complete answer sent as JSON (the cache writes it back) */
  completion?: ChatCompletion;
  /** a stream that ended with its `[DONE]`: its whole text and finish reason (the cache writes it back) */
  streamed?: { text: string; finishReason: string | null };
}

export class RequestContext implements RoutingInput {
  readonly attempts: AttemptResult[] = [];
  /** answers a cascade passed over for low confidence */
  escalations = 0;
  /** candidates passed over without an attempt (breaker open, cooling down) */
  readonly skipped: Target[] = [];
  readonly outcome: Outcome = { status: 0 };
  /** targets to try, best first (select and candidates fill it) */
  candidates: Target[] = [];
  route!: Route;
  principal!: Principal;
  request!: ChatRequest;
  feature: string | undefined;
  clientRegion: string | undefined;
  /** 0 = P0 (real time) … 2 = P2 (batch) */
  priority = 1;
  promptTokens = 0;
  maxTokens: number | undefined;
  /** ms spent in pacing queues (x-gateway-queue-ms) */
  queueMs = 0;
  /** how long a client should wait before retrying (ms), for a 429/503 of the gateway's own */
  retryAfterMs: number | undefined;
  /** what the request's spend counts against, and its hard budgets' reservations (budget stage) */
  spend: { subject: SpendSubject; holds: Hold[] } | undefined;
  /** a soft budget moved the request to a cheaper route: `budget=…; from=…; to=…` (x-gateway-degraded) */
  degraded: string | undefined;
  /** the rate limits' holds and a cache-only limit's pending 429 (stages/rate-limit.ts) */
  limits: LimitState | undefined;
  /**
   * headers earlier stages set (rate limits, Retry-After) for whatever response this request
   * gets: every writer sends them with its own (relay/headers.ts, relay/cached.ts, the handlers'
   * error paths), so a response's headers go out in one `writeHead`
   */
  headers: Record<string, string> | undefined = undefined;
  /** the tenant's residency pin, and until when (performance.now()) a request may wait for a lawful target */
  pin: Pin | undefined;
  pinWaitUntil = 0;
  /** the response cache's lookup (cache/response-cache.ts); undefined when the route is not cached */
  cache: CacheState | undefined;
  /** the HTTP request as received (headers, parsed JSON body) */
  http!: { headers: Readonly<Record<string, string | string[] | undefined>>; body: unknown };
  private cause: AbortCause | undefined;
  private reason: Error | undefined;
  private controller: AbortController | undefined;
  private followers: Array<(reason: Error) => void> | undefined;
  private deadline: Deadline | undefined;
  private deadlineMs = 0;

  constructor(
    readonly id: string,
    readonly trace: TraceContext,
    /** performance.now() at arrival */
    readonly startedAt: number,
  ) {}

  /** Set a header on whatever response this request gets — answer, stream or error. */
  setHeader(name: string, value: string): void {
    (this.headers ??= {})[name] = value;
  }

  /** Say in `x-gateway-degraded` how the request was served otherwise than asked (notes joined by ", "). */
  degrade(note: string): void {
    this.degraded = this.degraded === undefined ? note : `${this.degraded}, ${note}`;
  }

  get stream(): boolean {
    return this.request.stream === true;
  }

  /** the client asked for the usage chunk (`stream_options.include_usage`) */
  get clientWantsUsage(): boolean {
    return this.request.stream_options?.include_usage === true;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.reason) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** the client left or the deadline passed */
  get aborted(): boolean {
    return this.cause !== undefined;
  }

  /** Call `fn` once when the request is aborted (at once if it has been); the result stops following. */
  onAbort(fn: (reason: Error) => void): () => void {
    if (this.reason) {
      fn(this.reason);
      return () => undefined;
    }
    const followers = (this.followers ??= []);
    followers.push(fn);
    return () => {
      const i = followers.indexOf(fn);
      if (i >= 0) followers.splice(i, 1);
    };
  }

  get abortCause(): AbortCause | undefined {
    return this.cause;
  }

  /** Start the deadline clock: the request is aborted `totalMs` after arrival. */
  setDeadline(totalMs: number): void {
    this.deadlineMs = totalMs;
    this.deadline?.cancel();
    this.deadline = deadline(this.startedAt, totalMs, () => this.abort('deadline'));
  }

  /** ms left until the deadline */
  remainingMs(now = performance.now()): number {
    return this.deadlineMs === 0 ? Number.POSITIVE_INFINITY : Math.max(0, this.startedAt + this.deadlineMs - now);
  }

  get totalMs(): number {
    return this.deadlineMs;
  }

  abort(cause: AbortCause): void {
    if (this.cause) return;
    this.cause = cause;
    const reason = new Error(cause === 'client' ? 'client closed the request' : `request exceeded ${this.deadlineMs}ms`);
    this.reason = reason;
    this.controller?.abort(reason);
    const followers = this.followers;
    this.followers = undefined;
    if (followers) for (const fn of followers) fn(reason);
  }

  /** Stop the deadline clock (the response is complete or abandoned). */
  dispose(): void {
    this.deadline?.cancel();
  }
}
