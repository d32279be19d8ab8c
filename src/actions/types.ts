/**
 * Operations as data: an id, a title, whether it is dangerous, which services it needs, what it
 * applies to, and run(). The CLI, the console's keys and SSH sessions all go through the same
 * descriptors (and runAction), so read-only mode, confirmation and the audit log behave alike.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { AuditLog } from '../audit/auditLog.js';
import type { SfpipeConfig } from '../config/schema.js';
import type { Clock } from '../domain/clock.js';
import type { RunbookEnv } from '../runbooks/env.js';
import type { PlannedOp, RunbookEvent, RunbookResult } from '../runbooks/types.js';
import type { Services } from '../services/types.js';
import type { PipelineStore } from '../store/pipelineStore.js';

/** What an action works on; 'pipeline' actions (runbooks) take no target. */
export type ObjectKind = 'connector' | 'snowflake-task' | 'container' | 'pipeline';

/** What an action needs configured: a service, the compose stack or the admin SQL connection. */
export type ActionNeed = 'docker' | 'kafka' | 'connect' | 'snowflake' | 'compose' | 'admin-sql';

export interface ActionContext {
  config: SfpipeConfig;
  services: Services;
  clock: Clock;
  /** local:<user> or ssh:<key fingerprint> */
  who: string;
  audit: AuditLog;
  /** set for viewers and --read-only: every action is refused with this reason */
  readOnly?: { reason: string };
  /** the console's store: last action and an event are recorded there */
  store?: StoreApi<PipelineStore>;
  /** builds what runbooks work with (compose runner, admin SQL, inputs, journal) */
  runbookEnv: () => RunbookEnv;
  /** runbook progress (CLI printer, console log pane) */
  onEvent?: (event: RunbookEvent) => void;
  /** stop a runbook after its current step */
  stop?: AbortSignal;
  /** give up the current step too */
  cancel?: AbortSignal;
  /** per backend call, for single-object actions */
  timeoutMs?: number;
}

export interface ActionRequest {
  /** connector name, task name or container id; required when appliesTo is not 'pipeline' */
  target?: string;
  dryRun?: boolean;
  /** runbook options: suspendTasks, volumes, purgeKeys */
  options?: Record<string, boolean>;
  /** what the user typed to confirm (cleanup: the database name), or a way to ask for it after the plan is shown */
  confirmation?: string | (() => Promise<string>);
  /** asked after the plan is shown and before anything changes; rejects to refuse */
  approve?: () => Promise<void>;
}

export interface ActionOutcome {
  ok: boolean;
  /** one line for the status line / CLI */
  message: string;
  /** runbooks: the full account of what was done */
  result?: RunbookResult;
  /** dry run of a single-object action: what it would do */
  plan?: PlannedOp[];
}

export interface ActionDescriptor {
  id: string;
  title: string;
  /** a word or two for the console's status line, where the focused pane names the object */
  shortTitle?: string;
  /** destructive or disruptive: confirmed first */
  dangerous: boolean;
  needs: ActionNeed[];
  appliesTo: ObjectKind;
  /** text the user must type to confirm (cleanup: the database name) */
  confirmText?: (ctx: ActionContext) => string;
  /** what it would do, secrets redacted (for --dry-run of single-object actions) */
  describe?: (ctx: ActionContext, target: string) => PlannedOp[];
  run(ctx: ActionContext, request: ActionRequest): Promise<ActionOutcome>;
}
