/**
 * Dataset prompt sources (Node only): read a file of prompts — a JSON array or JSONL of
 * `{prompt, intent?, system?}` — and inline it into the spec as `items`.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { zodToStormlab } from '../core/config-file.js';
import { StormlabError } from '../core/errors.js';
import { DatasetItemSchema, type DatasetItem } from './class-schema.js';
import type { Spec } from './spec-schema.js';

/** Parse the text of a dataset file; errors name the file and the line (JSONL) or item (JSON). */
export function parseDataset(text: string, file: string): DatasetItem[] {
  const trimmed = text.trimStart();
  const entries: Array<[string, unknown]> = [];
  if (trimmed.startsWith('[')) {
    let arr: unknown;
    try {
      arr = JSON.parse(text);
    } catch (e) {
      throw new StormlabError('SL_CONFIG_PARSE', `${file} is not valid JSON: ${(e as Error).message}`, [{ file, expected: 'a JSON array of {prompt, intent?, system?}' }]);
    }
    (arr as unknown[]).forEach((v, i) => entries.push([`[${i}]`, v]));
  } else {
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        entries.push([`line ${i + 1}`, JSON.parse(line)]);
      } catch {
        throw new StormlabError('SL_CONFIG_PARSE', `${file} line ${i + 1} is not JSON`, [{ file, path: `line ${i + 1}`, expected: 'one JSON object per line' }]);
      }
    });
  }
  if (entries.length === 0) {
    throw new StormlabError('SL_CONFIG_INVALID', `${file} holds no prompts`, [{ file, expected: 'at least one {prompt} item' }]);
  }
  return entries.map(([where, v]) => {
    const r = DatasetItemSchema.safeParse(v);
    if (!r.success) {
      const e = zodToStormlab(r.error, file, 'dataset item');
      throw new StormlabError('SL_CONFIG_INVALID', `invalid dataset item at ${where} of ${file}`, e.details.map((d) => ({ ...d, path: `${where}.${d.path}` })));
    }
    return r.data;
  });
}

/** Read every class's dataset file (relative to the spec file) into `prompt.items`. Returns a new spec. */
export function inlineDatasets(spec: Spec, specFile: string): Spec {
  if (!spec.workload.classes.some((c) => c.prompt.source === 'dataset' && !c.prompt.items)) return spec;
  const classes = spec.workload.classes.map((c, i) => {
    const p = c.prompt;
    if (p.source !== 'dataset' || p.items || !p.file) return c;
    const file = resolve(dirname(specFile), p.file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new StormlabError('SL_CONFIG_NOT_FOUND', `cannot read dataset ${file}${code ? ` (${code})` : ''}`, [
        { file: specFile, path: `workload.classes[${i}].prompt.file`, expected: 'a readable dataset file, relative to the spec', received: p.file },
      ]);
    }
    return { ...c, prompt: { ...p, items: parseDataset(text, file) } };
  });
  return { ...spec, workload: { ...spec.workload, classes } };
}
