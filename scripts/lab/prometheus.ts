/**
 * A real Prometheus for a game day: Debian's `prometheus` binary (PATH, or STORMLAB_PROMETHEUS),
 * started on a free loopback port with a throwaway config that scrapes one /metrics URL every
 * second and evaluates the alert rules every second. Alert firings are read back from its HTTP
 * API (the `ALERTS` series over the run). It never outlives the command: stop() ends it, an exit
 * handler kills it, and on Linux `setpriv --pdeathsig` has the kernel kill it if we die first.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertFiring } from '../../reports/gameday/inputs.js';
import { findBinary, freePort, lastLines, spawnService, waitReady } from './service.js';

/** The prometheus binary: STORMLAB_PROMETHEUS, else the first on PATH; null when there is none. */
export function findPrometheus(env: NodeJS.ProcessEnv = process.env): string | null {
  return findBinary('prometheus', 'STORMLAB_PROMETHEUS', env);
}

/**
 * The config: one scrape job on the metrics URL (or several, one per gateway instance: same
 * scheme and path, one target each), 1 s scrapes and evaluations, the rules file.
 */
export function prometheusConfig(metricsUrl: string | string[], rulesFile: string): string {
  const urls = (Array.isArray(metricsUrl) ? metricsUrl : [metricsUrl]).map((m) => new URL(m));
  const u = urls[0]!;
  return [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 900ms',
    '  evaluation_interval: 1s',
    'rule_files:',
    `  - ${JSON.stringify(rulesFile)}`,
    'scrape_configs:',
    '  - job_name: gateway',
    `    scheme: ${u.protocol.replace(':', '')}`,
    `    metrics_path: ${JSON.stringify(u.pathname || '/metrics')}`,
    '    static_configs:',
    `      - targets: [${urls.map((t) => JSON.stringify(t.host)).join(', ')}]`,
    '',
  ].join('\n');
}

export interface RunningPrometheus {
  url: string;
  /** alert rule names the server loaded */
  rules(): Promise<string[]>;
  /** firing intervals of every alert between `fromMs` and now, from the ALERTS series */
  firings(fromMs: number): Promise<AlertFiring[]>;
  /** has it scraped the target successfully at least once */
  scraped(): Promise<boolean>;
  stop(): Promise<void>;
  /** its output collected (bounded) */
  log(): string;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${url}: ${body.error ?? body.status}`);
  return body.data;
}

interface RangeSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

/** Group the ALERTS{alertstate="firing"} samples of each series into firing intervals. */
export function firingsFrom(series: RangeSeries[], stepS: number, endS: number): AlertFiring[] {
  const out: AlertFiring[] = [];
  for (const s of series) {
    const { __name__: _n, alertname, alertstate: _s, ...labels } = s.metric;
    let from: number | undefined;
    let last = -Infinity;
    const close = (): void => {
      if (from === undefined) return;
      const stillFiring = last >= endS - 2 * stepS;
      out.push({
        alert: alertname ?? '?',
        labels,
        firedMs: from * 1000,
        resolvedMs: stillFiring ? null : (last + stepS) * 1000,
      });
    };
    for (const [t] of s.values) {
      if (from !== undefined && t - last > 1.5 * stepS) {
        close();
        from = undefined;
      }
      if (from === undefined) from = t;
      last = t;
    }
    close();
  }
  return out.sort((a, b) => a.firedMs - b.firedMs);
}

export async function startPrometheus(opts: {
  binary: string;
  metricsUrl: string | string[];
  rulesFile: string;
  /** where its config and data go (removed on stop); default a new temp directory */
  dir?: string;
  readyTimeoutMs?: number;
}): Promise<RunningPrometheus> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'stormlab-prometheus-'));
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, prometheusConfig(opts.metricsUrl, opts.rulesFile));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--storage.tsdb.retention.time=1d',
    '--log.level=warn',
  ];
  const service = spawnService(opts.binary, args);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      await service.stop(3000);
      rmSync(dir, { recursive: true, force: true });
    }
  };

  const timeoutMs = opts.readyTimeoutMs ?? 20_000;
  const ready = async (): Promise<boolean> => {
    try {
      return (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok;
    } catch {
      return false; // not listening yet
    }
  };
  const state = await waitReady(service, ready, timeoutMs, 100);
  if (state !== 'ready') {
    await stop();
    throw new Error(
      state === 'exited'
        ? `prometheus exited before it was ready: ${lastLines(service.log())}`
        : `prometheus was not ready within ${timeoutMs} ms`,
    );
  }

  return {
    url,
    stop,
    log: service.log,
    async rules() {
      const data = await getJson<{ groups: Array<{ rules: Array<{ type: string; name: string }> }> }>(
        `${url}/api/v1/rules?type=alert`,
      );
      return [...new Set(data.groups.flatMap((g) => g.rules.filter((r) => r.type === 'alerting').map((r) => r.name)))];
    },
    async scraped() {
      const data = await getJson<{ activeTargets: Array<{ health: string }> }>(`${url}/api/v1/targets?state=active`);
      return data.activeTargets.some((t) => t.health === 'up');
    },
    async firings(fromMs) {
      const endS = Date.now() / 1000;
      const q = new URLSearchParams({
        query: 'ALERTS{alertstate="firing"}',
        start: String(fromMs / 1000),
        end: String(endS),
        step: '1',
      });
      const data = await getJson<{ result: RangeSeries[] }>(`${url}/api/v1/query_range?${q.toString()}`);
      return firingsFrom(data.result, 1, endS);
    },
  };
}
