/**
 * The Schema Registry for tests: sfpipe's own stand-in (harness/schema-registry/), a Node
 * process on 127.0.0.1 at a non-default port that implements Confluent's documented REST API
 * for registering and fetching schemas. Confluent's server is not on Maven Central and
 * Karapace is not on PyPI here; what the stand-in does not do: harness/schema-registry/README.md.
 */
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOST } from './ports.js';
import { assertPortFree, isAlive, logFile, pidFile, readPid, startDetached, stopByPid, tailLog, waitUntilReady } from './process.js';
import type { HarnessContext, HarnessService, ServiceStatus } from './types.js';
import { HarnessStepFailed } from './types.js';

const NAME = 'schema-registry';
const STANDIN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'schema-registry');
const MAIN_SCRIPT = join(STANDIN_DIR, 'main.ts');
const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const READY_TIMEOUT_MS = 60_000;
const PROBE_TIMEOUT_MS = 2_000;

export const SCHEMA_REGISTRY_PORT = Number(process.env.SFPIPE_HARNESS_SCHEMA_REGISTRY_PORT ?? 18081);

export function schemaRegistryDataFile(home: string): string {
  return join(home, 'schema-registry', 'schemas.json');
}

export function createSchemaRegistryService(opts: { port?: number } = {}): HarnessService {
  const port = opts.port ?? SCHEMA_REGISTRY_PORT;
  const endpoint = `http://${HOST}:${port}`;

  const status = async (ctx: HarnessContext): Promise<ServiceStatus> => {
    const log = logFile(ctx.home, NAME);
    const { pid, stale } = ownPid(ctx);
    if (pid === undefined) {
      if (stale !== undefined) return { name: NAME, state: 'failed', endpoint, pid: undefined, log, detail: `recorded pid ${stale} is no longer this harness's stand-in; see ${log}` };
      return { name: NAME, state: 'stopped', endpoint, pid: undefined, log };
    }
    if (await healthAnswers(endpoint, pid)) return { name: NAME, state: 'running', endpoint, pid, log, detail: 'sfpipe stand-in (Confluent REST API subset), not Confluent Schema Registry' };
    return { name: NAME, state: 'failed', endpoint, pid, log, detail: `pid ${pid} is alive but ${endpoint}/sfpipe/health does not answer; see ${log}` };
  };

  return {
    name: NAME,
    dependsOn: [],
    async up(ctx) {
      const before = await status(ctx);
      if (before.state === 'running') return before;
      if (before.pid !== undefined) await stopByPid(ctx.home, NAME, 5_000); // ours, alive, not answering
      await assertPortFree(port, 'SFPIPE_HARNESS_SCHEMA_REGISTRY_PORT');
      ctx.progress(`starting the schema registry stand-in on ${endpoint}`);
      const pid = startDetached(ctx.home, {
        name: NAME,
        command: process.execPath,
        // tsx from the repo's node_modules runs the TypeScript source as it is
        args: ['--import', 'tsx', MAIN_SCRIPT, '--host', HOST, '--port', String(port), '--data', schemaRegistryDataFile(ctx.home)],
        cwd: REPO_ROOT,
      });
      try {
        await waitUntilReady(ctx.home, NAME, () => healthAnswers(endpoint, pid), READY_TIMEOUT_MS, 200);
      } catch (err) {
        await stopByPid(ctx.home, NAME, 5_000);
        if (err instanceof HarnessStepFailed) throw err;
        throw new HarnessStepFailed(`start ${NAME}`, String(err), tailLog(ctx.home, NAME));
      }
      ctx.progress('schema registry stand-in ready');
      return status(ctx);
    },
    status,
    async down(ctx) {
      const { pid, stale } = ownPid(ctx);
      if (pid === undefined) {
        if (stale !== undefined) rmSync(pidFile(ctx.home, NAME), { force: true }); // never signal a pid that is not ours
        return;
      }
      ctx.progress(`stopping the schema registry stand-in (pid ${pid})`);
      await stopByPid(ctx.home, NAME, 5_000);
    },
    env: () => ({ SFPIPE_SCHEMA_REGISTRY_URL: endpoint }),
  };
}

export const schemaRegistryService: HarnessService = createSchemaRegistryService();

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
  return cmdline.includes(MAIN_SCRIPT) && cmdline.includes(ctx.home) ? { pid, stale: undefined } : { pid: undefined, stale: pid };
}
