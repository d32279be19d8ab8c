/**
 * The Python side of the Snowflake stand-in: a venv under <home>/snowflake/venv with exactly
 * the pinned requirements. A marker file (written only after install, pip check and an import
 * check all pass) records what was installed; a venv whose marker is missing or stale, or
 * that no longer imports, is deleted and rebuilt.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages, findOnPath } from '../apt.js';
import { logFile, tailLog } from '../process.js';
import type { HarnessContext } from '../types.js';
import { HarnessPrerequisiteMissing, HarnessStepFailed } from '../types.js';

/** harness/snowflake/ in the source tree: the wrapper server and its requirements. */
export const STANDIN_DIR = dirname(fileURLToPath(import.meta.url));
export const SERVER_SCRIPT = join(STANDIN_DIR, 'server.py');
const REQUIREMENTS = join(STANDIN_DIR, 'requirements.txt');

const VENV_LOG = 'snowflake-venv';
const MIN_PYTHON: [number, number] = [3, 11]; // fakesnow 0.12.1, duckdb 2 and pyarrow 26 need 3.11
const PIP_TIMEOUT_MS = 10 * 60_000;
const CHECK_TIMEOUT_MS = 60_000;
// Importing the server's modules proves the venv works (e.g. a connector release fakesnow cannot import).
const IMPORT_CHECK = "import importlib; importlib.import_module('fakesnow.server'); import uvicorn, starlette, pyarrow, cryptography";

export function venvDir(home: string): string {
  return join(home, 'snowflake', 'venv');
}

export function venvPython(home: string): string {
  return join(venvDir(home), 'bin', 'python');
}

const markerFile = (home: string) => join(venvDir(home), '.sfpipe-ready');

/** The python3 to build the venv with: SFPIPE_HARNESS_PYTHON, else python3 on PATH. */
function basePython(): string {
  return process.env.SFPIPE_HARNESS_PYTHON || 'python3';
}

/** Make sure the venv exists and works; returns its python. Builds (or rebuilds) it when needed. */
export async function ensureVenv(ctx: HarnessContext): Promise<string> {
  const python = venvPython(ctx.home);
  const expected = JSON.stringify({ requirements: requirementsHash(), python: await usablePython(ctx) });
  if (existsSync(markerFile(ctx.home)) && readFileSync(markerFile(ctx.home), 'utf8') === expected) {
    const check = await run(python, ['-c', IMPORT_CHECK], CHECK_TIMEOUT_MS);
    if (check.code === 0) return python;
    ctx.progress(`the snowflake venv at ${venvDir(ctx.home)} no longer works; rebuilding it`);
  } else if (existsSync(venvDir(ctx.home))) {
    ctx.progress(`the snowflake venv at ${venvDir(ctx.home)} is incomplete or out of date; rebuilding it`);
  }
  await buildVenv(ctx);
  writeFileSync(markerFile(ctx.home), expected);
  return python;
}

async function buildVenv(ctx: HarnessContext): Promise<void> {
  const dir = venvDir(ctx.home);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  const log = logFile(ctx.home, VENV_LOG);
  ctx.progress(`building the snowflake stand-in venv (fakesnow) in ${dir} (log: ${log})`);
  const python = venvPython(ctx.home);
  await step(ctx, 'create the snowflake venv', basePython(), ['-m', 'venv', dir], 120_000);
  await step(ctx, 'pip install the snowflake stand-in requirements', python, [
    '-m', 'pip', 'install', '--disable-pip-version-check', '--no-input',
    // exactly the pinned set: nothing resolved at install time, no source builds
    '--no-deps', '--only-binary=:all:', '-r', REQUIREMENTS,
  ], PIP_TIMEOUT_MS, 'is PyPI (or the index in your pip config / PIP_INDEX_URL) reachable?');
  await step(ctx, 'pip check the snowflake venv', python, ['-m', 'pip', 'check', '--disable-pip-version-check'], CHECK_TIMEOUT_MS);
  await step(ctx, 'import fakesnow in the snowflake venv', python, ['-c', IMPORT_CHECK], CHECK_TIMEOUT_MS);
}

/** Run one provisioning step with its output appended to the venv log; a failure names the step and shows the log's tail. */
async function step(ctx: HarnessContext, name: string, command: string, args: string[], timeoutMs: number, hint = ''): Promise<void> {
  const log = logFile(ctx.home, VENV_LOG);
  mkdirSync(dirname(log), { recursive: true });
  const fd = openSync(log, 'a');
  writeSync(fd, `\n=== ${new Date().toISOString()} ${name}: ${command} ${args.join(' ')}\n`);
  let result: { code: number | null; error?: string };
  try {
    result = await run(command, args, timeoutMs, fd);
  } finally {
    closeSync(fd);
  }
  if (result.code !== 0) {
    // leave no half-built venv behind: the next run starts clean
    rmSync(venvDir(ctx.home), { recursive: true, force: true });
    const why = result.error ?? (result.code === null ? `timed out after ${Math.round(timeoutMs / 1000)}s` : `exited with code ${result.code}`);
    throw new HarnessStepFailed(name, `${why}${hint ? `; ${hint}` : ''} (log: ${log})`, tailLog(ctx.home, VENV_LOG, 25));
  }
}

/**
 * The base python's version. When python3 or its venv module is missing and this is Debian
 * (and SFPIPE_HARNESS_PYTHON does not name another python), python3 + python3-venv are
 * installed from Debian's packages as root, as the Docker service does for docker.io;
 * otherwise, or when that cannot be done, HarnessPrerequisiteMissing.
 */
export async function usablePython(ctx: HarnessContext): Promise<string> {
  const python = basePython();
  const first = await probePython(python);
  if (first.version) return first.version;
  if (process.env.SFPIPE_HARNESS_PYTHON || first.tooOld || !findOnPath('dpkg')) throw new HarnessPrerequisiteMissing(first.problem);
  ctx.progress(`${first.problem}; installing it from Debian's packages`);
  await ensureDebianPackages(ctx, ['python3', 'python3-venv']); // throws HarnessPrerequisiteMissing when not root
  const second = await probePython(python);
  if (second.version) return second.version;
  throw new HarnessPrerequisiteMissing(second.problem);
}

async function probePython(python: string): Promise<{ version?: string; problem: string; tooOld?: boolean }> {
  const probe = await run(python, ['-c', 'import sys, venv, ensurepip; print("%d.%d.%d" % sys.version_info[:3])'], CHECK_TIMEOUT_MS);
  const need = `the Snowflake stand-in (fakesnow) needs Python >= ${MIN_PYTHON.join('.')} with its venv module`;
  if (probe.error?.includes('ENOENT')) return { problem: `${python} not found; ${need} (Debian: apt-get install python3 python3-venv)` };
  if (probe.code !== 0) {
    // Debian ships ensurepip separately, in python3-venv
    return { problem: `${python} has no working venv module; ${need} (Debian: apt-get install python3-venv): ${probe.output.trim().split('\n').pop() ?? ''}` };
  }
  const version = probe.output.trim();
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    return { problem: `${python} is Python ${version}; ${need} (or set SFPIPE_HARNESS_PYTHON to one)`, tooOld: true };
  }
  return { version, problem: '' };
}

function requirementsHash(): string {
  return createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
}

/** Run a command; output goes to fd when given, else is captured. Never rejects. */
function run(command: string, args: string[], timeoutMs: number, fd?: number): Promise<{ code: number | null; output: string; error?: string }> {
  return new Promise((resolve) => {
    // The user's PYTHONPATH/PYTHONHOME would leak foreign packages into the venv's python.
    const { PYTHONPATH: _p, PYTHONHOME: _h, ...env } = process.env;
    const child = spawn(command, args, { stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'], env });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, output, error: `${err.message}` });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
