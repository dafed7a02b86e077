/**
 * Bundle the k6 entry for a spec with esbuild (Node only): one self-contained ES module, the
 * resolved spec inlined through the virtual module `stormlab:spec` and the workload data through
 * its JSON import, only `k6` and `k6/*` left as imports — so the file runs under plain k6,
 * k6-operator or any k6 fleet. With `{ sse: true }` the bundle also imports `k6/x/sse` (a k6
 * built with xk6-sse) and times TTFT at the first content event instead of the first byte.
 */
import { statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { listSpecs, loadSpec } from './load-spec.js';
import type { Spec } from './spec-schema.js';

/** The k6 entry that every bundle starts from. */
export const K6_ENTRY = fileURLToPath(new URL('./k6/entry.ts', import.meta.url));

/** esbuild names each inlined source by its path from here: the same bundle from any working directory. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The virtual module the entry imports the spec from. */
export const VIRTUAL_SPEC = 'stormlab:spec';
/** The virtual module that is xk6-sse (`{ sse: true }`) or nothing. */
export const VIRTUAL_SSE = 'stormlab:sse';

function virtualModules(spec: Spec, sse: boolean): Plugin {
  const modules: Record<string, string> = {
    [VIRTUAL_SPEC]: `export default ${JSON.stringify(spec, null, 1)};\n`,
    [VIRTUAL_SSE]: sse ? `import sse from 'k6/x/sse';\nexport default sse;\n` : 'export default undefined;\n',
  };
  return {
    name: 'stormlab-virtual',
    setup(b) {
      b.onResolve({ filter: /^stormlab:(spec|sse)$/ }, (args) => ({ path: args.path, namespace: 'stormlab-virtual' }));
      b.onLoad({ filter: /.*/, namespace: 'stormlab-virtual' }, (args) => ({ contents: modules[args.path], loader: 'js', resolveDir: '.' }));
    },
  };
}

export interface BundleOptions {
  /** import `k6/x/sse` (xk6-sse) for first-content-event TTFT; the bundle then needs a k6 built with it */
  sse?: boolean;
}

export interface BundleResult {
  file: string;
  bytes: number;
  /** how the bundle measures TTFT */
  ttftDefinition: 'first-byte' | 'first-content-chunk';
}

/** Bundle one resolved spec into `outFile` (directories created). */
export async function bundleSpec(spec: Spec, outFile: string, opts: BundleOptions = {}): Promise<BundleResult> {
  const sse = opts.sse === true;
  const file = resolve(outFile);
  await build({
    entryPoints: [K6_ENTRY],
    absWorkingDir: ROOT,
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    external: ['k6', 'k6/*'],
    plugins: [virtualModules(spec, sse)],
    banner: {
      js:
        `// stormlab k6 bundle for spec "${spec.name}" — generated, do not edit. Run: k6 run -e STORMLAB_TARGET=<url> <this file>\n` +
        `// TTFT: ${sse ? 'first content event (needs a k6 built with xk6-sse)' : 'first byte (stock k6: timings.waiting)'}`,
    },
    legalComments: 'none',
    logLevel: 'silent',
    write: true,
  });
  return { file, bytes: statSync(file).size, ttftDefinition: sse ? 'first-content-chunk' : 'first-byte' };
}

/**
 * Bundle several specs (names or paths; `'all'` = every built-in spec) into `outDir/<spec.name>.js`.
 */
export async function bundleSpecs(namesOrPaths: readonly string[] | 'all', outDir: string, opts: BundleOptions = {}): Promise<BundleResult[]> {
  await mkdir(outDir, { recursive: true });
  const names = namesOrPaths === 'all' ? listSpecs() : namesOrPaths;
  const out: BundleResult[] = [];
  for (const n of names) {
    const { spec } = loadSpec(n);
    out.push(await bundleSpec(spec, join(outDir, `${spec.name}.js`), opts));
  }
  return out;
}
