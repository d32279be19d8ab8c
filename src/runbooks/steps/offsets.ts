/** Per-topic totals from a Kafka snapshot: how much was produced and how much a sink group committed. */
import type { KafkaSnapshot } from '../../domain/model.js';
import { need, type RunbookEnv } from '../env.js';
import type { StepContext } from '../types.js';

export interface TopicTotals {
  topic: string;
  /** sum of end offsets */
  end: number;
  /** sum of committed offsets (earliest where the group has not committed) */
  committed: number;
  /** end - committed */
  lag: number;
  /** the group has committed on every partition */
  allCommitted: boolean;
  exists: boolean;
}

export function totals(snapshot: KafkaSnapshot, topics: readonly string[]): TopicTotals[] {
  return topics.map((topic) => {
    const t = snapshot.topics.find((x) => x.name === topic);
    if (!t) return { topic, end: 0, committed: 0, lag: 0, allCommitted: false, exists: false };
    let end = 0;
    let committed = 0;
    for (const p of t.partitions) {
      end += p.end;
      committed += Math.min(p.end, p.committed ?? p.earliest);
    }
    return { topic, end, committed, lag: end - committed, allCommitted: t.partitions.every((p) => p.committed !== undefined || p.end === p.earliest), exists: true };
  });
}

export async function sample(env: RunbookEnv, group: string | undefined, ctx: StepContext): Promise<TopicTotals[]> {
  const kafka = need(env.services.kafka, 'kafka');
  const snapshot = await kafka.snapshot({ timeoutMs: env.callTimeoutMs, signal: ctx.signal, ...(group ? { sinkGroup: group } : {}) });
  return totals(snapshot, env.inputs.topics.map((t) => t.name));
}

export const sumLag = (ts: readonly TopicTotals[]) => ts.reduce((n, t) => n + t.lag, 0);
export const lagText = (ts: readonly TopicTotals[]) => ts.filter((t) => t.lag > 0).map((t) => `${t.topic} ${t.lag}`).join(', ');
