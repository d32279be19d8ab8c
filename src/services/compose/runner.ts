/**
 * ComposeRunner over the docker-compose (v1) or `docker compose` (v2) command and the docker
 * CLI, through execa. The project name is always passed with -p (v1 ignores a top-level name),
 * containers are found by the compose project label, so orphans count too.
 */
import { composeArgs } from '../../stack/compose.js';
import { COMPOSE_PROJECT_LABEL, COMPOSE_SERVICE_LABEL } from '../../stack/services.js';
import { SfpipeError } from '../../domain/errors.js';
import { runCommand, showCommand } from './exec.js';
import type { ComposeCallOptions, ComposeContainer, ComposeRunner, ComposeTarget } from './types.js';

export interface ComposeRunnerOptions {
  target: ComposeTarget;
  /** DOCKER_HOST for both commands */
  dockerHost: string;
  /** environment the commands inherit (PATH, HOME …) */
  env: Readonly<Record<string, string | undefined>>;
  /** default ['docker-compose']; ['docker', 'compose'] for v2 */
  composeCommand?: string[];
  dockerCommand?: string;
  timeouts?: { upMs?: number; downMs?: number; queryMs?: number };
}

const UP_TIMEOUT_MS = 15 * 60_000; // may build the Connect image
const DOWN_TIMEOUT_MS = 5 * 60_000;
const QUERY_TIMEOUT_MS = 30_000;

export function createComposeRunner(options: ComposeRunnerOptions): ComposeRunner {
  const { target } = options;
  const compose = [...(options.composeCommand ?? ['docker-compose']), ...composeArgs({ file: target.file, project: target.project })];
  const docker = options.dockerCommand ?? 'docker';
  const env = { ...options.env, ...target.env, DOCKER_HOST: options.dockerHost };
  const queryMs = options.timeouts?.queryMs ?? QUERY_TIMEOUT_MS;
  const exec = (command: string[], timeoutMs: number, opts: ComposeCallOptions = {}) =>
    runCommand(command, { env, timeoutMs: opts.timeoutMs ?? timeoutMs, signal: opts.signal, onLine: opts.onLine });

  return {
    target,
    commandLine: (sub) => showCommand([...compose, ...sub]),

    async services(opts) {
      const { stdout } = await exec([...compose, 'config', '--services'], queryMs, opts);
      return stdout.split('\n').map((s) => s.trim()).filter(Boolean);
    },

    async containers(opts) {
      const once = async () => {
        const { stdout } = await exec([docker, 'ps', '-a', '-q', '--no-trunc', '--filter', `label=${COMPOSE_PROJECT_LABEL}=${target.project}`], queryMs, opts);
        const ids = stdout.split('\n').map((s) => s.trim()).filter(Boolean);
        return ids.length === 0 ? [] : parseInspect((await exec([docker, 'inspect', ...ids], queryMs, opts)).stdout);
      };
      // a container removed between ps and inspect: look once more
      return once().catch((err: unknown) => (err instanceof SfpipeError && /No such object/i.test(err.message) ? once() : Promise.reject(err)));
    },

    async volumes(opts) {
      const { stdout } = await exec([docker, 'volume', 'ls', '-q', '--filter', `label=${COMPOSE_PROJECT_LABEL}=${target.project}`], queryMs, opts);
      return stdout.split('\n').map((s) => s.trim()).filter(Boolean);
    },

    async up(opts) {
      await exec([...compose, 'up', '-d'], options.timeouts?.upMs ?? UP_TIMEOUT_MS, opts);
    },

    async down({ volumes }, opts) {
      await exec([...compose, 'down', '--remove-orphans', ...(volumes ? ['--volumes'] : [])], options.timeouts?.downMs ?? DOWN_TIMEOUT_MS, opts);
    },

    async logs(container, lines, opts) {
      const { tail } = await exec([docker, 'logs', '--tail', String(lines), container], queryMs, opts);
      return tail;
    },
  };
}

interface Inspected {
  Id?: string;
  Name?: string;
  State?: { Status?: string; ExitCode?: number; Health?: { Status?: string } };
  Config?: { Labels?: Record<string, string> | null };
}

export function parseInspect(json: string): ComposeContainer[] {
  let doc: unknown;
  try {
    doc = JSON.parse(json || '[]');
  } catch {
    throw new SfpipeError('bad-response', 'compose', '`docker inspect` printed something that is not JSON');
  }
  if (!Array.isArray(doc)) throw new SfpipeError('bad-response', 'compose', '`docker inspect` did not print a list');
  return (doc as Inspected[]).map((c) => {
    const health = c.State?.Health?.Status;
    const state = c.State?.Status ?? 'unknown';
    return {
      id: c.Id ?? '',
      name: (c.Name ?? '').replace(/^\//, ''),
      service: c.Config?.Labels?.[COMPOSE_SERVICE_LABEL],
      state,
      health: health === 'healthy' || health === 'unhealthy' || health === 'starting' ? health : 'none',
      exitCode: state === 'exited' || state === 'dead' ? c.State?.ExitCode : undefined,
    };
  });
}
