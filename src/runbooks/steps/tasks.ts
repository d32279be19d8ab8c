/**
 * Snowflake task steps: wait until the streams are drained (pause --suspend-tasks), suspend the
 * tasks, resume them. Task state comes from SHOW TASKS (no warehouse); the stream backlog from
 * COUNT(*) on each stream, which wakes a warehouse — so it is polled slowly.
 */
import { SfpipeError } from '../../domain/errors.js';
import type { SnowflakeTopicState } from '../../domain/model.js';
import { formatMs } from '../../services/timeout.js';
import { isUnconfigured } from '../../services/types.js';
import { need, type RunbookEnv } from '../env.js';
import type { RunbookStep, StepContext } from '../types.js';
import { waitFor } from '../wait.js';

const STREAM_DRAIN_TIMEOUT_MS = 5 * 60_000;

const same = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();

/** The pipeline's tasks as SHOW TASKS reports them; a task that does not exist is an error. */
async function pipelineTasks(env: RunbookEnv, ctx: StepContext): Promise<SnowflakeTopicState[]> {
  const snapshot = await need(env.services.snowflake, 'snowflake').metadata({ timeoutMs: env.callTimeoutMs, signal: ctx.signal });
  const found = env.inputs.tasks.map((name) => ({ name, owner: snapshot.topics.find((t) => t.task && same(t.task.name, name)) }));
  const missing = found.filter((f) => !f.owner).map((f) => f.name);
  if (missing.length) throw new SfpipeError('not-found', 'snowflake', `no such task in ${snapshot.database}.${snapshot.schema}: ${missing.join(', ')}`, { hint: 'run `sfpipe setup` (script 03 creates the tasks)' });
  return found.map((f) => f.owner!);
}

export function drainStreamsStep(env: RunbookEnv): RunbookStep {
  return {
    id: 'drain-streams',
    title: 'wait until the tasks have drained the streams',
    async check(ctx) {
      const left = await backlogOf(env, ctx);
      return left.total === 0 ? { done: true, detail: 'every stream is empty' } : { done: false, detail: left.status };
    },
    async plan() {
      return [{ kind: 'sql', text: `SELECT COUNT(*) FROM <stream> for the streams of ${env.inputs.tasks.join(', ')} every ${formatMs(env.slowPollMs)} until 0 (up to ${formatMs(STREAM_DRAIN_TIMEOUT_MS)}) [warehouse: resumes the admin warehouse]` }];
    },
    async apply(ctx) {
      await waitFor('the streams to drain', ctx, async () => {
        const left = await backlogOf(env, ctx);
        return { done: left.total === 0, value: undefined, status: left.status };
      }, { source: 'snowflake', timeoutMs: STREAM_DRAIN_TIMEOUT_MS, intervalMs: env.slowPollMs, hint: 'the tasks run every minute when their stream has data; look at TASK_HISTORY for failures' });
      return 'every stream is empty';
    },
  };
}

async function backlogOf(env: RunbookEnv, ctx: StepContext): Promise<{ total: number; status: string }> {
  const owners = await pipelineTasks(env, ctx);
  const backlog = await need(env.services.snowflake, 'snowflake').backlog({ timeoutMs: env.callTimeoutMs, signal: ctx.signal });
  const rows = owners.map((o) => ({ topic: o.topic, n: backlog.topics.find((b) => b.topic === o.topic)?.streamBacklog ?? 0 }));
  const total = rows.reduce((s, r) => s + r.n, 0);
  return { total, status: total ? `in streams: ${rows.filter((r) => r.n > 0).map((r) => `${r.topic} ${r.n}`).join(', ')}` : 'streams empty' };
}

export function taskStateStep(env: RunbookEnv, want: 'suspended' | 'started'): RunbookStep {
  const verb = want === 'suspended' ? 'suspend' : 'resume';
  return {
    id: `${verb}-tasks`,
    title: `${verb} the Snowflake tasks`,
    async check(ctx) {
      if (env.inputs.tasks.length === 0) return { done: true, detail: 'the pipeline has no Snowflake tasks' };
      if (want === 'started' && isUnconfigured(env.services.snowflake)) return { done: true, detail: `not checked: ${env.services.snowflake.reason}` };
      const other = (await pipelineTasks(env, ctx)).filter((t) => t.task!.state !== want);
      return other.length === 0 ? { done: true, detail: `every task is ${want}` } : { done: false, detail: `${other.map((t) => `${t.task!.name} ${t.task!.state}`).join(', ')}` };
    },
    async plan() {
      return env.inputs.tasks.map((t) => ({ kind: 'sql' as const, text: `ALTER TASK ${t} ${verb.toUpperCase()}` }));
    },
    async apply(ctx) {
      const snowflake = need(env.services.snowflake, 'snowflake');
      const todo = (await pipelineTasks(env, ctx)).filter((t) => t.task!.state !== want).map((t) => t.task!.name);
      for (const name of todo) {
        ctx.progress(`ALTER TASK ${name} ${verb.toUpperCase()}`);
        await (want === 'suspended' ? snowflake.suspendTask(name, { timeoutMs: env.callTimeoutMs, signal: ctx.signal }) : snowflake.resumeTask(name, { timeoutMs: env.callTimeoutMs, signal: ctx.signal }));
      }
      return `${verb}d ${todo.join(', ')}`;
    },
  };
}
