/**
 * The chaos event log: one NDJSON record per fault start and stop, with wall-clock times, for the
 * report to lay beside the latency curves. A `stop` always follows its `start` (faults still
 * active when the fleet closes stop with reason `closed`).
 */
import { createSink, type SinkOption } from '../ndjson-sink.js';
import type { FaultName } from './faults/names.js';
import type { ChaosScope } from './timeline-schema.js';

export type FaultSource = 'timeline' | 'api' | 'fleet';
export type StopReason = 'expired' | 'removed' | 'reset' | 'closed';

/** What identifies a fault wherever it is listed: the chaos log, the control API, the engine. */
export interface FaultCore {
  /** the fault's id (unique in the fleet) */
  id: string;
  fault: FaultName;
  scope: ChaosScope;
  probability: number;
  params: unknown;
  /** where it came from: a timeline (`--timeline`, POST /timeline, applyTimeline), the fleet YAML, or the control API */
  source: FaultSource;
}

export interface ChaosLogEntry extends FaultCore {
  /** ISO time of the start or stop */
  time: string;
  event: 'start' | 'stop';
  /** timeline faults: the planned offset from the timeline start, ms */
  atMs?: number;
  /** stop: why it stopped */
  reason?: StopReason;
  /** port-level faults: the endpoints whose port it closed */
  endpoints?: string[];
}

export type ChaosLogOption = SinkOption<ChaosLogEntry>;

/** The log: a sink plus the most recent entries in memory (GET /events). */
export function createChaosLog(sink: ChaosLogOption | undefined, keep = 10_000) {
  const out = createSink(sink, 'chaos log');
  const recent: ChaosLogEntry[] = [];
  return {
    write(e: ChaosLogEntry): void {
      recent.push(e);
      if (recent.length > keep) recent.splice(0, recent.length - keep);
      out.write(e);
    },
    entries: (): readonly ChaosLogEntry[] => recent,
    close: () => out.close(),
  };
}
export type ChaosLog = ReturnType<typeof createChaosLog>;
