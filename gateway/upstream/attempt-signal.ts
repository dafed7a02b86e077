/**
 * An attempt's abort signal. undici takes an EventEmitter with `aborted` and `reason` as a request
 * signal as well as an AbortSignal; this one is cheaper to make than an AbortController (every
 * upstream attempt needs one) and fires `abort` once, with its reason.
 */
import { EventEmitter } from 'node:events';

export class AttemptSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}
