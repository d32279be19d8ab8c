/**
 * Single-object actions: pause / resume / restart one connector, restart its failed tasks,
 * suspend / resume / execute one Snowflake task, stop / start / pause / unpause one container.
 */
import { SfpipeError, type ErrorSource } from '../domain/errors.js';
import { isUnconfigured, type CallOptions, type Slot } from '../services/types.js';
import type { PlannedOp } from '../runbooks/types.js';
import type { ActionContext, ActionDescriptor, ActionNeed, ActionRequest, ObjectKind } from './types.js';

const DEFAULT_TIMEOUT_MS = 15_000;

function service<T>(slot: Slot<T>, source: ErrorSource): T {
  if (isUnconfigured(slot)) throw new SfpipeError('unsupported', source, slot.reason, slot.hint === undefined ? {} : { hint: slot.hint });
  return slot;
}

function targetOf(request: ActionRequest, kind: ObjectKind): string {
  const t = request.target?.trim();
  if (!t) throw new SfpipeError('invalid-input', 'cli', `this action needs a ${kind.replace('-', ' ')} to act on`, { hint: `name the ${kind.replace('-', ' ')}` });
  return t;
}

interface Spec {
  id: string;
  title: string;
  shortTitle: string;
  dangerous: boolean;
  needs: ActionNeed;
  appliesTo: ObjectKind;
  op: (ctx: ActionContext, target: string) => PlannedOp;
  act: (ctx: ActionContext, target: string, opts: CallOptions) => Promise<void>;
  done: string;
}

function objectAction(spec: Spec): ActionDescriptor {
  return {
    id: spec.id,
    title: spec.title,
    shortTitle: spec.shortTitle,
    dangerous: spec.dangerous,
    needs: [spec.needs],
    appliesTo: spec.appliesTo,
    describe: (ctx, target) => [spec.op(ctx, target)],
    async run(ctx, request) {
      const target = targetOf(request, spec.appliesTo);
      if (request.dryRun) return { ok: true, message: `would ${spec.title.toLowerCase()} ${target}`, plan: [spec.op(ctx, target)] };
      await request.approve?.();
      await spec.act(ctx, target, { timeoutMs: ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS, ...(ctx.cancel ? { signal: ctx.cancel } : {}) });
      return { ok: true, message: `${spec.done} ${target}` };
    },
  };
}

const rest = (method: string, path: (t: string) => string) => (ctx: ActionContext, t: string): PlannedOp => ({ kind: 'rest', text: `${method} ${ctx.config.connect.url}${path(encodeURIComponent(t))}` });
const sql = (verb: string) => (_ctx: ActionContext, t: string): PlannedOp => ({ kind: 'sql', text: `${verb.replace('%', t)}` });
const docker = (verb: string) => (ctx: ActionContext, t: string): PlannedOp => ({ kind: 'docker', text: `docker ${verb} ${t} (engine ${ctx.config.docker.host})` });

const connect = (ctx: ActionContext) => service(ctx.services.connect, 'connect');
const snowflake = (ctx: ActionContext) => service(ctx.services.snowflake, 'snowflake');
const dockerSvc = (ctx: ActionContext) => service(ctx.services.docker, 'docker');

export const OBJECT_ACTIONS: readonly ActionDescriptor[] = [
  objectAction({ id: 'connector.pause', title: 'Pause connector', shortTitle: 'pause', dangerous: true, needs: 'connect', appliesTo: 'connector', op: rest('PUT', (n) => `/connectors/${n}/pause`), act: (c, t, o) => connect(c).pause(t, o), done: 'paused connector' }),
  objectAction({ id: 'connector.resume', title: 'Resume connector', shortTitle: 'resume', dangerous: false, needs: 'connect', appliesTo: 'connector', op: rest('PUT', (n) => `/connectors/${n}/resume`), act: (c, t, o) => connect(c).resume(t, o), done: 'resumed connector' }),
  objectAction({ id: 'connector.restart', title: 'Restart connector and its tasks', shortTitle: 'restart', dangerous: true, needs: 'connect', appliesTo: 'connector', op: rest('POST', (n) => `/connectors/${n}/restart?includeTasks=true&onlyFailed=false`), act: (c, t, o) => connect(c).restart(t, { includeTasks: true, onlyFailed: false }, o), done: 'restarted connector' }),
  objectAction({ id: 'connector.restart-failed', title: 'Restart failed tasks', shortTitle: 'restart failed', dangerous: false, needs: 'connect', appliesTo: 'connector', op: rest('POST', (n) => `/connectors/${n}/restart?includeTasks=true&onlyFailed=true`), act: (c, t, o) => connect(c).restart(t, { includeTasks: true, onlyFailed: true }, o), done: 'restarted the failed tasks of' }),
  objectAction({ id: 'task.suspend', title: 'Suspend task', shortTitle: 'suspend', dangerous: true, needs: 'snowflake', appliesTo: 'snowflake-task', op: sql('ALTER TASK % SUSPEND'), act: (c, t, o) => snowflake(c).suspendTask(t, o), done: 'suspended task' }),
  objectAction({ id: 'task.resume', title: 'Resume task', shortTitle: 'resume', dangerous: false, needs: 'snowflake', appliesTo: 'snowflake-task', op: sql('ALTER TASK % RESUME'), act: (c, t, o) => snowflake(c).resumeTask(t, o), done: 'resumed task' }),
  objectAction({ id: 'task.execute', title: 'Run task now (uses its warehouse)', shortTitle: 'run now', dangerous: true, needs: 'snowflake', appliesTo: 'snowflake-task', op: sql('EXECUTE TASK %'), act: (c, t, o) => snowflake(c).executeTask(t, o), done: 'started a run of task' }),
  objectAction({ id: 'container.stop', title: 'Stop container', shortTitle: 'stop', dangerous: true, needs: 'docker', appliesTo: 'container', op: docker('stop'), act: (c, t, o) => dockerSvc(c).stop(t, o), done: 'stopped container' }),
  objectAction({ id: 'container.start', title: 'Start container', shortTitle: 'start', dangerous: false, needs: 'docker', appliesTo: 'container', op: docker('start'), act: (c, t, o) => dockerSvc(c).start(t, o), done: 'started container' }),
  objectAction({ id: 'container.pause', title: 'Pause container', shortTitle: 'pause', dangerous: true, needs: 'docker', appliesTo: 'container', op: docker('pause'), act: (c, t, o) => dockerSvc(c).pause(t, o), done: 'paused container' }),
  objectAction({ id: 'container.unpause', title: 'Unpause container', shortTitle: 'unpause', dangerous: false, needs: 'docker', appliesTo: 'container', op: docker('unpause'), act: (c, t, o) => dockerSvc(c).unpause(t, o), done: 'unpaused container' }),
];
