import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleSpec, bundleSpecs } from './bundle.js';
import { listSpecs, loadSpec } from './load-spec.js';

const dir = mkdtempSync(join(tmpdir(), 'stormlab-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Module specifiers of every static import / export-from / dynamic import in the text. */
function importedModules(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s*["']([^"']+)["']/gm)) out.push(m[1]!);
  for (const m of code.matchAll(/^\s*import\s*["']([^"']+)["']/gm)) out.push(m[1]!);
  for (const m of code.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)) out.push(m[1]!);
  return out;
}

describe('bundleSpec', () => {
  it('writes one self-contained ES module that imports only k6', async () => {
    const [res] = await bundleSpecs(['baseline'], dir);
    expect(res!.file).toBe(join(dir, 'baseline.js'));
    const code = readFileSync(res!.file, 'utf8');
    expect(res!.bytes).toBe(Buffer.byteLength(code));
    const mods = importedModules(code);
    expect(mods).toContain('k6/http');
    expect(mods.every((m) => m === 'k6' || m.startsWith('k6/'))).toBe(true);
    expect(code).not.toMatch(/\brequire\s*\(/);
    expect(code).not.toMatch(/from\s*["']zod["']|node:/);
    expect(code).toContain('"name": "baseline"'); // the spec inlined
    expect(code).toMatch(/export\s*\{[^}]*\bdefault\b[^}]*\boptions\b/s);
    const mjs = join(dir, 'baseline.mjs');
    copyFileSync(res!.file, mjs);
    await promisify(execFile)(process.execPath, ['--check', mjs]); // throws on a syntax error
  });

  it('bundles every built-in spec (stormlab bundle --all): each self-contained, data included, and parses', async () => {
    const all = join(dir, 'all');
    const results = await bundleSpecs('all', all);
    expect(results.map((r) => basename(r.file, '.js'))).toEqual(listSpecs());
    for (const r of results) {
      const code = readFileSync(r.file, 'utf8');
      const mods = importedModules(code);
      expect(mods.every((m) => m === 'k6' || m.startsWith('k6/')), `${r.file}: ${mods.join(', ')}`).toBe(true);
      expect(mods).not.toContain('k6/x/sse');
      expect(code).not.toMatch(/\brequire\s*\(|from\s*["']zod["']|["']node:/);
      expect(code).toContain('How do I cancel my subscription?'); // the prompt families ride along
      expect(r.ttftDefinition).toBe('first-byte');
      const mjs = `${r.file.slice(0, -3)}.mjs`;
      copyFileSync(r.file, mjs);
      await promisify(execFile)(process.execPath, ['--check', mjs]);
    }
    const soak = readFileSync(join(all, 'soak.js'), 'utf8');
    expect(soak).toMatch(/My account id is AC-\d+/); // the dataset inlined into the spec
  });

  it('with { sse: true } imports k6/x/sse as well, for first-content-event TTFT', async () => {
    const { spec } = loadSpec('baseline');
    const r = await bundleSpec(spec, join(dir, 'sse', 'baseline.js'), { sse: true });
    const code = readFileSync(r.file, 'utf8');
    expect(r.ttftDefinition).toBe('first-content-chunk');
    expect(importedModules(code)).toContain('k6/x/sse');
    expect(importedModules(code).every((m) => m === 'k6' || m.startsWith('k6/'))).toBe(true);
    expect(code).toContain('TTFT: first content event');
  });

  it('inlines the resolved (overridden) spec it is given', async () => {
    const { spec } = loadSpec('baseline');
    const out = join(dir, 'nested', 'custom.js');
    const r = await bundleSpec({ ...spec, name: 'custom-run', workload: { ...spec.workload, seed: 4242 } }, out);
    const code = readFileSync(r.file, 'utf8');
    expect(code).toContain('"seed": 4242');
    expect(code).toContain('"name": "custom-run"');
  });
});
