/**
 * Pure: was the run interrupted, and what did it cover next to its plan? Read from run.json:
 * `interrupted` and `aborted` are what the CLI wrote on a first or second signal; a run.json still
 * `running` belongs to a CLI that died before it could write the end (e.g. SIGKILL).
 */
import { fmtInt, fmtSeconds } from './format.js';
import { round } from './numbers.js';
import type { RunMeta } from './run-meta.js';
import type { Interrupted, Summary } from './summary-schema.js';

type RunInfo = Pick<Summary['run'], 'endedAt' | 'durationS'>;

export function interruptedOf(meta: RunMeta | null | undefined, run: RunInfo, requests: number): Interrupted | null {
  if (!meta) return null;
  const status = meta.status ?? (meta.interrupted ? 'interrupted' : 'complete');
  if (status === 'complete') return null;
  return {
    how: status === 'running' ? 'killed' : status === 'interrupted' ? 'stopped' : status,
    at: meta.interrupted?.at ?? run.endedAt,
    signal: meta.interrupted?.signal ?? null,
    planned: {
      durationS: meta.planned ? round(meta.planned.durationMs / 1000, 3) : null,
      requests: meta.planned?.requests ?? null,
    },
    actual: { durationS: run.durationS, requests },
    cut: meta.interrupted?.cut ?? null,
  };
}

const HOW: Record<Interrupted['how'], string> = {
  stopped: 'stopped',
  aborted: 'aborted at once',
  failed: 'ended by an error',
  killed: 'cut short',
};

function byWhat(i: Interrupted): string {
  if (i.how === 'killed') return ' (the CLI ended without writing the end: killed?)';
  if (!i.signal) return '';
  return ` by ${i.how === 'aborted' ? 'a second ' : ''}${i.signal}`;
}

/**
 * One sentence for the renderers: `interrupted: stopped by SIGINT after 12.1 s of 20 s planned ·
 * 96 of 200 planned requests · 3 in-flight requests cut at the end of the grace`.
 */
export function describeInterrupted(i: Interrupted): string {
  const by = byWhat(i);
  const planned = i.planned.durationS === null ? '' : ` of ${fmtSeconds(i.planned.durationS)} planned`;
  const parts = [`interrupted: ${HOW[i.how]}${by} after ${fmtSeconds(i.actual.durationS)}${planned}`];
  parts.push(
    i.planned.requests === null
      ? `${fmtInt(i.actual.requests)} requests`
      : `${fmtInt(i.actual.requests)} of ${fmtInt(i.planned.requests)} planned requests`,
  );
  const when = i.how === 'stopped' ? 'at the end of the grace' : 'at once';
  if (i.cut) parts.push(`${fmtInt(i.cut)} in-flight requests cut ${when} (no samples)`);
  return parts.join(' · ');
}
