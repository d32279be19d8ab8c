/**
 * The runbook engine: plans every step first (a step whose input is bad stops the run before
 * anything changes), then runs the steps in order — skipping those whose check says the work
 * is done, stopping at the first failure with the underlying error, and stopping after the
 * current step when `stop` is aborted. Every event passes through the secret scrubber.
 */
import { redactText } from '../config/redact.js';
import type { Clock } from '../domain/clock.js';
import { toSfpipeError } from '../domain/errors.js';
import type { ErrorInfo, PlannedOp, Runbook, RunbookEvent, RunbookResult, StepContext, StepResult } from './types.js';

export interface RunOptions {
  clock: Clock;
  /** --dry-run: plan and check only, change nothing */
  dryRun?: boolean;
  /** stop after the current step (first Ctrl-C) */
  stop?: AbortSignal;
  /** give up the current step too (second Ctrl-C) */
  cancel?: AbortSignal;
  onEvent?: (event: RunbookEvent) => void;
  /** asked once the plan is shown, before the first change (confirmation); rejecting aborts with nothing changed */
  approve?: () => Promise<void>;
}

export async function runRunbook(runbook: Runbook, options: RunOptions): Promise<RunbookResult> {
  const { clock } = options;
  const started = clock.now();
  const scrub = scrubber(runbook.secrets);
  const emit = (event: RunbookEvent) => options.onEvent?.(scrub(event));
  const results: StepResult[] = runbook.steps.map((s) => ({ id: s.id, title: s.title, status: 'not-run' }));
  const finish = async (outcome: RunbookResult['outcome'], stopped?: { at: string; error?: ErrorInfo }): Promise<RunbookResult> => {
    await runbook.close?.().catch(() => undefined);
    const result: RunbookResult = { runbook: runbook.id, outcome, steps: results, durationMs: clock.now() - started };
    if (stopped) {
      result.stoppedAt = stopped.at;
      if (stopped.error) result.error = stopped.error;
    }
    const clean = scrub(result);
    emit({ type: 'end', result: clean });
    return clean;
  };

  emit({ type: 'start', runbook: runbook.id, title: runbook.title, dryRun: options.dryRun === true, steps: runbook.steps.map((s) => ({ id: s.id, title: s.title })) });

  // Plan everything first: bad input (a missing file, a broken script) stops the run before any change.
  const plans: (PlannedOp[] | ErrorInfo)[] = [];
  for (const [i, step] of runbook.steps.entries()) {
    try {
      const ops = await step.plan();
      plans.push(ops);
      emit({ type: 'plan', step: step.id, ops });
    } catch (err) {
      const error = errorInfo(err);
      plans.push(error);
      emit({ type: 'plan-failed', step: step.id, error });
      if (!options.dryRun) {
        results[i] = { ...results[i]!, status: 'failed', error, detail: 'its input is not usable; nothing was run' };
        return finish('failed', { at: step.id, error });
      }
    }
  }

  if (!options.dryRun && options.approve) {
    try {
      await options.approve();
    } catch (err) {
      const error = errorInfo(err);
      emit({ type: 'stopping', reason: `not confirmed: ${error.message}` });
      return finish('aborted', { at: runbook.steps[0]?.id ?? runbook.id, error });
    }
  }

  const cancel = options.cancel ?? new AbortController().signal;
  for (const [i, step] of runbook.steps.entries()) {
    if (options.stop?.aborted && !options.dryRun) {
      emit({ type: 'stopping', reason: `stopped before ${step.id}` });
      return finish('aborted', { at: step.id });
    }
    const ctx: StepContext = {
      signal: cancel,
      clock,
      progress: (message, fraction) => emit({ type: 'progress', step: step.id, message, ...(fraction === undefined ? {} : { fraction }) }),
      output: (line) => emit({ type: 'output', step: step.id, line }),
    };
    emit({ type: 'step-start', step: step.id, title: step.title, index: i + 1, total: runbook.steps.length });
    const stepStarted = clock.now();

    if (options.dryRun) {
      const plan = plans[i]!;
      results[i] = Array.isArray(plan) ? { ...results[i]!, ...(await dryCheck(step, ctx)) } : { ...results[i]!, status: 'failed', error: plan, detail: 'cannot be planned: a real run would refuse to start' };
      emit({ type: 'step-check', step: step.id, done: results[i]!.status === 'would-skip', detail: results[i]!.detail ?? '' });
      continue;
    }

    try {
      const check = await step.check(ctx);
      if (check.done) {
        const detail = check.detail ?? 'already done';
        results[i] = { ...results[i]!, status: 'skipped', detail };
        emit({ type: 'step-skipped', step: step.id, detail });
        continue;
      }
      if (check.detail) ctx.progress(check.detail);
      const detail = (await step.apply(ctx)) ?? 'done';
      const durationMs = clock.now() - stepStarted;
      results[i] = { ...results[i]!, status: 'done', detail, durationMs };
      emit({ type: 'step-done', step: step.id, detail, durationMs });
    } catch (err) {
      const error = errorInfo(err);
      const interrupted = cancel.aborted;
      results[i] = { ...results[i]!, status: interrupted ? 'interrupted' : 'failed', error, durationMs: clock.now() - stepStarted };
      emit({ type: 'step-failed', step: step.id, error, interrupted });
      return finish(interrupted ? 'aborted' : 'failed', { at: step.id, error });
    }
  }
  return finish(options.dryRun ? 'dry-run' : 'completed');
}

/** In a dry run the check still reads (it changes nothing); a failing check is reported, not fatal. */
async function dryCheck(step: Runbook['steps'][number], ctx: StepContext): Promise<Pick<StepResult, 'status' | 'detail'>> {
  try {
    const check = await step.check(ctx);
    return check.done ? { status: 'would-skip', detail: check.detail ?? 'already done' } : { status: 'would-run', detail: check.detail ?? 'not done yet' };
  } catch (err) {
    return { status: 'would-run', detail: `could not check: ${errorInfo(err).message}` };
  }
}

export function errorInfo(err: unknown): ErrorInfo {
  const e = toSfpipeError(err, 'cli');
  const info: ErrorInfo = { kind: e.kind, source: e.source, message: e.message };
  if (e.location !== undefined) info.location = e.location;
  if (e.hint !== undefined) info.hint = e.hint;
  return info;
}

/** Deep copy with every string scrubbed of the runbook's secrets and of private PEM blocks. */
export function scrubber(secrets: Runbook['secrets']): <T>(value: T) => T {
  // the live list: steps add secrets they come across (the key read at deploy time)
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return <T>(value: T) => walk(value) as T;
}
