/**
 * Pause and resume steps for connectors: pause the sources (datagen), resume every pipeline
 * connector that is paused; each waits until Connect reports the new state for connector and tasks.
 */
import { SfpipeError } from '../../domain/errors.js';
import type { ConnectorInfo } from '../../domain/model.js';
import { need, type RunbookEnv } from '../env.js';
import type { RunbookStep, StepContext } from '../types.js';
import { waitFor } from '../wait.js';
import { describeState, failedError, ofType, overallState, pipelineConnectors, type Overall } from './connectState.js';

const STATE_TIMEOUT_MS = 60_000;

async function sources(env: RunbookEnv, ctx: StepContext): Promise<ConnectorInfo[]> {
  const p = await pipelineConnectors(env, await env.inputs.connectors(), ctx);
  const found = ofType(p, 'source');
  if (found.length === 0) {
    throw new SfpipeError('not-found', 'connect', `no source connector of the pipeline is deployed${p.missing.length ? ` (missing: ${p.missing.join(', ')})` : ''}`, { hint: 'run `sfpipe setup` first' });
  }
  return found;
}

async function allPipeline(env: RunbookEnv, ctx: StepContext): Promise<ConnectorInfo[]> {
  const p = await pipelineConnectors(env, await env.inputs.connectors(), ctx);
  if (p.missing.length) throw new SfpipeError('not-found', 'connect', `not deployed: ${p.missing.join(', ')}`, { hint: 'run `sfpipe setup` first' });
  return [...p.deployed.values()];
}

async function waitState(env: RunbookEnv, ctx: StepContext, names: string[], want: Overall, pick: (env: RunbookEnv, ctx: StepContext) => Promise<ConnectorInfo[]>): Promise<void> {
  await waitFor(`connectors to be ${want}`, ctx, async () => {
    const now = (await pick(env, ctx)).filter((c) => names.includes(c.name));
    const failed = now.find((c) => overallState(c) === 'FAILED');
    if (failed && want === 'RUNNING') throw failedError(failed);
    const pending = now.filter((c) => overallState(c) !== want);
    return { done: pending.length === 0, value: undefined, status: pending.length ? `waiting: ${pending.map(describeState).join('; ')}` : `all ${want}` };
  }, { source: 'connect', timeoutMs: STATE_TIMEOUT_MS, intervalMs: env.pollMs });
}

export function pauseSourcesStep(env: RunbookEnv): RunbookStep {
  return {
    id: 'pause-sources',
    title: 'pause the source (datagen) connectors',
    async check(ctx) {
      const running = (await sources(env, ctx)).filter((c) => overallState(c) !== 'PAUSED');
      return running.length === 0 ? { done: true, detail: 'every source connector is paused' } : { done: false, detail: `not paused: ${running.map(describeState).join('; ')}` };
    },
    async plan() {
      const names = (await env.inputs.connectors()).map((d) => d.name);
      return [{ kind: 'rest', text: `PUT ${env.config.connect.url}/connectors/<name>/pause for each source connector among ${names.join(', ')}` }];
    },
    async apply(ctx) {
      const connect = need(env.services.connect, 'connect');
      const todo = (await sources(env, ctx)).filter((c) => overallState(c) !== 'PAUSED');
      for (const c of todo) {
        ctx.progress(`PUT /connectors/${c.name}/pause`);
        await connect.pause(c.name, { timeoutMs: env.callTimeoutMs, signal: ctx.signal });
      }
      await waitState(env, ctx, todo.map((c) => c.name), 'PAUSED', sources);
      return `paused ${todo.map((c) => c.name).join(', ')}`;
    },
  };
}

export function resumeConnectorsStep(env: RunbookEnv): RunbookStep {
  return {
    id: 'resume-connectors',
    title: 'resume the connectors',
    async check(ctx) {
      const all = await allPipeline(env, ctx);
      const failed = all.find((c) => overallState(c) === 'FAILED');
      if (failed) throw failedError(failed);
      const notRunning = all.filter((c) => overallState(c) !== 'RUNNING');
      return notRunning.length === 0 ? { done: true, detail: 'every pipeline connector is running' } : { done: false, detail: `not running: ${notRunning.map(describeState).join('; ')}` };
    },
    async plan() {
      const names = (await env.inputs.connectors()).map((d) => d.name);
      return [{ kind: 'rest', text: `PUT ${env.config.connect.url}/connectors/<name>/resume for each paused or stopped connector among ${names.join(', ')}` }];
    },
    async apply(ctx) {
      const connect = need(env.services.connect, 'connect');
      const todo = (await allPipeline(env, ctx)).filter((c) => overallState(c) === 'PAUSED' || overallState(c) === 'STOPPED' || c.state === 'PAUSED');
      for (const c of todo) {
        ctx.progress(`PUT /connectors/${c.name}/resume`);
        await connect.resume(c.name, { timeoutMs: env.callTimeoutMs, signal: ctx.signal });
      }
      await waitState(env, ctx, (await allPipeline(env, ctx)).map((c) => c.name), 'RUNNING', allPipeline);
      return todo.length ? `resumed ${todo.map((c) => c.name).join(', ')}` : 'nothing was paused; all running';
    },
  };
}
