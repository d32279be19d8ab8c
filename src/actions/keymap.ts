/**
 * The action table as the console's keymap wants it (src/keymap/actions.ts): each operation
 * bound to a pane, unavailable with a reason when its services are missing or no row is
 * selected, confirmed by typing when it says so, and run through runAction (audit, store).
 */
import type { ActionDescriptor as KeyAction, ActionTarget } from '../keymap/actions.js';
import type { PaneId } from '../keymap/panes.js';
import { isTopicName, topicSpec } from '../domain/topics.js';
import { disabledReason, runAction } from './run.js';
import type { ActionContext, ActionDescriptor, ActionRequest, ObjectKind } from './types.js';

const PANE_OF: Record<ObjectKind, PaneId | 'global'> = {
  connector: 'connectors',
  'snowflake-task': 'snowflake',
  container: 'containers',
  pipeline: 'global',
};

export interface KeymapOptions {
  /** the Snowflake pane's rows are topics: the task of one (default: the catalog's task name) */
  taskOfTopic?: (topic: string) => string | undefined;
  /** runbook options for an action run from a key (e.g. pause: suspendTasks) */
  options?: (actionId: string) => ActionRequest['options'];
  /**
   * The caller audits each run itself (src/ssh/audit.ts wraps these for SSH sessions with the
   * key's fingerprint): do not audit a second time here.
   */
  auditedByCaller?: boolean;
}

const NOT_AUDITED_HERE: ActionContext['audit'] = { append: () => Promise.resolve() };

function targetOf(kind: ObjectKind, target: ActionTarget, options: KeymapOptions): string | undefined {
  if (kind === 'pipeline' || target.rowKey === undefined) return undefined;
  if (kind !== 'snowflake-task') return target.rowKey;
  const fromCatalog = (topic: string) => (isTopicName(topic) ? topicSpec(topic).task : undefined);
  return (options.taskOfTopic ?? fromCatalog)(target.rowKey);
}

export function toKeymapActions(actions: readonly ActionDescriptor[], context: ActionContext, options: KeymapOptions = {}): KeyAction[] {
  const ctx = options.auditedByCaller ? { ...context, audit: NOT_AUDITED_HERE } : context;
  return actions.map((action) => {
    const confirmText = action.confirmText?.(ctx);
    const keyAction: KeyAction = {
      id: action.id,
      title: action.title,
      ...(action.shortTitle === undefined ? {} : { shortTitle: action.shortTitle }),
      dangerous: action.dangerous,
      appliesTo: PANE_OF[action.appliesTo],
      unavailable: (target) => {
        const reason = disabledReason(action, ctx);
        if (reason !== undefined) return reason;
        if (action.appliesTo !== 'pipeline' && targetOf(action.appliesTo, target, options) === undefined) return `select a ${action.appliesTo.replace('-', ' ')}`;
        return undefined;
      },
      run: async (target) => {
        const t = targetOf(action.appliesTo, target, options);
        // the console asked for the typed confirmation before calling run
        const request: ActionRequest = { ...(t === undefined ? {} : { target: t }), ...(confirmText === undefined ? {} : { confirmation: confirmText }) };
        const opts = options.options?.(action.id);
        if (opts) request.options = opts;
        // ok travels with the message: a runbook that stopped at a failed step resolves, but failed
        const { ok, message } = await runAction(action, ctx, request);
        return { ok, message };
      },
    };
    if (confirmText !== undefined) keyAction.confirmText = confirmText;
    return keyAction;
  });
}
