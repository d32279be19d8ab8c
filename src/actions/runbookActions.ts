/**
 * The four runbooks as actions. Cleanup is confirmed by typing the database name — checked
 * here, whatever the UI, and even with --yes — after the plan is shown and before any change.
 */
import { SfpipeError } from '../domain/errors.js';
import { cleanupRunbook } from '../runbooks/cleanup.js';
import { runRunbook } from '../runbooks/engine.js';
import type { RunbookEnv } from '../runbooks/env.js';
import { pauseRunbook } from '../runbooks/pause.js';
import { resumeRunbook } from '../runbooks/resume.js';
import { setupRunbook } from '../runbooks/setup.js';
import type { Runbook, RunbookResult } from '../runbooks/types.js';
import type { ActionContext, ActionDescriptor, ActionNeed, ActionRequest } from './types.js';

export const databaseOf = (ctx: ActionContext): string => ctx.config.snowflake.objects.database;

/** Refuses unless what was typed is the database name; asks for it if the UI gave a way to. */
export async function checkTypedConfirmation(expected: string, given: ActionRequest['confirmation']): Promise<void> {
  if (given === undefined) {
    throw new SfpipeError('invalid-input', 'cli', `this is destructive: confirm by typing the database name (${expected})`, {
      hint: `run it on a terminal to be asked, or pass --confirm ${expected}; nothing was changed`,
    });
  }
  const typed = (typeof given === 'string' ? given : await given()).trim();
  if (typed !== expected) {
    throw new SfpipeError('invalid-input', 'cli', `confirmation "${typed}" is not the database name ${expected}: nothing was changed`, { hint: `type ${expected} exactly` });
  }
}

function summary(result: RunbookResult): string {
  const count = (s: string) => result.steps.filter((x) => x.status === s).length;
  switch (result.outcome) {
    case 'completed':
      return `${result.runbook} completed: ${count('done')} step(s) done, ${count('skipped')} already done`;
    case 'dry-run':
      return `${result.runbook} dry run: ${count('would-run')} step(s) would run, ${count('would-skip')} already done${count('failed') ? `, ${count('failed')} cannot be planned` : ''}; nothing was changed`;
    case 'aborted':
      return `${result.runbook} stopped${result.error ? `: ${result.error.message}` : ` before ${result.stoppedAt}`}; ${count('done')} step(s) done`;
    case 'failed':
      return `${result.runbook} failed at ${result.stoppedAt}: ${result.error?.message ?? 'unknown error'}`;
  }
}

function runbookAction(id: string, title: string, shortTitle: string, dangerous: boolean, needs: ActionNeed[], build: (env: RunbookEnv, options: Record<string, boolean>) => Runbook, typed: boolean): ActionDescriptor {
  const descriptor: ActionDescriptor = {
    id,
    title,
    shortTitle,
    dangerous,
    needs,
    appliesTo: 'pipeline',
    async run(ctx, request) {
      const runbook = build(ctx.runbookEnv(), request.options ?? {});
      const approve = async () => {
        if (typed) await checkTypedConfirmation(databaseOf(ctx), request.confirmation);
        await request.approve?.();
      };
      const result = await runRunbook(runbook, {
        clock: ctx.clock,
        dryRun: request.dryRun === true,
        approve,
        ...(ctx.stop ? { stop: ctx.stop } : {}),
        ...(ctx.cancel ? { cancel: ctx.cancel } : {}),
        ...(ctx.onEvent ? { onEvent: ctx.onEvent } : {}),
      });
      const ok = result.outcome === 'completed' || (result.outcome === 'dry-run' && !result.steps.some((s) => s.status === 'failed'));
      return { ok, message: summary(result), result };
    },
  };
  if (typed) descriptor.confirmText = databaseOf;
  return descriptor;
}

export const RUNBOOK_ACTIONS: readonly ActionDescriptor[] = [
  runbookAction('setup', 'Set up the pipeline', 'setup', true, ['kafka', 'connect', 'compose', 'admin-sql'], (env) => setupRunbook(env), false),
  runbookAction('pause', 'Pause the pipeline', 'pause all', true, ['kafka', 'connect'], (env, o) => pauseRunbook(env, { suspendTasks: o.suspendTasks === true }), false),
  runbookAction('resume', 'Resume the pipeline', 'resume all', false, ['connect'], (env) => resumeRunbook(env), false),
  runbookAction('cleanup', 'Clean up everything (drops the database)', 'cleanup', true, ['connect', 'compose', 'admin-sql'], (env, o) => cleanupRunbook(env, { volumes: o.volumes === true, purgeKeys: o.purgeKeys === true }), true),
];
