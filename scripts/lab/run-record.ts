/**
 * run.json, written twice: when the load starts (`status: running`, the plan, where the lab
 * processes are) and when it ends (`complete`, `interrupted` or `aborted`, the end time, what a
 * signal cut). A run.json still `running` belongs to a CLI that died without writing the end;
 * `stormlab report` marks such a run interrupted (reports/interrupted.ts).
 */
import type { RunMeta } from '../../reports/run-meta.js';
import { isOpenModel, totalDurationMs } from '../../scenarios/schedule.js';
import { parseSegment, segmentStarts } from '../../scenarios/segment.js';
import type { Spec } from '../../scenarios/spec-schema.js';
import type { InterruptInfo } from './interrupt.js';
import { writeJson } from './run-dir.js';

/** Where the lab's own processes ran (to find one that lingers). */
export interface LabRecord {
  fleet?: { pid: number | undefined; control?: string };
  gateway?: { pid: number | undefined; url: string };
  /** with a spec topology: the gateway of each region, and where each client region's load went (a relay) */
  gateways?: Array<{ region: string; pid: number | undefined; url: string }>;
  targets?: Record<string, string>;
}

export type RunRecord = Omit<RunMeta, 'thresholds'> & { thresholds: Spec['thresholds']; lab?: LabRecord };

/** The schedule's length and its starts in this segment (null for the closed model: VUs start as they finish). */
export function plannedOf(spec: Spec, segment?: string): NonNullable<RunMeta['planned']> {
  let requests: number | null = null;
  if (isOpenModel(spec.arrival)) {
    requests = 0;
    for (const _ of segmentStarts(spec.arrival, spec.workload.seed, parseSegment(segment ?? '0:1'))) requests++;
  }
  return { durationMs: totalDurationMs(spec.arrival), requests };
}

export interface RunEnd {
  status: Exclude<RunMeta['status'], 'running' | undefined>;
  /** the first signal, if one came */
  signal?: InterruptInfo;
  /** in-flight requests the signal cut (null: unknown) */
  cut?: number | null;
}

export class RunJson {
  private record: RunRecord;

  constructor(
    private readonly runDir: string,
    start: RunRecord,
  ) {
    this.record = { ...start, status: 'running' };
    this.write();
  }

  /** The end: how the run ended and, when a signal stopped it, which, when, and what its grace cut. */
  end(endedAt: Date, how: RunEnd): void {
    const { status, signal, cut } = how;
    this.record = { ...this.record, endedAt: endedAt.toISOString(), status };
    if (signal && status !== 'complete') {
      this.record.interrupted = { at: signal.at.toISOString(), signal: signal.signal, cut: cut ?? null };
    }
    this.write();
  }

  private write(): void {
    writeJson(this.runDir, 'run.json', this.record);
  }
}
