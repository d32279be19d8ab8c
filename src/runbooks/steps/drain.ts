/**
 * Pause: wait (bounded, with progress) until the sink group has committed everything produced
 * — lag 0 on every pipeline topic while the end offsets no longer move — so nothing is left
 * in flight when the pipeline stands still.
 */
import { formatMs } from '../../services/timeout.js';
import type { RunbookEnv } from '../env.js';
import type { RunbookStep, StepContext } from '../types.js';
import { waitFor } from '../wait.js';
import { failedError, ofType, overallState, pipelineConnectors, sinkGroupOf } from './connectState.js';
import { lagText, sample, sumLag } from './offsets.js';

async function sinkGroup(env: RunbookEnv, ctx: StepContext): Promise<string | undefined> {
  const p = await pipelineConnectors(env, await env.inputs.connectors(), ctx);
  const sink = ofType(p, 'sink')[0];
  if (sink && overallState(sink) === 'FAILED') throw failedError(sink);
  return sink ? sinkGroupOf(sink.name) : undefined;
}

export function drainSinkStep(env: RunbookEnv): RunbookStep {
  const timeoutMs = env.inputs.drainTimeoutMs;
  return {
    id: 'drain-sink',
    title: 'wait until the sink has committed everything produced',
    async check(ctx) {
      const group = await sinkGroup(env, ctx);
      if (!group) return { done: true, detail: 'no sink connector is deployed: nothing to drain' };
      const now = await sample(env, group, ctx);
      const lag = sumLag(now);
      return lag === 0 ? { done: true, detail: `${group} has committed every record (${now.reduce((n, t) => n + t.end, 0)})` } : { done: false, detail: `${group} lag ${lag} (${lagText(now)})` };
    },
    async plan() {
      return [{ kind: 'wait', text: `until the sink group (connect-<sink>) has committed every record of ${env.inputs.topics.map((t) => t.name).join(', ')} and the end offsets stand still (up to ${formatMs(timeoutMs)})` }];
    },
    async apply(ctx) {
      const group = await sinkGroup(env, ctx);
      if (!group) return 'no sink connector is deployed: nothing to drain';
      let previousEnd: number | undefined;
      let firstLag: number | undefined;
      const result = await waitFor('the sink to commit everything', ctx, async () => {
        const now = await sample(env, group, ctx);
        const end = now.reduce((n, t) => n + t.end, 0);
        const lag = sumLag(now);
        firstLag ??= Math.max(lag, 1);
        const still = previousEnd === end;
        previousEnd = end;
        const status = lag === 0 ? (still ? `lag 0, ${end} records committed` : `lag 0, end offsets still moving (${end})`) : `lag ${lag} (${lagText(now)})`;
        return { done: lag === 0 && still, value: end, status, fraction: Math.min(1, 1 - lag / firstLag) };
      }, {
        source: 'kafka',
        timeoutMs,
        intervalMs: env.pollMs,
        hint: `the sink connector may be failing or slow: look at its status; the source connectors stay paused (\`sfpipe resume\` restarts the flow)`,
      });
      return `${group} committed all ${result} records`;
    },
  };
}
