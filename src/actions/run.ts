/**
 * Running an action the one way every front end does: refused with the reason in read-only
 * mode or when what it needs is not configured; audited before it changes anything (an
 * operation that cannot be audited does not run) and again with its outcome; its result
 * recorded in the console's store when there is one.
 */
import type { AuditEntry } from '../audit/auditLog.js';
import { SfpipeError, toSfpipeError } from '../domain/errors.js';
import { isUnconfigured } from '../services/types.js';
import type { ActionContext, ActionDescriptor, ActionOutcome, ActionRequest } from './types.js';

/** Why the action cannot run here, or undefined when it can. */
export function disabledReason(action: ActionDescriptor, ctx: Pick<ActionContext, 'readOnly' | 'services' | 'config'>): string | undefined {
  if (ctx.readOnly) return ctx.readOnly.reason;
  for (const need of action.needs) {
    if (need === 'admin-sql') {
      if (!ctx.config.snowflake.admin) return 'no admin Snowflake connection is configured (--admin-connection, or a default connection)';
      continue;
    }
    if (need === 'compose') continue; // the plan names a missing compose file
    const slot = ctx.services[need];
    if (isUnconfigured(slot)) return `${need}: ${slot.reason}`;
  }
  return undefined;
}

export async function runAction(action: ActionDescriptor, ctx: ActionContext, request: ActionRequest = {}): Promise<ActionOutcome> {
  const started = ctx.clock.now();
  const dryRun = request.dryRun === true;
  const base: Omit<AuditEntry, 'outcome'> = {
    who: ctx.who,
    what: action.id,
    ...(request.target === undefined ? {} : { target: request.target }),
    parameters: { dryRun, ...request.options },
  };
  const record = (ok: boolean, message: string) => {
    const at = ctx.clock.now();
    ctx.store?.getState().setLastAction({ at, action: action.title, ok, message });
    ctx.store?.getState().addEvent({ at, level: ok ? 'info' : 'error', source: 'action', message: `${ctx.who}: ${message}` });
  };

  // a dry run changes nothing: it may show what a missing service would be asked (read-only still refuses)
  const reason = dryRun ? ctx.readOnly?.reason : disabledReason(action, ctx);
  if (reason !== undefined) {
    await ctx.audit.append({ ...base, outcome: 'refused', detail: reason }).catch(() => undefined);
    const message = `${action.title}: refused — ${reason}`;
    record(false, message);
    throw new SfpipeError('unsupported', 'cli', message, { hint: ctx.readOnly ? 'operations are disabled in this session' : 'configure it (see `sfpipe doctor`)' });
  }

  // Nothing changes before this record is written.
  if (!dryRun) await ctx.audit.append({ ...base, outcome: 'started' });
  let outcome: ActionOutcome;
  try {
    outcome = await action.run(ctx, request);
  } catch (err) {
    const error = toSfpipeError(err, 'cli');
    await ctx.audit.append({ ...base, outcome: 'failed', detail: error.describe(), durationMs: ctx.clock.now() - started }).catch(() => undefined);
    record(false, `${action.title} failed: ${error.message}`);
    throw error;
  }
  const auditOutcome = dryRun ? 'dry-run' : outcome.ok ? 'ok' : outcome.result?.outcome === 'aborted' ? 'aborted' : 'failed';
  const written = await ctx.audit.append({ ...base, outcome: auditOutcome, detail: outcome.message, durationMs: ctx.clock.now() - started }).then(
    () => true,
    () => false,
  );
  const message = written ? outcome.message : `${outcome.message} (the audit log could not be written)`;
  record(outcome.ok, message);
  return { ...outcome, message };
}
