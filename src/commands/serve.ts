/**
 * `sfpipe serve`: the console over SSH. Composition: flags and files are checked first
 * (a bad one changes nothing), then the host key (generated once), config → services →
 * one store and one set of pollers (src/app) → the SSH server (src/ssh) that gives every
 * session its own console over that store. Each session's operations are src/actions bound
 * to its key (`ssh:<fingerprint>` in the audit log), read-only for viewers. Runs until
 * SIGINT/SIGTERM. Serve has no Ink of its own: its one-line log goes to stderr and to
 * sfpipe's log file.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ACTIONS, toKeymapActions, type ActionContext, type ActionDescriptor } from '../actions/index.js';
import { createDetailsProvider } from '../app/details.js';
import { configSecrets, createPipeline, type Pipeline } from '../app/pipeline.js';
import { buildServices } from '../app/services.js';
import { createFileAuditLog, type AuditLog } from '../audit/auditLog.js';
import { auditLogPath } from '../audit/stateDir.js';
import type { ParsedArgs } from '../cli/args.js';
import type { CliIO, CommandRun } from '../cli/commands.js';
import { loadConfig } from '../config/load.js';
import type { SfpipeConfig } from '../config/schema.js';
import { expandHome } from '../config/snowflake-connections.js';
import { systemClock, type Clock } from '../domain/clock.js';
import { SfpipeError } from '../domain/errors.js';
import { log as fileLog } from '../log/fileLog.js';
import { createRunbookEnv } from '../runbooks/createEnv.js';
import type { RunbookEnv } from '../runbooks/env.js';
import { withTimeout } from '../services/timeout.js';
import type { Services } from '../services/types.js';
import { assertListenAllowed, parseListen } from '../ssh/address.js';
import { loadKeyRing } from '../ssh/auth.js';
import { defaultHostKeyPath, loadOrCreateHostKey } from '../ssh/hostKey.js';
import { auditActor } from '../ssh/identity.js';
import { limitsFromFlags } from '../ssh/limits.js';
import { SshServer, type ServerLog } from '../ssh/server.js';
import { statusExitCode } from '../status/health.js';
import { formatStatusTable } from '../status/table.js';
import type { DetailsProvider } from '../ui/details/types.js';

export interface ServeDeps {
  loadConfig: (args: ParsedArgs, io: CliIO) => SfpipeConfig;
  buildServices: (config: SfpipeConfig) => Services;
  clock: Clock;
  /** the details views (default: the console's, over the same services; viewers get no warehouse-bound view) */
  details?: DetailsProvider;
  /** the operations sessions may run (default: all of src/actions) */
  actions?: readonly ActionDescriptor[];
  /** default: the file audit log (SFPIPE_AUDIT_LOG or the state dir) */
  audit?: AuditLog;
  /** default: one line to stderr and to sfpipe's log file */
  log?: ServerLog;
  /** stops the server (SIGINT/SIGTERM in the real command) */
  interrupt: AbortSignal;
  /** store writes within this window draw one frame in a session; default CONSOLE_COALESCE_MS (tests on a manual clock: 0) */
  coalesceMs?: number;
  /** told once the server listens (tests reach the server and the pollers through it) */
  onListening?: (server: SshServer, address: { host: string; port: number }, pipeline: Pipeline) => void;
}

const CLOSE_TIMEOUT_MS = 3_000;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export async function runServe(args: ParsedArgs, io: CliIO, deps: ServeDeps): Promise<number> {
  const { flags } = args;
  const home = io.env.HOME || homedir();
  const path = (p: string) => resolve(io.cwd, expandHome(p, home));
  // Everything the user gave is checked before anything is created or started.
  const listen = parseListen(str(flags.listen));
  assertListenAllowed(listen, flags['allow-remote'] === true);
  const limits = limitsFromFlags({ maxSessions: flags['max-sessions'], idleTimeoutSeconds: flags['idle-timeout'] });
  const authorizedKeysFile = path(str(flags['authorized-keys']) ?? join(home, '.ssh', 'authorized_keys'));
  const operatorsFile = str(flags.operators) ? path(str(flags.operators)!) : undefined;
  const { ring, warnings } = loadKeyRing({ authorizedKeysFile, ...(operatorsFile ? { operatorsFile } : {}) });
  const config = deps.loadConfig(args, io);
  const hostKey = loadOrCreateHostKey(path(str(flags['host-key']) ?? defaultHostKeyPath(io.env, home)));

  const secrets = configSecrets(config);
  const log: ServerLog =
    deps.log ??
    ((level, message) => {
      io.stderr.write(`${new Date(deps.clock.now()).toISOString()} ${level} ${message}\n`);
      fileLog(level, `serve: ${message}`);
    });
  const auditFile = auditLogPath(io.env, home);
  const audit = deps.audit ?? createFileAuditLog(auditFile, { clock: deps.clock, secrets });
  const services = deps.buildServices(config);
  const pipeline = createPipeline(config, services, { clock: deps.clock });
  // What every session's operations share; each session adds its own `who` and read-only reason.
  let runbookEnv: RunbookEnv | undefined;
  const shared: Omit<ActionContext, 'who'> = {
    config,
    services,
    clock: deps.clock,
    audit,
    store: pipeline.store,
    runbookEnv: () => (runbookEnv ??= createRunbookEnv(config, services, { cwd: io.cwd, env: io.env, homedir: home, clock: deps.clock })),
  };
  const server = new SshServer({
    hostKey,
    keys: ring,
    store: pipeline.store,
    refresh: () => pipeline.pollers.refreshNow(),
    statusText: () => {
      const state = pipeline.store.getState();
      return { text: formatStatusTable(state, deps.clock.now(), { secrets }), exitCode: statusExitCode(state) };
    },
    clock: deps.clock,
    ...(deps.coalesceMs !== undefined ? { coalesceMs: deps.coalesceMs } : {}),
    limits,
    // The console's details views over the same services; src/ssh keeps viewers off the warehouse.
    details: deps.details ?? createDetailsProvider({ config, services, clock: deps.clock }),
    actionsFor: (who, mode) => toKeymapActions(deps.actions ?? ACTIONS, { ...shared, who: auditActor(who), ...(mode.readOnly ? { readOnly: { reason: mode.reason ?? 'read-only' } } : {}) }),
    log,
    ...(config.console.readOnly ? { readOnlyReason: 'read-only mode (console.read_only in sfpipe.toml)' } : {}),
  });

  try {
    let bound: { host: string; port: number };
    try {
      bound = await server.listen(listen.host, listen.port);
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new SfpipeError(code === 'EADDRINUSE' ? 'conflict' : 'unreachable', 'ssh', `cannot listen on ${listen.host}:${listen.port} (${code ?? String(err)})`, {
        location: '--listen',
        hint: code === 'EADDRINUSE' ? 'another process has that port; pick another with --listen' : 'check the address belongs to this machine',
        cause: err,
      });
    }
    for (const w of warnings) log('warn', w);
    log('info', `host key ${hostKey.fingerprint} (${hostKey.created ? 'generated' : 'reused'}: ${hostKey.file})`);
    log('info', `${ring.size} authorized key(s) from ${authorizedKeysFile}; operators: ${operatorsFile ?? 'none (everyone is a read-only viewer)'}; audit log ${deps.audit ? '(injected)' : auditFile}`);
    log('info', `listening on ${bound.host}:${bound.port} — ssh -p ${bound.port} ${bound.host.includes(':') ? `[${bound.host}]` : bound.host}  (max ${limits.maxSessions} sessions, idle timeout ${limits.idleTimeoutMs / 1000} s)`);
    pipeline.pollers.start();
    deps.onListening?.(server, bound, pipeline);
    if (!deps.interrupt.aborted) await new Promise<void>((done) => deps.interrupt.addEventListener('abort', () => done(), { once: true }));
    log('info', 'stopping');
    return 0;
  } finally {
    await server.close();
    pipeline.pollers.stop();
    await withTimeout(() => services.close(), { timeoutMs: CLOSE_TIMEOUT_MS, clock: deps.clock, source: 'cli', what: 'closing connections' }).catch(() => undefined);
  }
}

export const run: CommandRun = async (args, io) => {
  const interrupt = new AbortController();
  const stop = () => interrupt.abort();
  // `on`, not `once`: Ink's signal-exit kills the process on a signal it thinks nobody else
  // handles, judging by the listeners left when its own runs — a `once` listener is gone by then.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await runServe(args, io, {
      loadConfig: (a, cliIO) => loadConfig({ cwd: cliIO.cwd, env: cliIO.env, flags: a.flags, homedir: cliIO.env.HOME || homedir() }),
      buildServices,
      clock: systemClock,
      interrupt: interrupt.signal,
    });
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
};

