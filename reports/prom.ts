/**
 * The gateway's /metrics snapshot (metrics.prom, Prometheus text format) taken at the end of a
 * run: the gateway's own count of requests, upstream attempts by outcome, failovers, truncated
 * streams and cost. A gateway that is not stormlab's has none of these names: all null then.
 */
import { readFile } from 'node:fs/promises';

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface GatewayMetricsSnapshot {
  series: number;
  badLines: number;
  requests: number | null;
  costUsd: number | null;
  failovers: number | null;
  truncations: number | null;
  /** upstream attempts by outcome (ok, 429, 5xx, connect, …) */
  attempts: Record<string, number>;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?\s*$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function unescape(v: string): string {
  return v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function promValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** Parse the text format; lines that are neither comments nor samples are counted as bad. */
export function parsePrometheusText(text: string): { samples: PromSample[]; badLines: number } {
  const samples: PromSample[] = [];
  let badLines = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    const value = m ? promValue(m[3] as string) : Number.NaN;
    if (!m || Number.isNaN(value)) {
      badLines++;
      continue;
    }
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1] as string] = unescape(l[2] as string);
    samples.push({ name: m[1] as string, labels, value });
  }
  return { samples, badLines };
}

function sum(samples: PromSample[], name: string): number | null {
  let total: number | null = null;
  for (const s of samples) if (s.name === name) total = (total ?? 0) + s.value;
  return total;
}

export function gatewaySnapshot(text: string): GatewayMetricsSnapshot {
  const { samples, badLines } = parsePrometheusText(text);
  const attempts: Record<string, number> = {};
  for (const s of samples) {
    if (s.name !== 'stormlab_gateway_upstream_attempts_total') continue;
    const k = s.labels.outcome ?? '(none)';
    attempts[k] = (attempts[k] ?? 0) + s.value;
  }
  return {
    series: samples.length,
    badLines,
    requests: sum(samples, 'stormlab_gateway_requests_total'),
    costUsd: sum(samples, 'stormlab_gateway_cost_usd_total'),
    failovers: sum(samples, 'stormlab_gateway_failovers_total'),
    truncations: sum(samples, 'stormlab_gateway_stream_truncations_total'),
    attempts: Object.fromEntries(Object.entries(attempts).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

export async function readGatewaySnapshot(file: string): Promise<GatewayMetricsSnapshot> {
  return gatewaySnapshot(await readFile(file, 'utf8'));
}
