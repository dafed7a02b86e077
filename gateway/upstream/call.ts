import type { WireFormat } from '../domain/format.js';
import type { ChatRequest as DomainChatRequest } from '../domain/request.js';
import type { ChatRequest } from '../request-schema.js';
import type { Route } from '../routing/types.js';
import type { AttemptResult } from './types.js';

export type AbortCause = 'client' | 'deadline';

/**
 * One client request on its way through the upstream steps: what was asked, the route serving
 * it, the attempts made so far, and one AbortSignal that fires when the client goes away or the
 * `totalMs` deadline passes (every upstream request of the call listens to it).
 */
export class Call {
  readonly attempts: AttemptResult[] = [];
  /** how long a client should wait before retrying (ms), set when every attempt was rate-limited */
  retryAfterMs: number | undefined;
  private cause: AbortCause | undefined;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly bodies = new Map<string, string>();

  constructor(
    readonly id: string,
    readonly route: Route,
    readonly request: ChatRequest,
    readonly totalMs: number,
  ) {
    this.timer = setTimeout(() => this.abort('deadline'), totalMs);
    this.timer.unref();
  }

  get stream(): boolean {
    return this.request.stream === true;
  }

  /** the client asked for the usage chunk (`stream_options.include_usage`) */
  get clientWantsUsage(): boolean {
    return this.request.stream_options?.include_usage === true;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get abortCause(): AbortCause | undefined {
    return this.cause;
  }

  abort(cause: AbortCause): void {
    if (this.cause) return;
    this.cause = cause;
    this.controller.abort(new Error(cause === 'client' ? 'client closed the request' : `request exceeded ${this.totalMs}ms`));
  }

  /** The upstream request body for a format and model, encoded once per call. */
  upstreamBody(format: WireFormat, model: string): string {
    const key = `${format.name}\u0000${model}`;
    let body = this.bodies.get(key);
    if (body === undefined) {
      // the old request schema's roles are any string; the domain's are OpenAI's six (the lead replaces this file)
      body = format.encodeChat(this.request as DomainChatRequest, { model });
      this.bodies.set(key, body);
    }
    return body;
  }

  /** Stop the deadline clock (the response is complete or abandoned). */
  dispose(): void {
    clearTimeout(this.timer);
  }
}
