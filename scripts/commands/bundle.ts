import { join, relative } from 'node:path';
import { StormlabError } from '../../core/errors.js';
import { bundleSpec } from '../../scenarios/bundle.js';
import { listSpecs, loadSpec } from '../../scenarios/load-spec.js';
import { optString, type Command } from '../args.js';

export const bundleCommand: Command = {
  name: 'bundle',
  summary: 'bundle specs into self-contained k6 scripts (dist/k6/<spec>.js)',
  help: `
Usage: stormlab bundle <spec>... [--out-dir DIR]
       stormlab bundle --all [--out-dir DIR]

Builds one self-contained k6 script per spec with esbuild: the spec and its workload code are
inlined; the only imports left are k6's own modules. Run it with
  k6 run -e STORMLAB_TARGET=http://127.0.0.1:8080 --out json=samples.ndjson dist/k6/<spec>.js

Options:
  --all            every built-in spec in scenarios/specs/
  --sse            time TTFT at the first content event with xk6-sse (k6/x/sse); the bundle
                   then needs a k6 built with that extension. Without it, stock k6 times TTFT
                   at the first byte, and the samples say so.
  --out-dir DIR    where to write (default: dist/k6)
  -h, --help       this help
`,
  options: {
    all: { type: 'boolean' },
    sse: { type: 'boolean' },
    'out-dir': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const names = values.all === true ? listSpecs() : positionals;
    if (names.length === 0) throw new StormlabError('SL_USAGE', 'name at least one spec, or pass --all (see `stormlab bundle --help`)');
    const outDir = optString(values, 'out-dir') ?? join('dist', 'k6');
    for (const name of names) {
      const { spec } = loadSpec(name);
      const r = await bundleSpec(spec, join(outDir, `${spec.name}.js`), { sse: values.sse === true });
      io.stdout.write(`${relative(process.cwd(), r.file)} (${(r.bytes / 1024).toFixed(1)} KiB, TTFT: ${r.ttftDefinition})\n`);
    }
    return 0;
  },
};
