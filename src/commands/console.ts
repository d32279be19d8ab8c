/**
 * `sfpipe` / `sfpipe console`: the full-screen console. Composition: config → services →
 * store and pollers (src/app) → the Ink app on the alternate screen. The terminal is
 * restored on quit, on SIGTERM/SIGHUP/SIGINT and on a crash (src/ui/terminal/fullscreen.ts).
 * Without a terminal (stdout or stdin not a TTY) it prints `sfpipe status` instead.
 * Operations are src/actions bound the way `sfpipe serve` binds them per session, with the
 * local user as `who` in the audit log (`local:<user>`); details come from src/app/details.ts,
 * loaded when a details view first opens.
 *
 * Start-up order (bench metric 3a): only what building the services needs is loaded before
 * they are built and polled; the operations, the audit log and Ink load while the first answers
 * come in (the Snowflake driver loads on its own thread meanwhile, src/services/snowflake).
 */
import { homedir } from 'node:os';
import type { ActionContext } from '../actions/index.js';
import { configSecrets, createPipeline, type Pipeline } from '../app/pipeline.js';
import { buildServices } from '../app/services.js';
import type { AuditLog } from '../audit/auditLog.js';
import type { ParsedArgs } from '../cli/args.js';
import type { CliIO, CommandRun } from '../cli/commands.js';
import { loadConfig } from '../config/load.js';
import type { SfpipeConfig } from '../config/schema.js';
import { systemClock, type Clock } from '../domain/clock.js';
import type { ActionDescriptor, ConsoleMode } from '../keymap/actions.js';
import type { RunbookEnv } from '../runbooks/env.js';
import { withTimeout } from '../services/timeout.js';
import { CONSOLE_COALESCE_MS } from '../store/coalescedReader.js';
import type { Services } from '../services/types.js';
import type { DetailsProvider } from '../ui/details/types.js';
import { loadInk } from '../ui/loadInk.js';
import { CONSOLE_MAX_FPS } from '../ui/renderOptions.js';
import { colorEnabled } from '../ui/theme/semantic.js';
import { enterFullscreen, restoreTerminalOnExit, type ProcessLike } from '../ui/terminal/fullscreen.js';

export interface ConsoleCommandDeps {
  loadConfig: (args: ParsedArgs, io: CliIO) => SfpipeConfig;
  buildServices: (config: SfpipeConfig) => Services;
  clock: Clock;
  /** the console's operations as keys; default: every src/actions operation, bound to the local user */
  actions?: readonly ActionDescriptor[];
  /** default: the file audit log (SFPIPE_AUDIT_LOG or the state dir) */
  audit?: AuditLog;
  /** default: details over the services (src/app/details.ts) */
  details?: DetailsProvider;
  proc?: ProcessLike;
  /** default true; vitest's console cannot be patched, so tests turn it off */
  patchConsole?: boolean;
  /** store writes within this window draw one frame; default CONSOLE_COALESCE_MS */
  coalesceMs?: number;
}

const CLOSE_TIMEOUT_MS = 3_000;

/**
 * The operations as the keymap wants them, bound the way serve binds an SSH session's: the same
 * table, audited with who did it (here local:<user>), refused with the reason in read-only mode,
 * recorded in the store; runbook progress goes to the event log.
 */
async function localActions(config: SfpipeConfig, services: Services, pipeline: Pipeline, mode: ConsoleMode, io: CliIO, deps: ConsoleCommandDeps): Promise<readonly ActionDescriptor[]> {
  const [{ ACTIONS, runbookEventsToStore, toKeymapActions }, { createFileAuditLog, localActor }, { auditLogPath }, { createRunbookEnv }] = await Promise.all([
    import('../actions/index.js'),
    import('../audit/auditLog.js'),
    import('../audit/stateDir.js'),
    import('../runbooks/createEnv.js'),
  ]);
  const home = io.env.HOME || homedir();
  let runbookEnv: RunbookEnv | undefined;
  const ctx: ActionContext = {
    config,
    services,
    clock: deps.clock,
    who: localActor(io.env),
    audit: deps.audit ?? createFileAuditLog(auditLogPath(io.env, home), { clock: deps.clock, secrets: configSecrets(config) }),
    store: pipeline.store,
    runbookEnv: () => (runbookEnv ??= createRunbookEnv(config, services, { cwd: io.cwd, env: io.env, homedir: home, clock: deps.clock })),
    onEvent: runbookEventsToStore(pipeline.store, deps.clock),
    ...(mode.readOnly ? { readOnly: { reason: mode.reason ?? 'read-only mode' } } : {}),
  };
  return toKeymapActions(ACTIONS, ctx);
}

/** The details views' provider, loaded when a view first opens: its decoders (Avro …) are not needed to start. */
function lazyDetails(load: () => Promise<DetailsProvider>): DetailsProvider {
  let loaded: Promise<DetailsProvider> | undefined;
  const provider = () => (loaded ??= load());
  return {
    containerLogs: async (id, tail, signal) => (await provider()).containerLogs(id, tail, signal),
    connector: async (name, signal) => (await provider()).connector(name, signal),
    topic: async (topic, last, signal) => (await provider()).topic(topic, last, signal),
    table: async (topic, rows, signal) => (await provider()).table(topic, rows, signal),
  };
}

function modeOf(args: ParsedArgs, config: SfpipeConfig): ConsoleMode {
  if (args.flags['read-only'] === true) return { readOnly: true, reason: 'read-only mode (--read-only)' };
  if (config.console.readOnly) return { readOnly: true, reason: 'read-only mode (console.read_only in sfpipe.toml)' };
  return { readOnly: false };
}

export async function runConsole(args: ParsedArgs, io: CliIO, deps: ConsoleCommandDeps): Promise<number> {
  if (!io.stdout.isTTY || !io.stdin.isTTY) {
    // Piped, redirected or without a keyboard (cron, CI, `sfpipe | less`): the same picture as
    // `sfpipe status`, once, with its exit code. The note goes to stderr (stdout stays clean),
    // and only once the settings are known good, so bad input still gets one message.
    const note = `sfpipe: ${io.stdout.isTTY ? 'stdin' : 'stdout'} is not a terminal — printing \`sfpipe status\` instead of the console\n`;
    const buildThenNote = (config: SfpipeConfig): Services => {
      const services = deps.buildServices(config);
      io.stderr.write(note);
      return services;
    };
    const { runStatus } = await import('./status.js');
    // The system clock's timers are unref'd; hold the event loop open while status waits on them.
    const keepAlive = setInterval(() => undefined, 60_000);
    try {
      return await runStatus({ ...args, flags: { ...args.flags, json: false, watch: false } }, io, { loadConfig: deps.loadConfig, buildServices: buildThenNote, clock: deps.clock });
    } finally {
      clearInterval(keepAlive);
    }
  }
  const config = deps.loadConfig(args, io);
  const services = deps.buildServices(config);
  const { clock } = deps;
  const pipeline = createPipeline(config, services, { clock });
  // Poll before anything else: the first answers arrive while Ink and the app load, so the
  // first frame already has data instead of waiting a refresh for it.
  pipeline.pollers.start();
  const stdout = io.stdout as NodeJS.WriteStream;
  const leave = enterFullscreen(stdout);
  let exitCode = 0;
  let stopRequested = false;
  let unmount: (() => void) | undefined;
  const uninstall = restoreTerminalOnExit({
    leave,
    stderr: io.stderr,
    ...(deps.proc ? { proc: deps.proc } : {}),
    onSignal: (_signal, code) => {
      exitCode = code;
      stopRequested = true;
      unmount?.();
    },
  });
  try {
    const mode = modeOf(args, config);
    const details = deps.details ?? lazyDetails(async () => (await import('../app/details.js')).createDetailsProvider({ config, services, clock }));
    const [actions, { render, App, createElement }] = await Promise.all([deps.actions ?? localActions(config, services, pipeline, mode, io, deps), loadInk()]);
    // A signal that came while Ink was loading: nothing to draw any more.
    if (stopRequested) return exitCode;
    const app = createElement(App, {
      store: pipeline.store,
      clock,
      mode,
      color: colorEnabled(io.env, typeof args.flags.color === 'boolean' ? args.flags.color : undefined),
      actions,
      details,
      onRefresh: () => {
        void pipeline.pollers.refreshNow();
      },
      coalesceMs: deps.coalesceMs ?? CONSOLE_COALESCE_MS,
    });
    const instance = render(app, {
      stdout,
      stdin: io.stdin as NodeJS.ReadStream,
      stderr: io.stderr as NodeJS.WriteStream,
      // Ctrl-C is a key binding (app.interrupt) so it quits through the same path as q.
      exitOnCtrlC: false,
      // A stray console.* from a library would otherwise be written into the middle of the frame.
      patchConsole: deps.patchConsole ?? true,
      // Not incrementalRendering: Ink 6.8's line-diffing left stale header lines on screen here (tmux).
      incrementalRendering: false,
      maxFps: CONSOLE_MAX_FPS,
    });
    unmount = () => instance.unmount();
    // A signal that came while Ink was starting still stops the console.
    if (stopRequested) instance.unmount();
    await instance.waitUntilExit();
    return exitCode;
  } finally {
    pipeline.pollers.stop();
    leave();
    uninstall();
    await withTimeout(() => services.close(), { timeoutMs: CLOSE_TIMEOUT_MS, clock, source: 'cli', what: 'closing connections' }).catch(() => undefined);
  }
}

export const run: CommandRun = (args, io) =>
  runConsole(args, io, {
    loadConfig: (a, cliIO) => loadConfig({ cwd: cliIO.cwd, env: cliIO.env, flags: a.flags, homedir: cliIO.env.HOME || homedir() }),
    buildServices,
    clock: systemClock,
  });
