/** The per-fault and per-measure rows of a game-day report, as text cells both renderers lay out. */
import { MEASURE_NAMES, MEASURES } from '../../scenarios/gameday/expectation.js';
import type { InstanceKill } from './instances.js';
import type { FaultMeasures, Measurements } from './measure.js';
import { formatMs, formatValue } from './verdict.js';

export const FAULT_COLUMNS = [
  'fault',
  'window',
  'requests',
  'errors',
  'cut in flight',
  'truncated',
  'detect',
  'fail over',
  'recover',
  'p99 TTFT',
];

const opt = (ms: number | null): string => (ms === null ? 'never' : formatMs(ms));

export function faultCells(f: FaultMeasures): string[] {
  return [
    `${f.fault} (${f.scope})`,
    `${f.fromS.toFixed(1)}–${f.toS.toFixed(1)} s`,
    String(f.requests),
    String(f.errors),
    String(f.cutInFlight),
    String(f.truncatedStreams),
    opt(f.timeToDetectMs),
    opt(f.timeToFailoverMs),
    opt(f.timeToRecoverMs),
    f.p99TtftMs === null ? 'n/a' : formatMs(f.p99TtftMs),
  ];
}

export const INSTANCE_COLUMNS = [
  'instance',
  'killed at',
  'in flight at the kill',
  'lost in flight (502 · cut stream)',
  'serving again at',
  'down for',
  'restart took',
];

export function instanceCells(k: InstanceKill): string[] {
  const at = (s: number | null): string => (s === null ? 'not restarted' : `${s.toFixed(1)} s`);
  return [
    String(k.instance),
    at(k.killedAtS),
    String(k.inFlightAtKill),
    `${k.lost} (${k.lostBeforeResponse} · ${k.lostMidResponse})`,
    at(k.servingAgainAtS),
    k.downMs === null ? '—' : formatMs(k.downMs),
    k.restartMs === null ? '—' : formatMs(k.restartMs),
  ];
}

/** [measure name, formatted value] for every measure. */
export function measureCells(m: Measurements): Array<[string, string]> {
  return MEASURE_NAMES.map((n) => [n, formatValue(MEASURES[n], m.values[n], n.startsWith('time_to_'))]);
}
