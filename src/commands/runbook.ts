/**
 * `sfpipe setup|pause|resume|cleanup` (one runbook each) and `sfpipe action <id> <target>`
 * (one operation on one object). Shows the plan, asks before anything changes (cleanup: the
 * database name must be typed, even with --yes), prints progress as text or JSON lines,
 * and stops after the current step on Ctrl-C (a second Ctrl-C cancels that step too).
 */
import { createInterface } from 'node:readline';
import { homedir } from 'node:os';
import { ACTIONS, findAction, runAction } from '../actions/index.js';
import type { ActionContext, ActionDescriptor, ActionRequest } from '../actions/types.js';
import { configSecrets } from '../app/pipeline.js';
import { buildServices } from '../app/services.js';
import { createFileAuditLog, localActor, type AuditLog } from '../audit/auditLog.js';
import { auditLogPath } from '../audit/stateDir.js';
import type { ParsedArgs } from '../cli/args.js';
import type { CliIO, CommandRun } from '../cli/commands.js';
import { loadConfig } from '../config/load.js';
import type { SfpipeConfig } from '../config/schema.js';
import { systemClock, type Clock } from '../domain/clock.js';
import { SfpipeError, isSfpipeError } from '../domain/errors.js';
import { createRunbookEnv } from '../runbooks/createEnv.js';
import { errorInfo } from '../runbooks/engine.js';
import type { RunbookEnv } from '../runbooks/env.js';
import { jsonReporter, textReporter } from '../runbooks/report.js';
import { withTimeout } from '../services/timeout.js';
import type { Services } from '../services/types.js';

export interface RunbookCommandDeps {
  loadConfig: (args: ParsedArgs, io: CliIO) => SfpipeConfig;
  buildServices: (config: SfpipeConfig) => Services;
  clock: Clock;
  /** default: createRunbookEnv with the shipped inputs */
  buildEnv?: (config: SfpipeConfig, services: Services, io: CliIO) => RunbookEnv;
  /** default: the file audit log (SFPIPE_AUDIT_LOG or the state dir) */
  audit?: AuditLog;
  who?: string;
  stop?: AbortSignal;
  cancel?: AbortSignal;
  /** one answer typed on the terminal; default reads a line from io.stdin */
  ask?: (question: string) => Promise<string>;
}

export async function runRunbookCommand(args: ParsedArgs, io: CliIO, deps: RunbookCommandDeps): Promise<number> {
  const command = String(args.flags._command ?? '');
  const json = args.flags.json === true;
  const dryRun = args.flags['dry-run'] === true;
  const out = (text: string) => io.stdout.write(text);
  try {
    if (command === 'action' && args.positionals[0] === undefined) {
      out(listActions(json));
      return 0;
    }
    const action = findAction(command === 'action' ? args.positionals[0]! : command);
    if (command === 'action' && action.appliesTo === 'pipeline') throw new SfpipeError('invalid-input', 'cli', `${action.id} is a runbook`, { hint: `run \`sfpipe ${action.id}\`` });
    const config = deps.loadConfig(args, io);
    const services = deps.buildServices(config);
    try {
      const ctx = contextFor(config, services, io, deps, json, dryRun);
      const request = requestFor(action, ctx, args, io, deps);
      const outcome = await runAction(action, ctx, request);
      if (!outcome.result) out(json ? `${JSON.stringify({ type: 'result', ok: outcome.ok, message: outcome.message, ...(outcome.plan ? { plan: outcome.plan } : {}) })}\n` : singleResult(outcome.message, outcome.plan));
      if (outcome.ok) return 0;
      if (outcome.result?.outcome === 'aborted') return deps.stop?.aborted ? 130 : outcome.result.error?.kind === 'invalid-input' ? 2 : 1;
      return 1;
    } finally {
      await withTimeout(() => services.close(), { timeoutMs: 3_000, clock: deps.clock, source: 'cli', what: 'closing connections' }).catch(() => undefined);
    }
  } catch (err) {
    if (!json || !isSfpipeError(err)) throw err;
    out(`${JSON.stringify({ type: 'error', error: errorInfo(err) })}\n`);
    return err.kind === 'invalid-input' ? 2 : 1;
  }
}

function contextFor(config: SfpipeConfig, services: Services, io: CliIO, deps: RunbookCommandDeps, json: boolean, dryRun: boolean): ActionContext {
  let env: RunbookEnv | undefined;
  const home = io.env.HOME || homedir();
  const ctx: ActionContext = {
    config,
    services,
    clock: deps.clock,
    who: deps.who ?? localActor(io.env),
    audit: deps.audit ?? createFileAuditLog(auditLogPath(io.env, home), { clock: deps.clock, secrets: configSecrets(config) }),
    runbookEnv: () => (env ??= deps.buildEnv ? deps.buildEnv(config, services, io) : createRunbookEnv(config, services, { cwd: io.cwd, env: io.env, homedir: home, clock: deps.clock })),
    onEvent: json ? jsonReporter((t) => io.stdout.write(t)) : textReporter((t) => io.stdout.write(t), { dryRun }),
  };
  if (config.console.readOnly) ctx.readOnly = { reason: 'read-only mode (--read-only or console.read_only in sfpipe.toml)' };
  if (deps.stop) ctx.stop = deps.stop;
  if (deps.cancel) ctx.cancel = deps.cancel;
  return ctx;
}

function requestFor(action: ActionDescriptor, ctx: ActionContext, args: ParsedArgs, io: CliIO, deps: RunbookCommandDeps): ActionRequest {
  const f = args.flags;
  // only what was asked for: these also become the audit record's parameters
  const asked = { suspendTasks: f['suspend-tasks'], volumes: f.volumes, purgeKeys: f['purge-keys'] };
  const request: ActionRequest = {
    dryRun: f['dry-run'] === true,
    options: Object.fromEntries(Object.entries(asked).filter(([, v]) => v === true).map(([k]) => [k, true])),
  };
  if (args.positionals[1] !== undefined) request.target = args.positionals[1];
  const ask = deps.ask ?? (io.stdin.isTTY ? (q: string) => askLine(q, io) : undefined);
  const expected = action.confirmText?.(ctx);
  if (expected !== undefined) {
    // typed confirmation: --yes never replaces it
    if (typeof f.confirm === 'string') request.confirmation = f.confirm;
    else if (ask) request.confirmation = () => ask(`This cannot be undone. Type the database name (${expected}) to confirm: `);
    return request;
  }
  if (action.dangerous && f.yes !== true) {
    request.approve = async () => {
      if (!ask) throw new SfpipeError('invalid-input', 'cli', `${action.title} needs confirmation and there is no terminal to ask on`, { hint: 'pass --yes; nothing was changed' });
      const answer = (await ask(`${action.title}${request.target ? ` ${request.target}` : ''}? [y/N] `)).trim().toLowerCase();
      if (answer !== 'y' && answer !== 'yes') throw new SfpipeError('invalid-input', 'cli', 'not confirmed: nothing was changed');
    };
  }
  return request;
}

function askLine(question: string, io: CliIO): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: false });
    io.stderr.write(question);
    rl.once('line', (line) => {
      rl.close();
      resolve(line);
    });
    rl.once('close', () => resolve(''));
  });
}

function listActions(json: boolean): string {
  if (json) return `${JSON.stringify(ACTIONS.map((a) => ({ id: a.id, title: a.title, dangerous: a.dangerous, appliesTo: a.appliesTo, needs: a.needs })))}\n`;
  const width = Math.max(...ACTIONS.map((a) => a.id.length));
  const rows = ACTIONS.filter((a) => a.appliesTo !== 'pipeline').map((a) => `  ${a.id.padEnd(width)}  ${a.title} (${a.appliesTo})${a.dangerous ? ' — asks first' : ''}`);
  return `usage: sfpipe action <ACTION> <TARGET>\n\n${rows.join('\n')}\n\nrunbooks: sfpipe setup | pause | resume | cleanup\n`;
}

function singleResult(message: string, plan: { kind: string; text: string }[] | undefined): string {
  return plan ? `DRY RUN, nothing was changed:\n${plan.map((p) => `  [${p.kind}] ${p.text}`).join('\n')}\n` : `${message}\n`;
}

export const run: CommandRun = async (args, io) => {
  const stop = new AbortController();
  const cancel = new AbortController();
  const onSignal = () => {
    if (!stop.signal.aborted) {
      stop.abort();
      io.stderr.write('\nstopping after the current step (Ctrl-C again to cancel it)\n');
    } else cancel.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // the system clock's timers are unref'd; hold the event loop open while a runbook waits on them
  const keepAlive = setInterval(() => undefined, 60_000);
  try {
    return await runRunbookCommand(args, io, {
      loadConfig: (a, cliIO) => loadConfig({ cwd: cliIO.cwd, env: cliIO.env, flags: a.flags, homedir: cliIO.env.HOME || homedir() }),
      buildServices,
      clock: systemClock,
      stop: stop.signal,
      cancel: cancel.signal,
    });
  } finally {
    clearInterval(keepAlive);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
};

