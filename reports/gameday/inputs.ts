/**
 * What a game day is measured from, read out of a run directory: client requests (joined from the
 * sample lines), upstream calls (the fleet's ledger), fault windows (the chaos log) and alert
 * firings (read from Prometheus by the orchestration and saved as alerts.json). None of it needs
 * our gateway: the samples carry the serving endpoint, the ledger the attempt numbers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseSampleLine, parseTimeMs } from '../../scenarios/samples.js';
import { isOkCall, LedgerLineSchema } from '../ledger.js';
import { eachNdjsonRecord, fileLines } from '../lines.js';
import { INSTANCES_FILE, readInstanceEvents, type InstanceEvent } from './instance-events.js';
import type { FaultWindow } from './fault-window.js';
import { killWindows } from './instances.js';

/** One client request, as the load driver saw it. Times are epoch ms. */
export interface ClientRequest {
  startMs: number;
  endMs: number;
  ok: boolean;
  /** the driver's failure kind (`truncated_stream`, `http_5xx`, …) */
  failure?: string;
  status: number;
  class?: string;
  /** `provider/region` that served it, when the response said */
  endpoint?: string;
  ttftMs?: number;
  attempts?: number;
  residencyViolation?: boolean;
}

/** One upstream call from the fleet's ledger. */
export interface UpstreamCall {
  timeMs: number;
  /** when the call ended (arrival + duration) */
  endMs: number;
  /** the client request it served (one per request, across its attempts), when known */
  requestId: string | null;
  endpoint: string;
  attempt: number | null;
  status: number | null;
  ok: boolean;
  costUsd: number;
}

/** A fault as it was applied: start and stop from the chaos log. */
export type { FaultWindow };

export const AlertFiringSchema = z.object({
  alert: z.string(),
  labels: z.record(z.string(), z.string()).default({}),
  /** epoch ms of the first evaluation that found it firing */
  firedMs: z.number(),
  /** epoch ms it stopped firing; null when it still fired at the end */
  resolvedMs: z.number().nullable(),
});
export type AlertFiring = z.output<typeof AlertFiringSchema>;

/** What Prometheus told us (alerts.json); `available: false` when it could not run. */
export const AlertsFileSchema = z.object({
  available: z.boolean(),
  /** why not, when not available */
  reason: z.string().optional(),
  /** every alert rule the rules file declares */
  rules: z.array(z.string()).default([]),
  firings: z.array(AlertFiringSchema).default([]),
});
export type AlertsFile = z.output<typeof AlertsFileSchema>;

export interface GamedayInputs {
  runStartMs: number;
  runEndMs: number;
  requests: ClientRequest[];
  calls: UpstreamCall[];
  faults: FaultWindow[];
  alerts: AlertsFile;
  /** what happened to the gateway instances (instances.ndjson), when the lab ran several */
  instances?: InstanceEvent[];
}

interface Partial {
  startMs: number;
  req?: boolean;
  failed?: boolean;
  failure?: string;
  status?: number;
  class?: string;
  endpoint?: string;
  durationMs?: number;
  ttftMs?: number;
  attempts?: number;
  residency?: boolean;
}

/**
 * Join the sample lines of each request: they share the intended start time (to the
 * microsecond) and the request's tags, so time + class + status names one request.
 */
export async function readClientRequests(samplesFile: string): Promise<ClientRequest[]> {
  const byKey = new Map<string, Partial>();
  for await (const text of fileLines(samplesFile, 'samples NDJSON')) {
    const r = parseSampleLine(text);
    if (!r.ok || r.line.type !== 'Point') continue;
    const { time, value, tags } = r.line.data;
    const key = `${time}|${tags.class ?? ''}|${tags.scenario ?? ''}`;
    let p = byKey.get(key);
    if (!p) {
      p = { startMs: parseTimeMs(time) };
      byKey.set(key, p);
    }
    switch (r.line.metric) {
      case 'http_reqs':
        p.req = true;
        p.status = Number(tags.status ?? 0);
        p.class = tags.class;
        if (tags.error) p.failure = tags.error;
        if (tags.provider && tags.region) p.endpoint = `${tags.provider}/${tags.region}`;
        break;
      case 'http_req_failed':
        p.failed = value === 1;
        break;
      case 'http_req_duration':
        p.durationMs = value;
        break;
      case 'ttft':
        p.ttftMs = value;
        break;
      case 'attempts':
        p.attempts = value;
        break;
      case 'residency_violation':
        p.residency = value === 1;
        break;
    }
  }
  const out: ClientRequest[] = [];
  for (const p of byKey.values()) {
    if (!p.req || !Number.isFinite(p.startMs)) continue;
    out.push({
      startMs: p.startMs,
      endMs: p.startMs + (p.durationMs ?? 0),
      ok: p.failed !== true,
      status: p.status ?? 0,
      ...(p.failure ? { failure: p.failure } : {}),
      ...(p.class ? { class: p.class } : {}),
      ...(p.endpoint ? { endpoint: p.endpoint } : {}),
      ...(p.ttftMs !== undefined ? { ttftMs: p.ttftMs } : {}),
      ...(p.attempts !== undefined ? { attempts: p.attempts } : {}),
      ...(p.residency !== undefined ? { residencyViolation: p.residency } : {}),
    });
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

export async function readUpstreamCalls(ledgerFile: string): Promise<UpstreamCall[]> {
  const out: UpstreamCall[] = [];
  await eachNdjsonRecord(ledgerFile, 'ledger NDJSON', LedgerLineSchema, (l) => {
    if (!l.time) return;
    const timeMs = parseTimeMs(l.time);
    if (!Number.isFinite(timeMs)) return;
    out.push({
      timeMs,
      endMs: timeMs + (l.durationMs ?? 0),
      requestId: l.requestId ?? null,
      endpoint: l.endpoint,
      attempt: l.attempt ?? null,
      status: l.status,
      ok: isOkCall(l),
      costUsd: l.costUsd,
    });
  });
  return out.sort((a, b) => a.timeMs - b.timeMs);
}

const ChaosEntrySchema = z.object({
  time: z.string(),
  event: z.enum(['start', 'stop']),
  id: z.string(),
  fault: z.string(),
  scope: z
    .record(z.string(), z.union([z.string(), z.array(z.string())]))
    .nullable()
    .optional(),
});

/** Fault windows from the chaos log: each start paired with its stop (or the run's end). */
export async function readFaultWindows(
  chaosFile: string,
  runStartMs: number,
  runEndMs: number,
): Promise<FaultWindow[]> {
  const open = new Map<string, FaultWindow>();
  const out: FaultWindow[] = [];
  await eachNdjsonRecord(chaosFile, 'chaos event log', ChaosEntrySchema, (e) => {
    const t = parseTimeMs(e.time);
    if (e.event === 'start') {
      open.set(e.id, { id: e.id, fault: e.fault, scope: e.scope ?? {}, startMs: t, endMs: runEndMs });
    } else {
      const w = open.get(e.id);
      if (!w) return;
      open.delete(e.id);
      out.push({ ...w, endMs: Math.min(t, runEndMs) });
    }
  });
  out.push(...open.values());
  // only the faults of this run (a log appended to by an earlier run holds older ones)
  return out.filter((w) => w.endMs > runStartMs && w.startMs < runEndMs).sort((a, b) => a.startMs - b.startMs);
}

export function readAlertsFile(file: string): AlertsFile {
  if (!existsSync(file))
    return { available: false, reason: 'no alerts.json in the run directory', rules: [], firings: [] };
  return AlertsFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** Everything a game day is measured from, out of a run directory. */
export async function readGamedayInputs(
  runDir: string,
  run: { startMs: number; endMs: number },
): Promise<GamedayInputs> {
  const requests = await readClientRequests(join(runDir, 'samples.ndjson'));
  const instances = await readInstanceEvents(join(runDir, INSTANCES_FILE));
  const chaos = await readFaultWindows(join(runDir, 'chaos.ndjson'), run.startMs, run.endMs);
  const faults = [...chaos, ...killWindows(instances, run.startMs, run.endMs)].sort((a, b) => a.startMs - b.startMs);
  return {
    runStartMs: run.startMs,
    runEndMs: run.endMs,
    requests,
    calls: (await readUpstreamCalls(join(runDir, 'ledger.ndjson'))).filter((c) => c.timeMs >= run.startMs - 60_000),
    faults,
    alerts: readAlertsFile(join(runDir, 'alerts.json')),
    ...(instances.length > 0 ? { instances } : {}),
  };
}
