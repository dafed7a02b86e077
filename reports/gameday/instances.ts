/**
 * Pure: what a game day's instance kills did, from instances.ndjson (./instance-events.ts). Each
 * kill is a fault window (`kill-instance`, scope `instance=N`) from the moment the process was
 * gone (SIGKILL takes a moment to land; requests it took meanwhile were in flight) until the
 * instance served again, so the client-side measures (errors during the fault, cut in flight)
 * cover it like any other fault; and the front's own count of the requests it lost on the dead
 * instance, with the restart's timing, make one row per kill.
 */
import type { InstanceEvent } from './instance-events.js';
import type { FaultWindow } from './fault-window.js';

export interface InstanceKill {
  instance: number;
  /** seconds from the run start */
  killedAtS: number;
  /** requests the front had in flight on the instance at the kill */
  inFlightAtKill: number;
  /** of which the front lost (the client saw SL_INSTANCE_LOST or a cut stream) */
  lost: number;
  lostBeforeResponse: number;
  lostMidResponse: number;
  /** seconds from the run start it served again; null when it was not restarted in the run */
  servingAgainAtS: number | null;
  /** kill → serving again (the plan's restart delay plus the start), ms */
  downMs: number | null;
  /** restart began → serving again, ms */
  restartMs: number | null;
}

const ms = (iso: string): number => Date.parse(iso);

type Kill = Extract<InstanceEvent, { event: 'kill' }>;
type Restart = Extract<InstanceEvent, { event: 'restart' }>;

/** Each kill with the restart that ended it (the next restart of the same instance), if any. */
function pairs(events: readonly InstanceEvent[]): Array<{ kill: Kill; restart: Restart | undefined }> {
  const out: Array<{ kill: Kill; restart: Restart | undefined }> = [];
  events.forEach((e, i) => {
    if (e.event !== 'kill') return;
    const restart = events
      .slice(i + 1)
      .find((r): r is Restart => r.event === 'restart' && r.instance === e.instance && ms(r.time) >= ms(e.time));
    out.push({ kill: e, restart });
  });
  return out;
}

/**
 * When the killed process was gone: the first sign of it — the front losing a request on it, or
 * the CLI seeing it exit, whichever came first (each is seen a little late on a busy machine).
 */
function goneMs(kill: Kill, events: readonly InstanceEvent[]): number {
  const from = ms(kill.time);
  let gone = ms(kill.exitedAt ?? kill.time);
  for (const e of events)
    if (e.event === 'lost' && e.instance === kill.instance && ms(e.time) >= from) gone = Math.min(gone, ms(e.time));
  return gone;
}

/** The kills as fault windows, within the run. */
export function killWindows(events: readonly InstanceEvent[], runStartMs: number, runEndMs: number): FaultWindow[] {
  return pairs(events)
    .map(({ kill, restart }) => ({
      id: `kill-instance-${kill.instance}@${kill.time}`,
      fault: 'kill-instance',
      scope: { instance: String(kill.instance) },
      startMs: goneMs(kill, events),
      endMs: restart ? Math.min(ms(restart.time), runEndMs) : runEndMs,
    }))
    .filter((w) => w.endMs > runStartMs && w.startMs < runEndMs);
}

export function measureInstanceKills(events: readonly InstanceEvent[], runStartMs: number): InstanceKill[] {
  return pairs(events).map(({ kill, restart }) => {
    const from = ms(kill.time);
    const until = restart ? ms(restart.time) : Infinity;
    const lost = events.filter(
      (e): e is Extract<InstanceEvent, { event: 'lost' }> =>
        e.event === 'lost' && e.instance === kill.instance && ms(e.time) >= from && ms(e.time) <= until,
    );
    return {
      instance: kill.instance,
      killedAtS: (from - runStartMs) / 1000,
      inFlightAtKill: kill.inFlight,
      lost: lost.length,
      lostBeforeResponse: lost.filter((l) => l.phase === 'before-response').length,
      lostMidResponse: lost.filter((l) => l.phase === 'mid-response').length,
      servingAgainAtS: restart ? (ms(restart.time) - runStartMs) / 1000 : null,
      downMs: restart ? ms(restart.time) - from : null,
      restartMs: restart ? ms(restart.time) - ms(restart.spawnedAt) : null,
    };
  });
}
