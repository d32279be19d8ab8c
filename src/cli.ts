/** Entry point: parse the command line, run one command, map errors to one clear line and an exit code. */
import { parseArgs, formatCommandHelp } from './cli/args.js';
import { COMMANDS, findCommand, type CliIO } from './cli/commands.js';
import { isSfpipeError } from './domain/errors.js';
import { routeProcessWarningsToLog } from './log/fileLog.js';
import { packageVersion } from './version.js';

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `sfpipe ${packageVersion()} — stand up, watch and operate a Kafka → Snowflake pipeline`,
    '',
    'usage: sfpipe [command] [flags]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'global flags: --help, --version',
    'Run `sfpipe <command> --help` for a command\'s flags.',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version') {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    const sub = argv[1] ? findCommand(argv[1]) : undefined;
    io.stdout.write(sub ? formatCommandHelp(sub) : topHelp());
    return 0;
  }
  const explicit = argv[0] !== undefined && !argv[0].startsWith('-');
  const command = explicit ? findCommand(argv[0]!) : findCommand('console');
  if (!command) {
    io.stderr.write(`sfpipe: unknown command "${argv[0]}" — run \`sfpipe --help\` for the list\n`);
    return 2;
  }
  const rest = explicit ? argv.slice(1) : argv;
  if (io.stdout === process.stdout) routeProcessWarningsToLog();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(formatCommandHelp(command));
    return 0;
  }
  try {
    const args = parseArgs(command, rest);
    const run = await command.load();
    return await run({ ...args, flags: { ...args.flags, _command: command.name } }, io);
  } catch (err) {
    if (isSfpipeError(err)) {
      io.stderr.write(`sfpipe: ${err.describe()}\n`);
      return err.kind === 'invalid-input' ? 2 : 1;
    }
    io.stderr.write(`sfpipe: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

function defaultIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}
