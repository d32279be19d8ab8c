/**
 * Runbook progress for the console: step starts, results, failures and the underlying
 * commands' output become events in the pipeline store (the log pane), so a runbook started
 * from a key shows what it is doing. Progress lines repeat often; only changes are kept.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { Clock } from '../domain/clock.js';
import { closing, describeError } from '../runbooks/report.js';
import type { RunbookEvent } from '../runbooks/types.js';
import type { PipelineStore } from '../store/pipelineStore.js';
import type { EventLevel } from '../store/state.js';

export function runbookEventsToStore(store: StoreApi<PipelineStore>, clock: Clock): (event: RunbookEvent) => void {
  let lastProgress = '';
  const add = (level: EventLevel, message: string) => store.getState().addEvent({ at: clock.now(), level, source: 'action', message });
  return (event) => {
    switch (event.type) {
      case 'start':
        return add('info', `${event.title}${event.dryRun ? ' (dry run)' : ''}: ${event.steps.length} steps`);
      case 'plan-failed':
        return add('error', `${event.step}: cannot plan — ${describeError(event.error)}`);
      case 'step-start':
        return add('info', `[${event.index}/${event.total}] ${event.title}`);
      case 'step-skipped':
        return add('info', `${event.step}: already done — ${event.detail}`);
      case 'progress':
        if (event.message === lastProgress) return;
        lastProgress = event.message;
        return add('info', `${event.step}: ${event.message}`);
      case 'output':
        return add('info', `${event.step} | ${event.line}`);
      case 'step-done':
        return add('info', `${event.step}: done — ${event.detail}`);
      case 'step-failed':
        return add('error', `${event.step}: ${event.interrupted ? 'interrupted' : 'failed'} — ${describeError(event.error)}`);
      case 'stopping':
        return add('warn', event.reason);
      case 'end':
        return add(event.result.outcome === 'completed' || event.result.outcome === 'dry-run' ? 'info' : 'error', closing(event.result).replace(/\n\s*/g, '; '));
      default:
        return undefined;
    }
  };
}
