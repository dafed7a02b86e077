import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { StormlabError, type ErrorDetail } from './errors.js';

/** `a.b[2].c` from a zod issue path. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

/**
 * For a union, the branch that matched the input's type says the most (a string that is not a
 * duration: the string branch's message); when none did, list what each branch wanted.
 */
function unionBranch(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue | undefined {
  const branches = issue.errors.filter((b) => b.length > 0);
  const rootMismatch = (i: z.core.$ZodIssue): boolean => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'unrecognized_keys');
  const typed = branches.filter((b) => !b.some(rootMismatch));
  if (typed.length === 1) return typed[0]![0];
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue): Pick<ErrorDetail, 'expected' | 'received'> {
  switch (issue.code) {
    case 'invalid_union': {
      const branch = unionBranch(issue);
      if (branch) return describeIssue(branch);
      const wanted = issue.errors.flatMap((b) => (b[0]?.code === 'invalid_type' && b[0].path.length === 0 ? [b[0].expected] : []));
      if (wanted.length > 0) return { expected: `one of: ${[...new Set(wanted)].join(' | ')}` };
      const custom = /^expected (.+)$/.exec(issue.message);
      if (custom) return { expected: custom[1] };
      const disc = /^Invalid discriminator value\. Expected (.+)$/.exec(issue.message);
      return { expected: disc ? `one of ${disc[1]}` : 'one of the documented forms' };
    }
    case 'invalid_format':
      return { expected: issue.message };
    case 'invalid_type':
      return { expected: issue.expected, received: /received\s+(.+)$/i.exec(issue.message)?.[1] };
    case 'invalid_value':
      return { expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'unrecognized_keys':
      return { expected: 'no such field (unknown key)' };
    case 'too_small':
      return { expected: `${issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : ''}` };
    case 'too_big':
      return { expected: `${issue.inclusive === false ? '<' : '<='} ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : ''}` };
    default:
      return { expected: issue.message };
  }
}

/** Turn a zod error into a StormlabError naming the source, every field path and what was expected. */
export function zodToStormlab(error: z.ZodError, source: string, what = 'configuration'): StormlabError {
  const details: ErrorDetail[] = error.issues.flatMap((issue) => {
    const d = describeIssue(issue);
    if (issue.code === 'invalid_union') {
      const branch = unionBranch(issue);
      if (branch && branch.path.length > 0) return [{ file: source, path: formatPath([...issue.path, ...branch.path]), ...d }];
    }
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ file: source, path: formatPath([...issue.path, k]), ...d }));
    }
    return [{ file: source, path: formatPath(issue.path), ...d }];
  });
  const first = details[0];
  const summary = first ? `${first.path}: expected ${first.expected ?? 'a valid value'}` : 'invalid';
  return new StormlabError('SL_CONFIG_INVALID', `invalid ${what} in ${source} — ${summary}`, details);
}

/** Validate an in-memory value (e.g. CLI overrides merged into a spec). */
export function validate<S extends z.ZodType>(schema: S, value: unknown, source: string, what?: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw zodToStormlab(r.error, source, what);
  return r.data;
}

/** Parse YAML text; a syntax error names the file, line and column. */
export function parseYamlText(text: string, source: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      const where = pos ? `line ${pos.line}, column ${pos.col}` : undefined;
      throw new StormlabError('SL_CONFIG_PARSE', `${source} is not valid YAML: ${e.message.split('\n')[0]}`, [
        { file: source, path: where, expected: 'valid YAML' },
      ]);
    }
    throw e;
  }
}

/** Read a YAML (or JSON) file and validate it against a zod schema. */
export function loadConfigFile<S extends z.ZodType>(schema: S, file: string, what?: string): z.output<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StormlabError('SL_CONFIG_NOT_FOUND', `cannot read ${file}${code ? ` (${code})` : ''}`, [
      { file, expected: `a readable ${what ?? 'configuration'} file` },
    ]);
  }
  return validate(schema, parseYamlText(text, file), file, what);
}
