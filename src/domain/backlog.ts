/**
 * Merge what the slow, warehouse-bound poll learned (stream backlog, task history) into the
 * metadata snapshot, so readers see one picture. Idempotent: merging twice changes nothing.
 */
import type { SnowflakeBacklog, SnowflakeSnapshot } from './model.js';

export function mergeBacklog(snapshot: SnowflakeSnapshot, backlog: SnowflakeBacklog | undefined): SnowflakeSnapshot {
  if (!backlog) return snapshot;
  const byTopic = new Map(backlog.topics.map((b) => [b.topic.toLowerCase(), b]));
  return {
    ...snapshot,
    topics: snapshot.topics.map((t) => {
      const b = byTopic.get(t.topic.toLowerCase());
      if (!b) return t;
      return {
        ...t,
        stream: t.stream && b.streamBacklog !== undefined ? { ...t.stream, backlog: b.streamBacklog, backlogAt: backlog.at } : t.stream,
        task: t.task ? { ...t.task, lastRun: b.lastRun ?? t.task.lastRun, nextRunAt: b.nextRunAt ?? t.task.nextRunAt } : t.task,
      };
    }),
  };
}
