/**
 * A run directory (or several runners' outputs) → summary.json, summary.md, index.html and one
 * HdrHistogram interval log per latency metric. Reads the samples (required; plain or gzip) and,
 * when present, run.json, ledger.ndjson, chaos.ndjson, metrics.prom, gateway.json and fleet.json.
 * Everything is streamed; nothing here starts a server.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StormlabError } from '../core/errors.js';
import { ingestChaos, type ChaosLog } from './chaos.js';
import { aggregateHlog, HLOG_METRICS } from './hlog.js';
import { loadHtmlAssets } from './html/assets.js';
import { renderHtml } from './html/render-report.js';
import { createAggregate } from './aggregate.js';
import { ingestInto } from './ingest.js';
import { createLedgerTotals, ingestLedger, type LedgerTotals } from './ledger.js';
import { readPriceTable } from './prices.js';
import { readGatewaySnapshot, type GatewayMetricsSnapshot } from './prom.js';
import { renderMarkdown } from './render-markdown.js';
import { readRunMeta, type RunMeta } from './run-meta.js';
import { mergedRunMeta, resolveInput, RUN_FILES, sideFiles, type RunInput } from './run-inputs.js';
import { summarize } from './summarize.js';
import { SummarySchema, type Summary } from './summary-schema.js';
import { labRegionOf } from '../scenarios/topology.js';

export { RUN_FILES } from './run-inputs.js';

/** Write to a temporary name, then rename: a report cut short never leaves a half-written file. */
async function writeWhole(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

export interface BuiltReport {
  summary: Summary;
  files: { json: string; md: string; html: string; hlogs: string[] };
}

async function readLedgers(files: string[]): Promise<LedgerTotals | null> {
  if (files.length === 0) return null;
  const into = createLedgerTotals();
  for (const f of files) await ingestLedger(f, { into });
  return into;
}

async function readChaos(files: string[]): Promise<ChaosLog | null> {
  let log: ChaosLog | null = null;
  for (const f of files) {
    const one = await ingestChaos(f);
    if (!log) log = one;
    else {
      log.lines += one.lines;
      log.bad.count += one.bad.count;
      log.dropped += one.dropped;
      log.events = [...log.events, ...one.events].sort((a, b) => a.timeMs - b.timeMs);
    }
  }
  return log;
}

/** Several gateway instances: their counters add up. */
async function readSnapshots(files: string[]): Promise<GatewayMetricsSnapshot | null> {
  let sum: GatewayMetricsSnapshot | null = null;
  const add = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b);
  for (const f of files) {
    const s = await readGatewaySnapshot(f);
    if (!sum) sum = s;
    else {
      sum = {
        series: sum.series + s.series,
        badLines: sum.badLines + s.badLines,
        requests: add(sum.requests, s.requests),
        costUsd: add(sum.costUsd, s.costUsd),
        failovers: add(sum.failovers, s.failovers),
        truncations: add(sum.truncations, s.truncations),
        attempts: Object.fromEntries(
          [...new Set([...Object.keys(sum.attempts), ...Object.keys(s.attempts)])].sort().map((k) => [k, (sum?.attempts[k] ?? 0) + (s.attempts[k] ?? 0)]),
        ),
      };
    }
  }
  return sum;
}

export interface MergeOptions {
  /**
   * a run.json describing the whole test (spec, driver, TTFT definition, plan, thresholds), in
   * place of the inputs' own — k6-operator runners leave bare sample files (`stormlab k8s` writes one)
   */
  runFile?: string;
}

function requireRunMeta(file: string): RunMeta {
  const meta = readRunMeta(file);
  if (!meta) throw new StormlabError('SL_CONFIG_NOT_FOUND', `cannot read ${file}`, [{ file, expected: 'a run.json' }]);
  return meta;
}

/** spec.json's topology, when the run had one: where each fleet region lies, for cross-region shares. */
function regionLocator(dir: string | null | undefined): ((fleetRegion: string) => string | undefined) | undefined {
  if (!dir) return undefined;
  try {
    const spec = JSON.parse(readFileSync(join(dir, RUN_FILES.spec), 'utf8')) as { topology?: unknown };
    const t = spec.topology as { gateways?: unknown; clients?: unknown; locations?: unknown } | undefined;
    if (!t || !Array.isArray(t.gateways)) return undefined;
    const topology = {
      gateways: t.gateways.map(String),
      clients: Array.isArray(t.clients) ? t.clients.map(String) : undefined,
      locations: typeof t.locations === 'object' && t.locations !== null ? (t.locations as Record<string, string>) : {},
    };
    return (region) => labRegionOf(topology, region);
  } catch {
    return undefined; // no spec.json (or not ours): regions are compared by name
  }
}

/** A regional lab's gateways: one metrics snapshot each (`metrics.<region>.prom`). */
function regionalSnapshots(inputs: RunInput[]): string[] {
  return inputs.flatMap((i) =>
    i.dir ? readdirSync(i.dir).filter((f) => /^metrics\.[a-z0-9-]+\.prom$/.test(f)).sort().map((f) => join(i.dir as string, f)) : [],
  );
}

/**
 * Build one report from several inputs (run directories or sample files) into `outDir`: the
 * samples of every input merge into one set of histograms (percentiles merged, never averaged).
 */
export async function buildMergedReport(inputPaths: string[], outDir: string, opts: MergeOptions = {}): Promise<BuiltReport> {
  if (inputPaths.length === 0) throw new StormlabError('SL_USAGE', 'a report needs at least one run directory or samples file');
  const inputs: RunInput[] = inputPaths.map(resolveInput);
  const { meta: run, source: runFile } = opts.runFile ? { meta: requireRunMeta(opts.runFile), source: opts.runFile } : mergedRunMeta(inputs);
  const agg = createAggregate({
    thresholds: run?.thresholds,
    thresholdsSource: runFile ?? undefined,
    startMs: run?.startedAt ? Date.parse(run.startedAt) : undefined,
    locateRegion: regionLocator(inputs.find((i) => i.dir !== null)?.dir),
  });
  for (const i of inputs) await ingestInto(agg, i.samples);
  const firstDir = inputs.find((i) => i.dir !== null)?.dir;
  const prices = firstDir ? readPriceTable(join(firstDir, RUN_FILES.gateway), join(firstDir, RUN_FILES.fleet)) : null;
  // the schema is the contract compare and gate read: never write a summary that breaks it
  const summary = SummarySchema.parse(
    summarize(agg, {
      run,
      ledger: await readLedgers(sideFiles(inputs, RUN_FILES.ledger)),
      chaos: await readChaos(sideFiles(inputs, RUN_FILES.chaos)),
      gateway: await readSnapshots([...sideFiles(inputs, RUN_FILES.metrics).filter((f) => !f.endsWith('.gz')), ...regionalSnapshots(inputs)]),
      prices,
    }),
  );
  const dir = resolve(outDir);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const files = { json: join(dir, RUN_FILES.summaryJson), md: join(dir, RUN_FILES.summaryMd), html: join(dir, RUN_FILES.html), hlogs: [] as string[] };
  await writeWhole(files.json, `${JSON.stringify(summary, null, 2)}\n`);
  await writeWhole(files.md, renderMarkdown(summary));
  await writeWhole(files.html, renderHtml(summary, loadHtmlAssets()));
  for (const metric of HLOG_METRICS) {
    const log = aggregateHlog(agg, metric);
    if (log === null) continue;
    const file = join(dir, `${metric}.hlog`);
    await writeWhole(file, log);
    files.hlogs.push(file);
  }
  return { summary, files };
}

/** A run directory → its report, written beside the samples. */
export async function buildReport(runDir: string): Promise<BuiltReport> {
  const dir = resolve(runDir);
  if (!existsSync(dir)) {
    throw new StormlabError('SL_CONFIG_NOT_FOUND', `run directory ${runDir} does not exist`, [{ file: dir, expected: 'a run directory' }]);
  }
  return buildMergedReport([dir], dir);
}
