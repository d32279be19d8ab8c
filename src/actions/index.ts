/** Every operation sfpipe offers, as one table the CLI, the console keys and SSH sessions share. */
import { SfpipeError } from '../domain/errors.js';
import { OBJECT_ACTIONS } from './objectActions.js';
import { RUNBOOK_ACTIONS } from './runbookActions.js';
import type { ActionDescriptor } from './types.js';

export const ACTIONS: readonly ActionDescriptor[] = [...RUNBOOK_ACTIONS, ...OBJECT_ACTIONS];

export function findAction(id: string): ActionDescriptor {
  const found = ACTIONS.find((a) => a.id === id);
  if (!found) {
    throw new SfpipeError('invalid-input', 'cli', `unknown action "${id}"`, { hint: `known actions: ${ACTIONS.map((a) => a.id).join(', ')}` });
  }
  return found;
}

export { disabledReason, runAction } from './run.js';
export { checkTypedConfirmation } from './runbookActions.js';
export { toKeymapActions, type KeymapOptions } from './keymap.js';
export { runbookEventsToStore } from './storeEvents.js';
export type * from './types.js';
