import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseDurationMs } from '../core/duration.js';
import { StormlabError } from '../core/errors.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface Command {
  name: string;
  summary: string;
  /** full --help text */
  help: string;
  options: OptionSpec;
  run(parsed: { values: Record<string, unknown>; positionals: string[] }, io: CommandIo): Promise<number>;
}

/** Parse a command's argv strictly; unknown flags and bad values are usage errors (exit 2). */
export function parseCommandArgs(cmd: Command, argv: string[]): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options: { ...cmd.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, unknown>, positionals: r.positionals };
  } catch (e) {
    throw new StormlabError('SL_USAGE', `${(e as Error).message.split('\n')[0]} (see \`stormlab ${cmd.name} --help\`)`);
  }
}

export function optString(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function optNumber(values: Record<string, unknown>, name: string, check: (n: number) => boolean, expected: string): number | undefined {
  const v = optString(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || !check(n)) {
    throw new StormlabError('SL_USAGE', `--${name} must be ${expected}`, [{ path: `--${name}`, expected, received: JSON.stringify(v) }]);
  }
  return n;
}

export function optDuration(values: Record<string, unknown>, name: string): number | undefined {
  const v = optString(values, name);
  if (v === undefined) return undefined;
  try {
    const ms = /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : parseDurationMs(v);
    if (ms <= 0) throw new RangeError('must be positive');
    return ms;
  } catch {
    throw new StormlabError('SL_USAGE', `--${name} must be a duration such as 20s, 1m30s or 500ms`, [
      { path: `--${name}`, expected: 'a positive duration (20s, 1m30s, 500ms)', received: JSON.stringify(v) },
    ]);
  }
}

/** `--header "Name: value"` (repeatable) → headers; a malformed one is SL_USAGE naming the flag. */
export function optHeaders(values: Record<string, unknown>, name = 'header'): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of (values[name] as string[] | undefined) ?? []) {
    const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):\s*(.*)$/.exec(h);
    if (!m) {
      throw new StormlabError('SL_USAGE', `--${name} must be "Name: value"`, [
        { path: `--${name}`, expected: '"Name: value"', received: JSON.stringify(h) },
      ]);
    }
    headers[m[1]!] = m[2]!;
  }
  return headers;
}

/** `--gateway-instances N`: how many gateway instances the lab starts (1–16). */
export function optGatewayInstances(values: Record<string, unknown>): number | undefined {
  const ok = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 16;
  return optNumber(values, 'gateway-instances', ok, 'a whole number of instances from 1 to 16');
}
