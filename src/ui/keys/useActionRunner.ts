/**
 * Running an operation from a key: refuse with the reason when disabled (read-only
 * viewer, wrong pane, nothing selected), confirm first when dangerous, then run it and
 * put the outcome in the status line: ✓ only when the outcome says ok, ✗ with the error
 * when it failed or rejected. Failures become a notice, never a crash.
 */
import { useCallback } from 'react';
import { isSfpipeError } from '../../domain/errors.js';
import { disabledReason, type ActionDescriptor, type ActionTarget } from '../../keymap/actions.js';
import { useConsole } from '../ConsoleContext.js';

export interface ActionRunner {
  /** what a key press does: check, confirm if dangerous, run */
  request(action: ActionDescriptor, target: ActionTarget): void;
  /** run now (after confirmation) */
  execute(action: ActionDescriptor, target: ActionTarget): void;
}

export function useActionRunner(): ActionRunner {
  const { ui, mode, clock } = useConsole();

  const execute = useCallback(
    (action: ActionDescriptor, target: ActionTarget) => {
      const { notify } = ui.getState();
      notify({ at: clock.now(), level: 'info', text: `${action.title}: running…` });
      action.run(target).then(
        // The outcome says whether it worked; resolving only means it ran to the end.
        ({ ok, message }) => notify({ at: clock.now(), level: ok ? 'ok' : 'error', text: `${action.title}: ${message || (ok ? 'done' : 'failed')}` }),
        (err: unknown) => {
          const text = isSfpipeError(err) ? err.describe() : err instanceof Error ? err.message : String(err);
          notify({ at: clock.now(), level: 'error', text: `${action.title} failed: ${text}` });
        },
      );
    },
    [ui, clock],
  );

  const request = useCallback(
    (action: ActionDescriptor, target: ActionTarget) => {
      const state = ui.getState();
      const reason = disabledReason(action, mode, target);
      if (reason !== undefined) {
        state.notify({ at: clock.now(), level: 'warn', text: `${action.title} is not available: ${reason}` });
        return;
      }
      if (action.dangerous) state.openConfirm(action.id, target);
      else execute(action, target);
    },
    [ui, mode, clock, execute],
  );

  return { request, execute };
}
