/**
 * A strategy comparison, as an API (`stormlab compare-strategies` is a thin wrapper): check every
 * config first, then run the same spec (same seed, same chaos) under each, one after the other,
 * each on a fresh fleet and gateway (runLab), and write one side-by-side report. A first signal
 * ends the current run gracefully and starts no further one: the report covers what ran.
 */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { StormlabError } from '../../core/errors.js';
import {
  builtInStrategyConfigs,
  loadGatewayConfig,
  resolveGatewayConfigFile,
  STRATEGY_CONFIGS_DIR,
} from '../../gateway/index.js';
import {
  compareStrategies,
  writeStrategyComparison,
  type StrategyComparison,
  type StrategyRun,
} from '../../reports/index.js';
import { applyOverrides, loadSpec } from '../../scenarios/load-spec.js';
import type { Interrupt } from './interrupt.js';
import { defaultRunDir } from './run-dir.js';
import { runLab } from './run-lab.js';

export interface CompareStrategiesOptions {
  /** built-in spec name or a YAML path */
  spec: string;
  /** built-in strategy config names (gateway/configs/strategies) or paths; the first is the baseline */
  configs: string[];
  durationMs?: number;
  rate?: number;
  seed?: number;
  /** where the runs (one directory per config) and the report go; default runs/<timestamp>-strategies-<spec> */
  out?: string;
  /** a pick's share of adequate answers may be at most this many points under the baseline's (default 10) */
  maxQualityDropPoints?: number;
  log?: (line: string) => void;
  interrupt?: Interrupt;
}

export interface CompareStrategiesResult {
  comparison: StrategyComparison;
  files: { json: string; md: string; html: string };
  outDir: string;
  /** a signal stopped the comparison before every config ran */
  interrupted: boolean;
}

export interface ResolvedConfig {
  name: string;
  file: string;
}

/**
 * A `--configs` entry → its file: a bare name is a built-in strategy config first
 * (gateway/configs/strategies/<name>.yaml), then any built-in gateway config; else a path.
 * Every file is loaded and validated here, so a bad one stops the comparison before anything runs.
 */
export function resolveStrategyConfigs(entries: readonly string[]): ResolvedConfig[] {
  if (entries.length < 2) {
    throw new StormlabError('SL_USAGE', '--configs needs at least two gateway configs to compare', [
      {
        path: '--configs',
        expected: `two or more built-in names (${builtInStrategyConfigs().join(', ')}) or YAML paths`,
        received: JSON.stringify(entries),
      },
    ]);
  }
  const out: ResolvedConfig[] = [];
  for (const entry of entries) {
    const bare = !/[\\/]/.test(entry) && !/\.(ya?ml|json)$/i.test(entry);
    const builtIn =
      bare && builtInStrategyConfigs().includes(entry) ? join(STRATEGY_CONFIGS_DIR, `${entry}.yaml`) : undefined;
    let file = entry;
    try {
      file = resolve(builtIn ?? resolveGatewayConfigFile(entry));
      if (!existsSync(file))
        throw new StormlabError('SL_CONFIG_NOT_FOUND', `${file} does not exist`, [
          { file, expected: 'a gateway config YAML file' },
        ]);
      loadGatewayConfig(file); // names the file and the field path of anything wrong
    } catch (e) {
      if (!(e instanceof StormlabError)) throw e;
      throw new StormlabError(e.code, `--configs ${entry}: ${e.message}`, [
        { path: '--configs', received: entry },
        ...e.details,
      ]);
    }
    const name = basename(file).replace(/\.(ya?ml|json)$/i, '');
    if (out.some((c) => c.name === name)) {
      throw new StormlabError('SL_USAGE', `--configs names "${name}" twice: each config is one column of the report`, [
        { path: '--configs', expected: 'configs with distinct file names', received: entry },
      ]);
    }
    out.push({ name, file });
  }
  return out;
}

export async function runStrategyComparison(o: CompareStrategiesOptions): Promise<CompareStrategiesResult> {
  const log = o.log ?? (() => {});
  const { spec } = loadSpec(o.spec);
  if (!('gateway' in spec.target)) {
    throw new StormlabError(
      'SL_USAGE',
      `spec ${spec.name} targets a URL: a strategy comparison starts its own gateway per config`,
      [{ path: 'target', expected: '{ gateway, fleet } (the lab), not { url }' }],
    );
  }
  const configs = resolveStrategyConfigs(o.configs);
  applyOverrides(spec, { durationMs: o.durationMs, rate: o.rate, seed: o.seed }); // bad values fail before any run
  const outDir = resolve(o.out ?? defaultRunDir(`strategies-${spec.name}`));
  const runs: StrategyRun[] = [];
  const failed: Array<{ name: string; message: string }> = [];
  for (const [i, c] of configs.entries()) {
    if (o.interrupt?.stop.aborted) break;
    log(`[${i + 1}/${configs.length}] ${c.name}: ${c.file}`);
    try {
      const r = await runLab({
        spec: o.spec,
        gateway: c.file,
        durationMs: o.durationMs,
        rate: o.rate,
        seed: o.seed,
        out: join(outDir, c.name),
        log: (l) => log(`  ${c.name}: ${l}`),
        interrupt: o.interrupt,
      });
      runs.push({ name: c.name, config: c.file, runDir: r.runDir });
    } catch (e) {
      const code = e instanceof StormlabError ? e.code : undefined;
      if (code === 'SL_RUN_ABORTED' || (e instanceof StormlabError && e.exitCode === 2)) throw e;
      // a signal while this run's lab was starting: nothing of it ran; report the runs before it
      if (code === 'SL_RUN_INTERRUPTED') {
        if (runs.length > 0) break;
        throw e;
      }
      // one config that cannot run (its gateway would not start, …) does not lose the others
      const message = e instanceof Error ? e.message : String(e);
      failed.push({ name: c.name, message });
      log(`  ${c.name}: failed: ${message}`);
    }
  }
  const planned = configs.map((c) => c.name);
  const comparison = await compareStrategies(spec.name, planned, runs, {
    maxQualityDropPoints: o.maxQualityDropPoints,
    failed,
  });
  const files = await writeStrategyComparison(comparison, outDir);
  return {
    comparison,
    files,
    outDir,
    interrupted: runs.length + failed.length < configs.length || comparison.configs.some((r) => r.interrupted),
  };
}
