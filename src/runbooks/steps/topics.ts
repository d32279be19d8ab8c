/** Setup step: create the pipeline's topics that do not exist yet. */
import { SfpipeError } from '../../domain/errors.js';
import { need, type RunbookEnv } from '../env.js';
import type { RunbookStep } from '../types.js';

export function createTopicsStep(env: RunbookEnv): RunbookStep {
  const specs = env.inputs.topics;
  const missing = async (signal: AbortSignal) => {
    const snapshot = await need(env.services.kafka, 'kafka').snapshot({ timeoutMs: env.callTimeoutMs, signal, includeInternal: false });
    const have = new Set(snapshot.topics.map((t) => t.name));
    return specs.filter((s) => !have.has(s.name)).map((s) => s.name);
  };
  return {
    id: 'topics',
    title: 'create the topics',
    async check(ctx) {
      const absent = await missing(ctx.signal);
      return absent.length === 0 ? { done: true, detail: `all ${specs.length} topic(s) exist` } : { done: false, detail: `missing: ${absent.join(', ')}` };
    },
    async plan() {
      return specs.map((s) => ({ kind: 'kafka' as const, text: `create topic ${s.name} (${s.partitions} partition(s), replication factor ${s.replicationFactor}) if missing` }));
    },
    async apply(ctx) {
      const created = await need(env.services.kafka, 'kafka').createTopics(specs, { timeoutMs: env.callTimeoutMs, signal: ctx.signal });
      const absent = await missing(ctx.signal);
      if (absent.length > 0) throw new SfpipeError('bad-response', 'kafka', `topics still missing after creating them: ${absent.join(', ')}`);
      return created.length ? `created ${created.join(', ')}` : 'every topic existed already';
    },
  };
}
