/**
 * Bundle the k6 entry for a spec with esbuild (Node only): one self-contained ES module, the
 * resolved spec inlined through the virtual module `stormlab:spec`, only `k6` and `k6/*` left as
 * imports — so the file runs under plain k6, k6-operator or any k6 fleet.
 */
import { statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { loadSpec } from './load-spec.js';
import type { Spec } from './spec-schema.js';

/** The k6 entry that every bundle starts from. */
export const K6_ENTRY = fileURLToPath(new URL('./k6/entry.ts', import.meta.url));

/** The virtual module the entry imports the spec from. */
export const VIRTUAL_SPEC = 'stormlab:spec';

function specModule(spec: Spec): Plugin {
  return {
    name: 'stormlab-spec',
    setup(b) {
      b.onResolve({ filter: /^stormlab:spec$/ }, () => ({ path: VIRTUAL_SPEC, namespace: 'stormlab-spec' }));
      b.onLoad({ filter: /.*/, namespace: 'stormlab-spec' }, () => ({
        contents: `export default ${JSON.stringify(spec)};\n`,
        loader: 'js',
      }));
    },
  };
}

export interface BundleResult {
  file: string;
  bytes: number;
}

/** Bundle one resolved spec into `outFile` (directories created). */
export async function bundleSpec(spec: Spec, outFile: string): Promise<BundleResult> {
  const file = resolve(outFile);
  await build({
    entryPoints: [K6_ENTRY],
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    external: ['k6', 'k6/*'],
    plugins: [specModule(spec)],
    banner: { js: `// stormlab k6 bundle for spec "${spec.name}" — generated, do not edit. Run: k6 run -e STORMLAB_TARGET=<url> <this file>` },
    legalComments: 'none',
    logLevel: 'silent',
    write: true,
  });
  return { file, bytes: statSync(file).size };
}

/** Bundle several specs (names or paths) into `outDir/<spec.name>.js`. */
export async function bundleSpecs(namesOrPaths: readonly string[], outDir: string): Promise<BundleResult[]> {
  await mkdir(outDir, { recursive: true });
  const out: BundleResult[] = [];
  for (const n of namesOrPaths) {
    const { spec } = loadSpec(n);
    out.push(await bundleSpec(spec, join(outDir, `${spec.name}.js`)));
  }
  return out;
}
