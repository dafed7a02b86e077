/**
 * A game day's lab actions (scenarios/gameday/plan-schema.ts `actions`), run against the gateway
 * instances while the load runs: `kill-instance` sends SIGKILL to one instance at its offset and,
 * after `restartAfter`, starts it again (./instances.ts logs both to instances.ndjson).
 */
import { StormlabError } from '../../core/errors.js';
import type { Action } from '../../scenarios/gameday/plan-schema.js';
import type { InstanceGroup } from './instances.js';

/** Every action fits a lab of `count` gateway instances; else SL_CONFIG_INVALID naming the action. */
export function checkActions(actions: readonly Action[], count: number, file: string): void {
  actions.forEach((a, i) => {
    const n = a['kill-instance'].instance;
    const path = `actions[${i}].kill-instance.instance`;
    if (count < 2) {
      throw new StormlabError(
        'SL_CONFIG_INVALID',
        `invalid game-day plan in ${file} — ${path}: killing an instance needs at least 2 gateway instances ` +
          `(the lab starts ${count}); set spec.target.instances or pass --gateway-instances`,
        [{ file, path: 'spec.target.instances', expected: 'at least 2', received: String(count) }],
      );
    }
    if (n > count) {
      throw new StormlabError('SL_CONFIG_INVALID', `invalid game-day plan in ${file} — ${path}: no instance ${n}`, [
        { file, path, expected: `an instance from 1 to ${count}`, received: String(n) },
      ]);
    }
  });
}

/** Offsets and delays multiplied by `factor` (a plan shrunk or stretched with --duration). */
export function scaleActions(actions: readonly Action[], factor: number): Action[] {
  return actions.map((a) => {
    const k = a['kill-instance'];
    return {
      at: Math.round(a.at * factor),
      'kill-instance': {
        instance: k.instance,
        ...(k.restartAfter === undefined ? {} : { restartAfter: Math.max(1, Math.round(k.restartAfter * factor)) }),
      },
    };
  });
}

export interface RunningActions {
  /** cancel what has not begun, and wait for what has (a restart under way) */
  settle(): Promise<void>;
}

/** Start the actions' clocks now (the start of the load). */
export function scheduleActions(
  actions: readonly Action[],
  group: InstanceGroup,
  log: (l: string) => void,
): RunningActions {
  const timers = new Set<NodeJS.Timeout>();
  const work = new Set<Promise<void>>();
  let settled = false;
  const track = (p: Promise<void>): void => {
    const q = p.catch((e: unknown) => log(`action failed: ${(e as Error).message}`)).finally(() => work.delete(q));
    work.add(q);
  };
  const later = (ms: number, fn: () => Promise<void>): void => {
    if (settled) return;
    const t = setTimeout(() => {
      timers.delete(t);
      if (!settled) track(fn());
    }, ms);
    timers.add(t);
  };
  for (const a of actions) {
    const { instance, restartAfter } = a['kill-instance'];
    later(a.at, async () => {
      await group.kill(instance);
      if (restartAfter !== undefined) later(restartAfter, async () => void (await group.restart(instance)));
    });
  }
  return {
    async settle() {
      settled = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      while (work.size > 0) await Promise.all([...work]);
    },
  };
}
