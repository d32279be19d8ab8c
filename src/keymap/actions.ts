/**
 * Operations (setup, pause/resume, cleanup, single-object actions) plug into the console
 * as data. The keymap binds them, the help overlay and status line list them, read-only
 * mode disables them with a reason, and dangerous ones are confirmed first.
 */
import type { PaneId } from './panes.js';

/** What an action applies to: the focused pane and the key of its selected row, if any. */
export interface ActionTarget {
  pane: PaneId;
  rowKey: string | undefined;
}

export interface ActionDescriptor {
  id: string;
  title: string;
  /** a word or two for the status line, where the pane already names the object ('pause'); default: the title */
  shortTitle?: string;
  /** destructive or disruptive: always confirmed first */
  dangerous: boolean;
  /** 'global' actions work from any pane; others only when that pane is focused */
  appliesTo: PaneId | 'global';
  /** default key(s) when the keymap has none for this id, e.g. ['S'] */
  keys?: string[];
  /** for dangerous actions: text the user must type to confirm (e.g. the database name); default is pressing y */
  confirmText?: string;
  /** why the action cannot run on this target right now (e.g. 'select a connector'); undefined when it can */
  unavailable?: (target: ActionTarget) => string | undefined;
  /**
   * Resolves with the outcome, whose `ok` decides ✓ or ✗ in the status line: an operation
   * that ran and failed (a runbook stopped at a failed step) resolves with ok false; a
   * rejection is a failure too.
   */
  run: (target: ActionTarget) => Promise<ActionResult>;
}

/** What an operation tells the status line: whether it worked, and one line saying what happened. */
export interface ActionResult {
  ok: boolean;
  message: string;
}

/** Operator or read-only viewer; the reason is shown on every disabled action. */
export interface ConsoleMode {
  readOnly: boolean;
  /** e.g. 'read-only mode (--read-only)' or 'viewer session: your key is not an operator' */
  reason?: string;
}

export function disabledReason(action: ActionDescriptor, mode: ConsoleMode, target: ActionTarget): string | undefined {
  if (mode.readOnly) return mode.reason ?? 'read-only mode';
  if (action.appliesTo !== 'global' && action.appliesTo !== target.pane) return `applies to the ${action.appliesTo} pane`;
  return action.unavailable?.(target);
}
