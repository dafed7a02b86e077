/**
 * `npm run bench:metrics`: the gateway's per-request metric observations (the twelve a served
 * request makes: in flight ±1, an attempt, the target's health, tokens by kind, cost, spend, the
 * cache lookup, TTFT, the routing decision, the request and its duration) on the hand-written
 * registry (`../registry.ts`) and on prom-client, the same names, labels and buckets, in one
 * run, alternating rounds so the machine's noise hits both alike. Prints ns per request, the
 * prom-client/hand ratio, and that both expositions carry the same series.
 */
import { performance } from 'node:perf_hooks';
import * as prom from 'prom-client';
import { Registry } from '../registry.js';
import { LATENCY_BUCKETS_S } from '../metrics.js';

const REQUESTS = 200_000;
const ROUNDS = 5;

/** The metric calls a request makes; both libraries take `(labels, value)` in this order. */
interface M {
  inc(labels: Record<string, string>, by?: number): void;
  dec(labels: Record<string, string>): void;
  set(labels: Record<string, string>, v: number): void;
  observe(labels: Record<string, string>, v: number): void;
}
interface Sink {
  m: Record<string, M>;
  render(): Promise<string>;
}

type Def = [key: string, name: string, kind: 'counter' | 'gauge' | 'histogram', labels: string[]];
const p = 'stormlab_gateway_';
const DEFS: Def[] = [
  ['inFlight', `${p}requests_in_flight`, 'gauge', []],
  ['attempts', `${p}upstream_attempts_total`, 'counter', ['upstream', 'model', 'outcome']],
  ['health', `${p}target_health`, 'gauge', ['upstream', 'model']],
  ['tokens', `${p}tokens_total`, 'counter', ['upstream', 'model', 'kind']],
  ['cost', `${p}cost_usd_total`, 'counter', ['upstream', 'model']],
  ['spend', `${p}spend_usd_total`, 'counter', ['tenant', 'key', 'model']],
  ['lookups', `${p}cache_lookups_total`, 'counter', ['model', 'outcome']],
  ['ttft', `${p}ttft_seconds`, 'histogram', ['model', 'provider', 'region']],
  ['decisions', `${p}routing_decisions_total`, 'counter', ['model', 'strategy', 'provider', 'region', 'target_model']],
  ['requests', `${p}requests_total`, 'counter', ['model', 'status', 'stream']],
  ['duration', `${p}request_duration_seconds`, 'histogram', ['model', 'stream']],
];

function handSink(): Sink {
  const r = new Registry();
  const m: Record<string, M> = {};
  for (const [key, name, kind, labels] of DEFS) {
    const metric = kind === 'histogram' ? r.histogram(name, name, labels, LATENCY_BUCKETS_S) : r[kind](name, name, labels);
    m[key] = metric as unknown as M;
  }
  return { m, render: async () => r.render() };
}

function promSink(): Sink {
  const r = new prom.Registry();
  const m: Record<string, M> = {};
  for (const [key, name, kind, labelNames] of DEFS) {
    const cfg = { name, help: name, labelNames, registers: [r] };
    const metric =
      kind === 'counter'
        ? new prom.Counter(cfg)
        : kind === 'gauge'
          ? new prom.Gauge(cfg)
          : new prom.Histogram({ ...cfg, buckets: LATENCY_BUCKETS_S });
    m[key] = metric as unknown as M;
  }
  return { m, render: () => r.metrics() };
}

const UPSTREAMS = ['openai/us-east', 'anthropic/us-east', 'gemini/eu-west'];
const NONE = {};

/** One served request's observations, as settle, failover, accounting and the cache make them. */
function request({ m }: Sink, i: number): void {
  const upstream = UPSTREAMS[i % 3] as string;
  const model = 'gpt-4.1-mini';
  m.inFlight!.inc(NONE, 1);
  m.attempts!.inc({ upstream, model, outcome: 'ok' }, 1);
  m.health!.set({ upstream, model }, 1);
  m.tokens!.inc({ upstream, model, kind: 'input' }, 12);
  m.tokens!.inc({ upstream, model, kind: 'output' }, 16);
  m.cost!.inc({ upstream, model }, 0.00003);
  m.spend!.inc({ tenant: 'acme', key: 'acme-prod', model }, 0.00003);
  m.lookups!.inc({ model, outcome: 'miss' }, 1);
  m.ttft!.observe({ model, provider: 'openai', region: 'us-east' }, 0.2 + (i % 7) * 0.1);
  m.decisions!.inc({ model, strategy: 'priority', provider: 'openai', region: 'us-east', target_model: model }, 1);
  m.requests!.inc({ model, status: '200', stream: 'false' }, 1);
  m.duration!.observe({ model, stream: 'false' }, 0.5 + (i % 11) * 0.2);
  m.inFlight!.dec(NONE);
}

function round(s: Sink): number {
  const t0 = performance.now();
  for (let i = 0; i < REQUESTS; i++) request(s, i);
  return ((performance.now() - t0) * 1e6) / REQUESTS;
}

/** An exposition's samples, `name{labels sorted} value`, sorted; comments left out (the two order labels differently). */
function samples(text: string): string[] {
  const norm = (l: string): string => {
    const m = /^([^{ ]+)(?:\{(.*)\})? (.*)$/.exec(l);
    if (!m) return l;
    const labels = (m[2] ?? '').split(/,(?=[a-z_]+=")/).filter(Boolean).sort().join(',');
    return `${m[1]}{${labels}} ${m[3]}`;
  };
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map(norm).sort();
}

async function main(): Promise<void> {
  const sinks = { hand: handSink(), 'prom-client': promSink() };
  for (const s of Object.values(sinks)) round(s); // warm-up: the JIT and every label set
  const ns: Record<keyof typeof sinks, number[]> = { hand: [], 'prom-client': [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, s] of Object.entries(sinks)) ns[name as keyof typeof sinks].push(round(s));
  }
  const best = (xs: number[]): number => Math.min(...xs);
  const out = (l: string): void => void process.stdout.write(`${l}\n`);
  const n = REQUESTS.toLocaleString('en-US');
  out(`metrics on the hot path — node ${process.version}, ${n} requests × 12 observations, best of ${ROUNDS} alternating rounds`);
  for (const [name, xs] of Object.entries(ns)) {
    const rounds = xs.map((x) => x.toFixed(0)).join(', ');
    out(`  ${name.padEnd(12)} ${best(xs).toFixed(0).padStart(6)} ns per request   (rounds: ${rounds})`);
  }
  out(`  prom-client/hand: ×${(best(ns['prom-client']) / best(ns.hand)).toFixed(2)}`);
  const [hand, promText] = await Promise.all([sinks.hand.render(), sinks['prom-client'].render()]);
  const a = samples(hand);
  const b = samples(promText);
  const same = a.length === b.length && a.every((l, i) => l === b[i]);
  const verdict = same ? 'the same series and values' : 'DIFFERENT';
  out(`  expositions: ${a.length} / ${b.length} samples, ${verdict} (hand / prom-client)`);
}

await main();
