/**
 * Setup's last step: records flow — every pipeline topic's end offsets grow, the sink group
 * commits more, and the sink stays within the allowed lag. The check watches for a short
 * window; apply watches up to the configured timeout.
 */
import { SfpipeError } from '../../domain/errors.js';
import { formatMs } from '../../services/timeout.js';
import type { RunbookEnv } from '../env.js';
import type { RunbookStep, StepContext } from '../types.js';
import { waitFor } from '../wait.js';
import { failedError, ofType, overallState, pipelineConnectors, sinkGroupOf } from './connectState.js';
import { sample, type TopicTotals } from './offsets.js';

interface FlowState {
  ok: boolean;
  status: string;
}

async function sinkGroup(env: RunbookEnv, ctx: StepContext): Promise<string | undefined> {
  const p = await pipelineConnectors(env, await env.inputs.connectors(), ctx);
  for (const c of p.deployed.values()) {
    if (overallState(c) === 'FAILED') throw failedError(c);
    if (overallState(c) === 'PAUSED' || overallState(c) === 'STOPPED') {
      throw new SfpipeError('conflict', 'connect', `connector ${c.name} is ${overallState(c)}, so records cannot flow`, { hint: 'run `sfpipe resume`, then re-run setup' });
    }
  }
  if (p.missing.length) throw new SfpipeError('not-found', 'connect', `not deployed: ${p.missing.join(', ')}`, { hint: 're-run setup' });
  const sink = ofType(p, 'sink')[0];
  return sink ? sinkGroupOf(sink.name) : undefined;
}

function compare(base: TopicTotals[], now: TopicTotals[], hasSink: boolean, maxLag: number): FlowState {
  const parts: string[] = [];
  let ok = true;
  for (const n of now) {
    const b = base.find((x) => x.topic === n.topic)!;
    const produced = n.end - b.end;
    const committed = n.committed - b.committed;
    const topicOk = n.exists && produced > 0 && (!hasSink || (committed > 0 && n.lag <= maxLag));
    ok &&= topicOk;
    parts.push(`${n.topic} +${produced} produced${hasSink ? `, +${committed} committed, lag ${n.lag}` : ''}`);
  }
  return { ok, status: parts.join('; ') };
}

async function watch(env: RunbookEnv, ctx: StepContext, timeoutMs: number, failOnTimeout: boolean): Promise<FlowState> {
  const group = await sinkGroup(env, ctx);
  const base = await sample(env, group, ctx);
  const maxLag = env.inputs.flow.maxLag;
  let last: FlowState = { ok: false, status: 'no sample yet' };
  try {
    return await waitFor('records to flow', ctx, async () => {
      last = compare(base, await sample(env, group, ctx), group !== undefined, maxLag);
      return { done: last.ok, value: last, status: last.status };
    }, { source: 'kafka', timeoutMs, intervalMs: Math.min(env.pollMs, timeoutMs), hint: `check the connectors' status and the sink group ${group ?? '(no sink)'}; lag may be at most ${maxLag}` });
  } catch (err) {
    if (!failOnTimeout && err instanceof SfpipeError && err.kind === 'timeout' && !ctx.signal.aborted) return last;
    throw err;
  }
}

export function verifyFlowStep(env: RunbookEnv): RunbookStep {
  const { timeoutMs, checkWindowMs, maxLag } = env.inputs.flow;
  return {
    id: 'verify-flow',
    title: 'verify records flow',
    async check(ctx) {
      const state = await watch(env, ctx, checkWindowMs, false);
      return { done: state.ok, detail: state.ok ? `records flow: ${state.status}` : `not flowing yet within ${formatMs(checkWindowMs)}: ${state.status}` };
    },
    async plan() {
      return [{ kind: 'wait', text: `until the end offsets of ${env.inputs.topics.map((t) => t.name).join(', ')} grow and the sink group commits more, with lag ≤ ${maxLag} (up to ${formatMs(timeoutMs)})` }];
    },
    async apply(ctx) {
      return `records flow: ${(await watch(env, ctx, timeoutMs, true)).status}`;
    },
  };
}
