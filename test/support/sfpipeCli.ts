/**
 * Running the sfpipe CLI from source in a child process (node + the tsx loader), from any
 * working directory: the e2e tests start it in empty temp dirs so nothing from this checkout
 * (an sfpipe.toml, keys/) leaks into what they test.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const TSX_LOADER = require.resolve('tsx');
const ENTRY = fileURLToPath(new URL('./sfpipe-main.ts', import.meta.url));
/** tsx looks for tsconfig.json from the working directory; name the project's (react-jsx …) explicitly. */
export const SFPIPE_CLI_ENV: Readonly<Record<string, string>> = { TSX_TSCONFIG_PATH: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) };

/** argv (program first) that runs `sfpipe <args…>` from source. */
export function sfpipeArgv(args: readonly string[] = []): string[] {
  return [process.execPath, '--import', TSX_LOADER, ENTRY, ...args];
}

/** The same as one shell command line (for a shell in tmux), words quoted where needed. */
export function sfpipeCommandLine(args: readonly string[] = []): string {
  const env = Object.entries(SFPIPE_CLI_ENV).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return ['env', ...env, ...sfpipeArgv(args).map(shellQuote)].join(' ');
}

export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** text for stdin; default: stdin is /dev/null */
  input?: string;
  /** kill -9 after this long (a hang is a failure, reported as signal SIGKILL); default 60 s */
  timeoutMs?: number;
}

/** Run `sfpipe <args…>` to completion with pipes (not a TTY) and collect its output. */
export function runSfpipe(args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const [cmd, ...rest] = sfpipeArgv(args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, rest, { cwd: opts.cwd, env: { ...opts.env, ...SFPIPE_CLI_ENV }, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
