/**
 * Printing runbook events for the command line: readable text (plan, one block per step,
 * streamed command output, a closing account of what was done and what was not), or one
 * JSON object per line for scripts. Events arrive already scrubbed of secrets.
 */
import type { ErrorInfo, PlannedOp, RunbookEvent, RunbookResult } from './types.js';

export type Write = (text: string) => void;

export function jsonReporter(write: Write): (event: RunbookEvent) => void {
  return (event) => write(`${JSON.stringify(event)}\n`);
}

const INDENT = '      ';

export function describeError(e: ErrorInfo): string {
  return `${e.source}: ${e.location ? `${e.location}: ` : ''}${e.message}${e.hint ? `\n${INDENT}hint: ${e.hint}` : ''}`;
}

function opLines(op: PlannedOp, full: boolean): string[] {
  const lines = op.text.split('\n');
  const head = `    [${op.kind}] ${lines[0]}${op.location ? `   (${op.location})` : ''}`;
  if (lines.length === 1) return [head];
  return full ? [head, ...lines.slice(1).map((l) => `           ${l}`)] : [`${head} …(+${lines.length - 1} lines)`];
}

export function textReporter(write: Write, options: { dryRun: boolean }): (event: RunbookEvent) => void {
  let lastProgress = '';
  const line = (s: string) => write(`${s}\n`);
  return (event) => {
    switch (event.type) {
      case 'start':
        line(`${event.title} (${event.runbook}, ${event.steps.length} steps)${event.dryRun ? ' — DRY RUN: nothing will be changed' : ''}`);
        line('plan:');
        return;
      case 'plan':
        line(`  ${event.step}:`);
        for (const op of event.ops) for (const l of opLines(op, options.dryRun)) line(l);
        return;
      case 'plan-failed':
        line(`  ${event.step}: CANNOT PLAN — ${describeError(event.error)}`);
        return;
      case 'step-start':
        lastProgress = '';
        line(`[${event.index}/${event.total}] ${event.title}`);
        return;
      case 'step-check':
        line(`${INDENT}${event.done ? 'already done, would skip' : event.detail.startsWith('cannot be planned') ? 'CANNOT RUN' : 'would run'}: ${event.detail}`);
        return;
      case 'step-skipped':
        line(`${INDENT}skipped, already done: ${event.detail}`);
        return;
      case 'progress': {
        const text = `${event.fraction === undefined ? '' : `${Math.round(event.fraction * 100)}% `}${event.message}`;
        if (text !== lastProgress) line(`${INDENT}… ${text}`);
        lastProgress = text;
        return;
      }
      case 'output':
        line(`${INDENT}| ${event.line}`);
        return;
      case 'step-done':
        line(`${INDENT}done: ${event.detail} (${(event.durationMs / 1000).toFixed(1)}s)`);
        return;
      case 'step-failed':
        line(`${INDENT}${event.interrupted ? 'INTERRUPTED' : 'FAILED'}: ${describeError(event.error)}`);
        return;
      case 'stopping':
        line(`stopping: ${event.reason}`);
        return;
      case 'end':
        line(closing(event.result));
        return;
    }
  };
}

/** The closing account: what was done, what was not, what to do next. */
export function closing(result: RunbookResult): string {
  const names = (status: string) => result.steps.filter((s) => s.status === status).map((s) => s.id);
  const list = (label: string, ids: string[]) => (ids.length ? `\n  ${label}: ${ids.join(', ')}` : '');
  const took = `${(result.durationMs / 1000).toFixed(1)}s`;
  const account = list('done', names('done')) + list('already done (skipped)', names('skipped')) + list('not run', names('not-run'));
  switch (result.outcome) {
    case 'completed':
      return `${result.runbook}: completed in ${took}${account}`;
    case 'dry-run':
      return `${result.runbook}: dry run finished, nothing was changed${list('would run', names('would-run'))}${list('already done', names('would-skip'))}${list('CANNOT BE PLANNED (a real run would refuse to start)', names('failed'))}`;
    case 'aborted':
      return `${result.runbook}: stopped${result.stoppedAt ? ` at ${result.stoppedAt}` : ''}${result.error ? ` — ${result.error.message}` : ''}${account}${list('interrupted', names('interrupted'))}\n  re-run \`sfpipe ${result.runbook}\` to continue: finished steps are skipped`;
    case 'failed':
      return `${result.runbook}: FAILED at ${result.stoppedAt} after ${took}${account}\n  fix the cause above, then re-run \`sfpipe ${result.runbook}\`: finished steps are skipped`;
  }
}
