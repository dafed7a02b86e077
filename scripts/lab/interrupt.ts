/**
 * Ctrl-C for every command that runs load, as k6 does it: the first SIGINT or SIGTERM stops the
 * run gracefully (`stop` aborts: no new requests, in-flight ones get `graceMs`, then the lab stops
 * and the report of what ran is built, marked interrupted; exit EXIT_INTERRUPTED); the second
 * aborts at once (`abort`: requests and children cut, no report; exit EXIT_ABORTED), and should
 * anything still hold the process `hardExitMs` later, it exits anyway. A third signal exits now.
 *
 * One controller serves a whole command, however many runs it makes:
 *
 *   const interrupt = new InterruptController({ graceMs, log });
 *   try {
 *     for (const step of steps) {
 *       if (interrupt.stop.aborted) break;            // stopped: start no further run
 *       results.push(await runLab({ ...step, interrupt }));
 *     }
 *   } finally {
 *     interrupt.dispose();
 *   }
 *   return interrupt.exitCode(okCode);                 // 105 once interrupted, else okCode
 */
import { ERRORS } from '../../core/errors.js';
import { DEFAULT_STOP_GRACE_MS } from '../../driver/run.js';

/** A run stopped by a first signal; its report covers what ran (k6 exits 105 on a signal). */
export const EXIT_INTERRUPTED: number = ERRORS.SL_RUN_INTERRUPTED.exit;
/** A run cut at once by a second signal; no report was built (128 + SIGINT, as a shell reports Ctrl-C). */
export const EXIT_ABORTED: number = ERRORS.SL_RUN_ABORTED.exit;
/** How long in-flight requests may finish after the first signal, unless the command says. */
export const DEFAULT_GRACE_MS: number = DEFAULT_STOP_GRACE_MS;

export interface InterruptInfo {
  signal: string;
  at: Date;
}

/** What a run reads from a controller (so an API caller may pass its own signals instead). */
export interface Interrupt {
  /** aborted by the first signal: start nothing new, finish gracefully */
  readonly stop: AbortSignal;
  /** aborted by the second: cut everything now */
  readonly abort: AbortSignal;
  /** grace for in-flight requests after `stop`, ms */
  readonly graceMs: number;
  /** the first signal, once it came */
  readonly first: InterruptInfo | undefined;
}

export interface InterruptOptions {
  graceMs?: number;
  /** default SIGINT and SIGTERM */
  signals?: NodeJS.Signals[];
  /** one line per signal, for a person */
  log?: (line: string) => void;
  /** after the second signal, exit with EXIT_ABORTED if still alive this much later (default 5000 ms; 0: never) */
  hardExitMs?: number;
  /** where signals come from (default `process`) */
  source?: NodeJS.EventEmitter;
  /** how to leave at once (default `process.exit`) */
  exit?: (code: number) => void;
}

export class InterruptController implements Interrupt {
  readonly graceMs: number;
  private readonly stopper = new AbortController();
  private readonly aborter = new AbortController();
  private firstInfo: InterruptInfo | undefined;
  private count = 0;
  private readonly listeners: Array<[NodeJS.Signals, () => void]> = [];

  constructor(private readonly opts: InterruptOptions = {}) {
    this.graceMs = opts.graceMs ?? DEFAULT_GRACE_MS;
    const source = opts.source ?? process;
    for (const signal of opts.signals ?? (['SIGINT', 'SIGTERM'] as NodeJS.Signals[])) {
      const on = (): void => this.interrupt(signal);
      source.on(signal, on);
      this.listeners.push([signal, on]);
    }
  }

  get stop(): AbortSignal {
    return this.stopper.signal;
  }

  get abort(): AbortSignal {
    return this.aborter.signal;
  }

  get first(): InterruptInfo | undefined {
    return this.firstInfo;
  }

  /** What a signal does; a command may also call it to stop its own run. */
  interrupt(signal = 'SIGINT'): void {
    const log = this.opts.log ?? (() => {});
    const exit = this.opts.exit ?? ((code: number) => process.exit(code));
    this.count++;
    if (this.count === 1) {
      this.firstInfo = { signal, at: new Date() };
      const again = signal === 'SIGTERM' ? 'Another signal' : 'Ctrl-C again';
      const grace = `${this.graceMs / 1000} s`;
      log(`${signal}: stopping — no new requests; those in flight get ${grace}, then the report of what ran. ${again} aborts at once.`);
      this.stopper.abort();
    } else if (this.count === 2) {
      log(`${signal} again: aborting at once, stopping the lab processes`);
      this.aborter.abort();
      const ms = this.opts.hardExitMs ?? 5000;
      if (ms > 0) {
        // a backstop only: it does not keep the process alive by itself
        setTimeout(() => exit(EXIT_ABORTED), ms).unref();
      }
    } else {
      exit(EXIT_ABORTED);
    }
  }

  /** `ok` when no signal came, else the documented code for an interrupted or aborted run. */
  exitCode(ok: number): number {
    if (this.abort.aborted) return EXIT_ABORTED;
    return this.stop.aborted ? EXIT_INTERRUPTED : ok;
  }

  /** Stop listening for signals (the default handlers come back: the next Ctrl-C exits). */
  dispose(): void {
    const source = this.opts.source ?? process;
    for (const [signal, on] of this.listeners.splice(0)) source.off(signal, on);
  }
}

/** `work`, or a rejection with `reason()` as soon as `signal` aborts (the work itself is left to end). */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, reason: () => Error): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(reason());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(reason());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
