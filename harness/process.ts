/**
 * Process plumbing shared by the harness services: detached children with a log file and a
 * pid file, readiness polling, stopping by pid (never by name), and a cross-process lock so
 * two test workers never start the same service twice.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirs } from './paths.js';
import { HarnessStepFailed } from './types.js';

export interface StartOptions {
  /** unique name, used for the pid and log files */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function pidFile(home: string, name: string): string {
  return join(dirs(home).run, `${name}.pid`);
}

export function logFile(home: string, name: string): string {
  return join(dirs(home).logs, `${name}.log`);
}

/** Start a detached process whose stdout/stderr go to its log file; records its pid. */
export function startDetached(home: string, opts: StartOptions): number {
  const log = logFile(home, opts.name);
  mkdirSync(dirname(log), { recursive: true });
  mkdirSync(dirs(home).run, { recursive: true });
  const fd = openSync(log, 'a');
  try {
    const child = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    if (child.pid === undefined) throw new HarnessStepFailed(`start ${opts.name}`, `could not spawn ${opts.command}`);
    child.unref();
    writeFileSync(pidFile(home, opts.name), `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export function readPid(home: string, name: string): number | undefined {
  const file = pidFile(home, name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); treat it as dead.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z';
  } catch {
    return true;
  }
}

/** The pid recorded for name, if that process is still alive. */
export function livePid(home: string, name: string): number | undefined {
  const pid = readPid(home, name);
  return isAlive(pid) ? pid : undefined;
}

/** Stop the process recorded for name: SIGTERM to its process group, then SIGKILL after graceMs. */
export async function stopByPid(home: string, name: string, graceMs = 15_000): Promise<void> {
  const pid = readPid(home, name);
  if (pid !== undefined && isAlive(pid)) {
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
    const killDeadline = Date.now() + 5_000;
    while (isAlive(pid) && Date.now() < killDeadline) await sleep(50);
  }
  rmSync(pidFile(home, name), { force: true });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal); // detached children lead their own group
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

export function tailLog(home: string, name: string, lines = 30): string {
  const file = logFile(home, name);
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  return text.split('\n').slice(-lines - 1).join('\n').trimEnd();
}

/** Poll check() until it returns true, the process dies, or the timeout passes. */
export async function waitUntilReady(
  home: string,
  name: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pid = readPid(home, name);
  while (Date.now() < deadline) {
    if (pid !== undefined && !isAlive(pid)) {
      throw new HarnessStepFailed(`start ${name}`, `process ${pid} exited before it was ready (log: ${logFile(home, name)})`, tailLog(home, name));
    }
    try {
      if (await check()) return;
    } catch {
      /* not ready yet */
    }
    await sleep(intervalMs);
  }
  throw new HarnessStepFailed(`start ${name}`, `not ready after ${Math.round(timeoutMs / 1000)}s (log: ${logFile(home, name)})`, tailLog(home, name));
}

/** True when something already listens on host:port. */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.once('listening', () => server.close(() => resolve(false)));
    server.listen(port, host);
  });
}

/** Fail clearly when a port the harness needs belongs to someone else. */
export async function assertPortFree(port: number, owner: string): Promise<void> {
  if (await portInUse(port)) {
    throw new HarnessStepFailed(`check port ${port}`, `port ${port} on 127.0.0.1 is already taken by another process; stop it or set ${owner} to a free port`);
  }
}

/** A cross-process lock (mkdir is atomic); stale locks of dead holders are broken. */
export async function withLock<T>(home: string, name: string, fn: () => Promise<T>, timeoutMs = 15 * 60_000): Promise<T> {
  const lockDir = join(dirs(home).run, `${name}.lock`);
  mkdirSync(dirs(home).run, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch {
      const holder = Number(safeRead(join(lockDir, 'pid')));
      const age = safeAge(lockDir);
      if ((holder && !isAlive(holder)) || (!holder && age > 10_000)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new HarnessStepFailed(`lock ${name}`, `held by pid ${holder} for too long`);
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function safeAge(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
