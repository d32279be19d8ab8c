/**
 * sfpipe's own log: one file, never the terminal (Ink owns the terminal; a stray line from
 * a library or a poller would corrupt the frame). Lines are scrubbed of PEM blocks and of
 * any secret registered with addSecret before they are written.
 */
import { appendFileSync, chmodSync, existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { redactText } from '../config/redact.js';

const secrets = new Set<string>();

/** $SFPIPE_LOG_FILE, else $XDG_STATE_HOME/sfpipe/sfpipe.log, else ~/.local/state/sfpipe/sfpipe.log */
export function logFilePath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.SFPIPE_LOG_FILE) return env.SFPIPE_LOG_FILE;
  const state = env.XDG_STATE_HOME || join(home, '.local', 'state');
  return join(state, 'sfpipe', 'sfpipe.log');
}

/** Register a value that must never appear in the log (passphrases, passwords). */
export function addSecret(value: string | undefined): void {
  if (value) secrets.add(value);
}

export function log(level: 'info' | 'warn' | 'error', message: string, file: string = logFilePath()): void {
  try {
    const fresh = !existsSync(file);
    if (fresh) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    appendFileSync(file, `${new Date().toISOString()} ${level} ${redactText(message, secrets)}\n`, { mode: 0o600 });
    if (fresh) chmodSync(file, 0o600);
  } catch {
    // Logging must never take the console down; a read-only home simply loses the line.
  }
}

/**
 * Node prints process warnings (e.g. the AWS SDK's Node-version notice pulled in by
 * snowflake-sdk) straight to stderr, which would land in the middle of the console's
 * frame. Route them to the log instead.
 */
export function routeProcessWarningsToLog(): void {
  process.removeAllListeners('warning');
  process.on('warning', (w) => log('warn', `${w.name}: ${w.message}`));
}
