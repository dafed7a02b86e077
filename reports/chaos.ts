/**
 * The mock fleet's chaos event log (chaos.ndjson): one line per fault started or stopped,
 * `{"time": ISO, "event": "start"|"stop", "id", "fault", "scope": {...}}`. The report lists the
 * events and marks them on the timeline. Bad lines are counted, never fatal.
 */
import { z } from 'zod';
import { parseTimeMs } from '../scenarios/samples.js';
import { linesOf, noteBadLine, type BadLines, type LineSource } from './lines.js';

export const ChaosLineSchema = z.object({
  time: z.string(),
  event: z.enum(['start', 'stop']),
  id: z.string(),
  fault: z.string(),
  scope: z.record(z.string(), z.unknown()).nullable().optional(),
});

export interface ChaosEvent {
  timeMs: number;
  event: 'start' | 'stop';
  id: string;
  fault: string;
  /** `provider=openai region=us-east`, or `fleet` when the fault has no scope */
  scope: string;
}

export interface ChaosLog {
  lines: number;
  bad: BadLines;
  /** in time order; at most MAX_EVENTS are kept */
  events: ChaosEvent[];
  /** events beyond MAX_EVENTS, counted */
  dropped: number;
}

export const MAX_EVENTS = 1000;

function scopeText(scope: Record<string, unknown> | null | undefined): string {
  if (!scope) return 'fleet';
  const parts = Object.entries(scope)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return parts.length ? parts.join(' ') : 'fleet';
}

function parseChaosLine(text: string): { ok: true; event: ChaosEvent } | { ok: false; reason: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const r = ChaosLineSchema.safeParse(v);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { ok: false, reason: issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid' };
  }
  const timeMs = parseTimeMs(r.data.time);
  if (!Number.isFinite(timeMs)) return { ok: false, reason: 'time is not an RFC 3339 time' };
  return { ok: true, event: { timeMs, event: r.data.event, id: r.data.id, fault: r.data.fault, scope: scopeText(r.data.scope) } };
}

/** Read a chaos log (streamed file or lines). */
export async function ingestChaos(input: LineSource, opts: { keepBadLines?: number } = {}): Promise<ChaosLog> {
  const keep = opts.keepBadLines ?? 10;
  const log: ChaosLog = { lines: 0, bad: { count: 0, samples: [] }, events: [], dropped: 0 };
  let n = 0;
  for await (const text of linesOf(input, 'chaos event log')) {
    n++;
    if (text.trim() === '') continue;
    log.lines++;
    const r = parseChaosLine(text);
    if (!r.ok) noteBadLine(log.bad, n, r.reason, keep);
    else if (log.events.length < MAX_EVENTS) log.events.push(r.event);
    else log.dropped++;
  }
  log.events.sort((a, b) => a.timeMs - b.timeMs);
  return log;
}
