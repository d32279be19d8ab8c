/**
 * The Snowflake protocol stand-in: fakesnow (pinned, in a venv under the cache) wrapped by
 * harness/snowflake/server.py, which re-encodes Arrow results as the JSON rowsets the Node
 * snowflake-sdk reads and checks key-pair logins. Listens on 127.0.0.1 over http. What it
 * does not support: harness/snowflake/README.md.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureHarnessKey, HARNESS_KEY_PASSPHRASE } from './snowflake/keys.js';
import { ensureVenv, SERVER_SCRIPT, STANDIN_DIR, venvPython } from './snowflake/venv.js';
import { HOST, PORTS } from './ports.js';
import { assertPortFree, isAlive, logFile, pidFile, readPid, startDetached, stopByPid, tailLog, waitUntilReady } from './process.js';
import type { HarnessContext, HarnessService, ServiceStatus } from './types.js';
import { HarnessStepFailed } from './types.js';

const NAME = 'snowflake';
const ACCOUNT = 'sfpipe_harness';
const USER = 'SFPIPE_HARNESS';
const READY_TIMEOUT_MS = 90_000;
const PROBE_TIMEOUT_MS = 2_000;

export interface SnowflakeServiceOptions {
  port?: number;
}

export function createSnowflakeService(opts: SnowflakeServiceOptions = {}): HarnessService {
  const port = opts.port ?? PORTS.snowflake;
  const endpoint = `http://${HOST}:${port}`;

  const env = (ctx: HarnessContext): Record<string, string> => ({
    SNOWFLAKE_ACCOUNT: ACCOUNT,
    SNOWFLAKE_USER: USER,
    SNOWFLAKE_HOST: HOST,
    SNOWFLAKE_PORT: String(port),
    SNOWFLAKE_PROTOCOL: 'http',
    SNOWFLAKE_AUTHENTICATOR: 'SNOWFLAKE_JWT',
    SNOWFLAKE_PRIVATE_KEY_FILE: ensureHarnessKey(ctx.home).privateKeyFile,
    PRIVATE_KEY_PASSPHRASE: HARNESS_KEY_PASSPHRASE,
    SNOWFLAKE_DATABASE: 'KAFKA_DB',
    SNOWFLAKE_SCHEMA: 'PUBLIC',
    SNOWFLAKE_WAREHOUSE: 'KAFKA_ADMIN_WAREHOUSE',
    SNOWFLAKE_ROLE: 'KAFKA_CONNECTOR_ROLE',
  });

  const status = async (ctx: HarnessContext): Promise<ServiceStatus> => {
    const log = logFile(ctx.home, NAME);
    const { pid, stale } = ownPid(ctx);
    if (pid === undefined) {
      if (stale !== undefined) return { name: NAME, state: 'failed', endpoint, pid: undefined, log, detail: `recorded pid ${stale} is no longer this harness's stand-in; see ${log}` };
      return { name: NAME, state: 'stopped', endpoint, pid: undefined, log };
    }
    if (await healthAnswers(endpoint, pid)) return { name: NAME, state: 'running', endpoint, pid, log };
    return { name: NAME, state: 'failed', endpoint, pid, log, detail: `pid ${pid} is alive but ${endpoint}/sfpipe/health does not answer; see ${log}` };
  };

  return {
    name: NAME,
    dependsOn: [],
    async up(ctx) {
      const before = await status(ctx);
      if (before.state === 'running') return before;
      if (before.pid !== undefined) await stopByPid(ctx.home, NAME, 5_000); // ours, alive, not answering
      await assertPortFree(port, 'SFPIPE_HARNESS_SNOWFLAKE_PORT');
      const python = await ensureVenv(ctx);
      const keys = ensureHarnessKey(ctx.home);
      ctx.progress(`starting the snowflake stand-in (fakesnow) on ${endpoint}`);
      // the log is appended across runs: mark where this one starts
      mkdirSync(dirname(logFile(ctx.home, NAME)), { recursive: true });
      appendFileSync(logFile(ctx.home, NAME), `\n=== ${new Date().toISOString()} starting the stand-in on ${endpoint}\n`);
      const { PYTHONPATH: _p, PYTHONHOME: _h, ...inherited } = process.env;
      const pid = startDetached(ctx.home, {
        name: NAME,
        command: python,
        args: [SERVER_SCRIPT, '--host', HOST, '--port', String(port), '--user-key', `${USER}=${keys.publicKeyFile}`],
        cwd: STANDIN_DIR,
        // no __pycache__ in the source tree; the venv's packages were compiled at install
        env: { ...inherited, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
      });
      try {
        await waitUntilReady(ctx.home, NAME, () => healthAnswers(endpoint, pid), READY_TIMEOUT_MS, 250);
        await loginAndSelectOne(env(ctx));
      } catch (err) {
        await stopByPid(ctx.home, NAME, 5_000);
        if (err instanceof HarnessStepFailed) throw err;
        throw new HarnessStepFailed(`start ${NAME}`, `the stand-in answers but a key-pair login + SELECT 1 through snowflake-sdk failed: ${err instanceof Error ? err.message : String(err)} (log: ${logFile(ctx.home, NAME)})`, tailLog(ctx.home, NAME));
      }
      ctx.progress(`snowflake stand-in ready`);
      return status(ctx);
    },
    status,
    async down(ctx) {
      const { pid, stale } = ownPid(ctx);
      if (pid === undefined) {
        // never signal a pid that is not ours; just forget it
        if (stale !== undefined) rmSync(pidFile(ctx.home, NAME), { force: true });
        return;
      }
      ctx.progress(`stopping the snowflake stand-in (pid ${pid})`);
      await stopByPid(ctx.home, NAME, 10_000);
    },
    env,
  };
}

export const snowflakeService: HarnessService = createSnowflakeService();

/** The proof that matters: the Node driver logs in with the harness key and reads a JSON result. */
async function loginAndSelectOne(env: Record<string, string>): Promise<void> {
  // loaded here, not at the top: snowflake-sdk is slow to import and warns on stderr, and
  // every harness command (even `env`) loads this module
  const { openConnection, closeConnection, connectionOptionsFromEnv, query } = await import('./snowflake/client.js');
  const conn = await openConnection(connectionOptionsFromEnv(env));
  try {
    const rows = await query<{ ONE: unknown }>(conn, 'SELECT 1 AS ONE');
    if (rows[0]?.ONE !== 1) throw new Error(`SELECT 1 returned ${JSON.stringify(rows)}`);
  } finally {
    await closeConnection(conn);
  }
}

/** True when our wrapper (the process with this pid) answers its health probe. */
async function healthAnswers(endpoint: string, pid: number): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/sfpipe/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (!res.ok) return false;
    const body = (await res.json()) as { ok?: unknown; pid?: unknown };
    return body.ok === true && body.pid === pid;
  } catch {
    return false;
  }
}

/** The recorded pid, if it is alive and is this home's stand-in (a recycled pid is not ours). */
function ownPid(ctx: HarnessContext): { pid: number | undefined; stale: number | undefined } {
  const pid = readPid(ctx.home, NAME);
  if (pid === undefined) return { pid: undefined, stale: undefined };
  if (!isAlive(pid)) return { pid: undefined, stale: pid };
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return { pid, stale: undefined }; // no /proc: trust the pid file
  }
  return cmdline.includes(SERVER_SCRIPT) && cmdline.includes(venvPython(ctx.home)) ? { pid, stale: undefined } : { pid: undefined, stale: pid };
}

