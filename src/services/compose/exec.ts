/**
 * Running docker / docker-compose through execa: bounded in time, cancellable, output streamed
 * line by line to the caller and its tail kept for the error, which names the command, its exit
 * code and its last lines.
 */
import { SfpipeError, type ErrorKind } from '../../domain/errors.js';

export interface ExecOptions {
  env: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** every output line (stdout and stderr interleaved), as it comes */
  onLine?: (line: string) => void;
}

export interface ExecResult {
  stdout: string;
  /** last lines of stdout and stderr interleaved */
  tail: string[];
}

const TAIL_LINES = 8;

/** Run a command; resolves on exit code 0, otherwise rejects with an SfpipeError from source 'compose'. */
export async function runCommand(command: string[], opts: ExecOptions): Promise<ExecResult> {
  const [file, ...args] = command;
  if (!file) throw new SfpipeError('internal', 'compose', 'empty command');
  const shown = showCommand(command);
  // Loaded on first use: execa is ~140 modules the console would otherwise load at start-up for nothing.
  const { execa } = await import('execa');
  const subprocess = execa(file, args, {
    env: opts.env,
    extendEnv: false,
    cwd: opts.cwd,
    all: true,
    reject: false,
    timeout: opts.timeoutMs,
    cancelSignal: opts.signal,
    forceKillAfterDelay: 5_000,
    stdin: 'ignore',
  });
  const tail: string[] = [];
  const collect = (async () => {
    for await (const line of subprocess.iterable({ from: 'all' })) {
      tail.push(line);
      if (tail.length > TAIL_LINES * 4) tail.splice(0, tail.length - TAIL_LINES);
      opts.onLine?.(line);
    }
  })();
  const result = await subprocess;
  await collect.catch(() => undefined);
  const last = tail.filter((l) => l.trim() !== '').slice(-TAIL_LINES);
  if (result.exitCode === 0 && !result.failed) return { stdout: typeof result.stdout === 'string' ? result.stdout : '', tail: last };

  const cause = (result as { cause?: unknown }).cause;
  if ((cause as { code?: unknown } | undefined)?.code === 'ENOENT') {
    throw new SfpipeError('unsupported', 'compose', `${file} is not installed (or not on PATH)`, {
      hint: file.includes('compose') ? 'install Docker Compose (Debian: docker-compose) or the docker compose plugin' : 'install the Docker CLI (Debian: docker.io)',
    });
  }
  if (result.timedOut) throw new SfpipeError('timeout', 'compose', `\`${shown}\` did not finish within ${Math.round(opts.timeoutMs / 1000)}s${lastLines(last)}`);
  if (result.isCanceled) throw new SfpipeError('timeout', 'compose', `\`${shown}\` was cancelled${lastLines(last)}`);
  const { kind, hint } = classify(last, opts.env.DOCKER_HOST);
  throw new SfpipeError(kind, 'compose', `\`${shown}\` exited with code ${result.exitCode ?? '?'}${lastLines(last)}`, { hint });
}

function lastLines(lines: string[]): string {
  return lines.length === 0 ? ' (no output)' : `; last output:\n${lines.map((l) => `    ${l}`).join('\n')}`;
}

/** A daemon that does not answer is the usual cause; say so instead of leaving a traceback to read. */
function classify(lines: string[], dockerHost: string | undefined): { kind: ErrorKind; hint: string | undefined } {
  const text = lines.join('\n');
  if (/Cannot connect to the Docker daemon|Error while fetching server API version|Is the docker daemon running|connection refused/i.test(text)) {
    return { kind: 'unreachable', hint: `the Docker engine does not answer at ${dockerHost ?? 'the default socket'}: start Docker (or fix DOCKER_HOST), then re-run` };
  }
  if (/permission denied/i.test(text)) return { kind: 'auth', hint: 'your user may not use the Docker socket (add it to the docker group)' };
  return { kind: 'bad-response', hint: undefined };
}

/** The command as a person would type it (for plans and messages). */
export function showCommand(command: string[]): string {
  return command.map((a) => (/^[A-Za-z0-9_./:=@,+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
