/** The `stormlab` command line: a thin dispatcher over the commands in scripts/commands/. */
import { formatError, isStormlabError } from '../core/errors.js';
import { parseCommandArgs, type Command, type CommandIo } from './args.js';
import { COMMANDS } from './commands/index.js';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'stormlab — load-testing and chaos lab for LLM gateways',
    '',
    'Usage: stormlab <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `stormlab <command> --help` for the options of one command.',
  ].join('\n');
}

export async function main(argv: string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const cmd: Command | undefined = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.stderr.write(`error SL_USAGE: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  try {
    const parsed = parseCommandArgs(cmd, rest);
    if (parsed.values.help === true) {
      io.stdout.write(`${cmd.help.trim()}\n`);
      return 0;
    }
    return await cmd.run(parsed, io);
  } catch (e) {
    if (isStormlabError(e)) {
      io.stderr.write(`${formatError(e)}\n`);
      return e.exitCode;
    }
    io.stderr.write(`error: unexpected failure in \`stormlab ${name}\`: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}
