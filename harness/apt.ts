/**
 * Installing what the harness needs from Debian's own packages (apt-get as root), so a fresh
 * Debian machine provisions itself and a machine that already has everything is not touched.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { logFile, tailLog, withLock } from './process.js';
import type { HarnessContext } from './types.js';
import { HarnessPrerequisiteMissing, HarnessStepFailed } from './types.js';

/** Commands later tests need, and the Debian package that provides each. */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  tmux: 'tmux',
  ssh: 'openssh-client',
  'ssh-keygen': 'openssh-client',
  docker: 'docker.io',
  dockerd: 'docker.io',
  'docker-compose': 'docker-compose',
  busybox: 'busybox-static',
};

/** What ensureDebianPackages needs to know about the machine; injectable so the refusals can be tested. */
export interface AptProbe {
  isRoot(): boolean;
  /** absolute path of a command on PATH (plus the sbin dirs), or undefined */
  which(command: string): string | undefined;
}

export const systemProbe: AptProbe = {
  isRoot: () => process.getuid?.() === 0,
  which: (command) => findOnPath(command),
};

const APT_LOG = 'apt';
// Debian policy: lower case letters, digits, + - . ; at least two chars, starting alphanumeric.
const DEBIAN_PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
const APT_TIMEOUT_MS = 15 * 60_000;
const DPKG_TIMEOUT_MS = 30_000;

// apt-get update once per process: the package lists do not change between two installs.
let listsUpdated = false;

/**
 * Install the Debian packages that `dpkg -s` does not report installed; returns the ones installed.
 * Throws HarnessPrerequisiteMissing when something is missing and this is not root on Debian,
 * HarnessStepFailed (with the tail of <home>/logs/apt.log) when apt-get fails.
 */
export async function ensureDebianPackages(ctx: HarnessContext, packages: string[], probe: AptProbe = systemProbe): Promise<string[]> {
  const bad = packages.filter((p) => !DEBIAN_PACKAGE_NAME.test(p));
  if (bad.length > 0) {
    throw new HarnessStepFailed('check package names', `not Debian package names: ${bad.map((b) => JSON.stringify(b)).join(', ')} (lower-case letters, digits, + - . only)`);
  }
  if (!probe.which('dpkg')) throw new HarnessPrerequisiteMissing(`not a Debian system (no dpkg) — install ${packages.join(', ')} yourself`);
  const missing = await missingPackages(packages);
  if (missing.length === 0) return [];
  if (!probe.isRoot()) {
    throw new HarnessPrerequisiteMissing(`Debian packages ${missing.join(', ')} are not installed, and installing them needs root (run as root, or: sudo apt-get install ${missing.join(' ')})`);
  }
  if (!probe.which('apt-get')) throw new HarnessPrerequisiteMissing(`no apt-get to install ${missing.join(', ')}`);

  return withLock(ctx.home, 'apt', async () => {
    // Another process may have installed them while we waited for the lock.
    const still = await missingPackages(missing);
    if (still.length === 0) return [];
    ctx.progress(`installing Debian packages: ${still.join(', ')} (log: ${logFile(ctx.home, APT_LOG)})`);
    // Wait for a dpkg lock held by someone else's apt instead of failing at once.
    const lockWait = ['-o', 'DPkg::Lock::Timeout=300'];
    if (!listsUpdated) {
      await runApt(ctx, 'apt-get update', ['update', ...lockWait]);
      listsUpdated = true;
    }
    await runApt(ctx, `apt-get install ${still.join(' ')}`, ['install', '-y', '--no-install-recommends', ...lockWait, ...still]);
    const after = await missingPackages(still);
    if (after.length > 0) {
      throw new HarnessStepFailed(`apt-get install ${still.join(' ')}`, `dpkg still does not report ${after.join(', ')} installed`, tailLog(ctx.home, APT_LOG));
    }
    return still;
  });
}

/**
 * Make sure each command is on PATH, installing the Debian package that provides it.
 * Returns the packages installed. An unknown command is refused rather than guessed.
 */
export async function ensureTools(ctx: HarnessContext, commands: string[], probe: AptProbe = systemProbe): Promise<string[]> {
  const absent = commands.filter((c) => !probe.which(c));
  const unknown = absent.filter((c) => !(c in TOOL_PACKAGES));
  if (unknown.length > 0) {
    throw new HarnessStepFailed('check tools', `no Debian package known for command(s) ${unknown.join(', ')}; add them to TOOL_PACKAGES in harness/apt.ts`);
  }
  const packages = [...new Set(absent.map((c) => TOOL_PACKAGES[c] as string))];
  return packages.length ? ensureDebianPackages(ctx, packages, probe) : [];
}

/** The packages of the list that `dpkg -s` does not report as "install ok installed". */
export async function missingPackages(packages: string[]): Promise<string[]> {
  const results = await Promise.all(packages.map(async (p) => ((await isInstalled(p)) ? undefined : p)));
  return results.filter((p): p is string => p !== undefined);
}

export async function isInstalled(pkg: string): Promise<boolean> {
  const { code, output } = await capture('dpkg', ['-s', pkg], DPKG_TIMEOUT_MS);
  return code === 0 && /^Status: install ok installed$/m.test(output);
}

/** Absolute path of an executable on PATH; the sbin dirs are searched too (dockerd lives there). */
export function findOnPath(command: string, pathVar = process.env.PATH ?? ''): string | undefined {
  const dirs = [...pathVar.split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'].filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

async function runApt(ctx: HarnessContext, step: string, args: string[]): Promise<void> {
  const log = logFile(ctx.home, APT_LOG);
  mkdirSync(dirname(log), { recursive: true });
  const fd = openSync(log, 'a');
  writeSync(fd, `\n=== ${new Date().toISOString()} apt-get ${args.join(' ')}\n`);
  let code: number | null;
  try {
    code = await runToFd('apt-get', args, fd, APT_TIMEOUT_MS, { ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
  } finally {
    closeSync(fd);
  }
  if (code !== 0) {
    const why = code === null ? `timed out after ${APT_TIMEOUT_MS / 60_000} min` : `exited with code ${code}`;
    throw new HarnessStepFailed(step, `${why} (log: ${log})`, tailLog(ctx.home, APT_LOG, 20));
  }
}

/** Run a command with stdout+stderr going to fd; resolves its exit code, or null when killed by the timeout. */
function runToFd(command: string, args: string[], fd: number, timeoutMs: number, env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', fd, fd], env });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Run a short command and collect its output (for dpkg -s). */
export function capture(command: string, args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, output: `${output}${err.message}` });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
