/**
 * The pipeline funnel, per topic: produced (Kafka end offsets) → committed by the sink
 * (consumer-group offsets) → raw rows → in the stream (backlog, when the slow poll knows it)
 * → extracted rows. Pure: counts come from snapshots, time from the caller.
 *
 * "Waiting at stage X" means records reached X but not the next stage. A wait is tracked
 * with a watermark: when a gap opens we remember the upstream count (the target); once the
 * downstream count reaches the target, those records moved on and the wait restarts. A
 * steady pipeline therefore never waits longer than its batching interval, while a stuck
 * stage keeps its original `since` — which is how we say "for 3m" without keeping history.
 */
import { formatCount, formatDuration } from './format.js';
import type {
  FunnelStage,
  FunnelVerdict,
  KafkaSnapshot,
  SnowflakeSnapshot,
  SnowflakeTopicState,
  SourceName,
  SourceState,
  TopicFunnel,
} from './model.js';

/** Stages records can wait at (extracted is the end of the line). */
export type WaitStage = Exclude<FunnelStage, 'extracted'>;

export interface FunnelCounts {
  produced: number | undefined;
  committedBySink: number | undefined;
  sinkLag: number | undefined;
  rawRows: number | undefined;
  inStream: number | undefined;
  extractedRows: number | undefined;
  /** SHOW STREAMS said the stream is empty (SYSTEM$STREAM_HAS_DATA false): no R→E wait. */
  streamEmpty: boolean;
}

export interface StageWait {
  /** when the records now waiting started waiting, at the latest (epoch ms) */
  since: number;
  /** downstream count that, once reached, means those records moved on */
  target: number;
}

export type FunnelWaits = Partial<Record<WaitStage, StageWait>>;

/** How long a gap may persist before it counts as waiting: above each stage's normal batching. */
export const DEFAULT_GRACE_MS: Readonly<Record<WaitStage, number>> = {
  // Connect commits sink offsets every offset.flush.interval.ms (60 s by default).
  produced: 90_000,
  sink: 120_000,
  // The extract task runs every minute, and SHOW TABLES row counts trail inserts.
  raw: 150_000,
  stream: 150_000,
};

type KafkaSource = Pick<SourceState<KafkaSnapshot>, 'status' | 'data' | 'updatedAt'>;
type SnowflakeSource = Pick<SourceState<SnowflakeSnapshot>, 'status' | 'data' | 'updatedAt'>;

export function funnelCounts(topic: string, kafka: KafkaSnapshot | undefined, snowflake: SnowflakeSnapshot | undefined): FunnelCounts {
  const t = kafka?.topics.find((x) => x.name === topic);
  let produced: number | undefined;
  let committedBySink: number | undefined;
  let sinkLag: number | undefined;
  if (t) {
    produced = t.partitions.reduce((sum, p) => sum + p.end, 0);
    if (kafka?.sinkGroup !== undefined) {
      // A partition the group never committed counts from its earliest offset: all of it waits.
      sinkLag = t.partitions.reduce((sum, p) => sum + Math.max(0, p.end - (p.committed ?? p.earliest)), 0);
      committedBySink = produced - sinkLag;
    }
  }
  const s = snowflakeTopic(snowflake, topic);
  return {
    produced,
    committedBySink,
    sinkLag,
    rawRows: s?.rawRows,
    inStream: s?.stream?.backlog,
    extractedRows: s?.extractedRows,
    streamEmpty: s?.stream?.hasData === false,
  };
}

export function snowflakeTopic(snowflake: SnowflakeSnapshot | undefined, topic: string): SnowflakeTopicState | undefined {
  return snowflake?.topics.find((x) => x.topic.toLowerCase() === topic.toLowerCase());
}

interface StageGap {
  stage: WaitStage;
  /** records waiting at this stage now, undefined when a count it needs is unknown */
  waiting: number | undefined;
  /** the count downstream of this stage (reaching a target clears the wait) */
  downstream: number | undefined;
  /** the target a wait opened now would get */
  targetNow: number | undefined;
}

function stageGaps(c: FunnelCounts): StageGap[] {
  const known = (...xs: (number | undefined)[]) => xs.every((x) => x !== undefined);
  const gaps: StageGap[] = [
    { stage: 'produced', waiting: c.sinkLag, downstream: c.committedBySink, targetNow: c.produced },
    {
      stage: 'sink',
      waiting: known(c.committedBySink, c.rawRows) ? Math.max(0, c.committedBySink! - c.rawRows!) : undefined,
      downstream: c.rawRows,
      targetNow: c.committedBySink,
    },
  ];
  if (c.inStream !== undefined) {
    // The backlog count is authoritative: rows loaded before the stream existed never reach it.
    gaps.push({
      stage: 'stream',
      waiting: c.inStream,
      downstream: c.extractedRows,
      targetNow: c.extractedRows === undefined ? undefined : c.extractedRows + c.inStream,
    });
  } else {
    const gap = known(c.rawRows, c.extractedRows) ? (c.streamEmpty ? 0 : Math.max(0, c.rawRows! - c.extractedRows!)) : undefined;
    gaps.push({ stage: 'raw', waiting: gap, downstream: c.extractedRows, targetNow: c.rawRows });
  }
  return gaps;
}

/** Carry each stage's wait forward to time `at`. Stages whose counts are unknown keep their wait. */
export function advanceWaits(prev: FunnelWaits | undefined, counts: FunnelCounts, at: number): FunnelWaits {
  const next: FunnelWaits = {};
  for (const g of stageGaps(counts)) {
    const old = prev?.[g.stage];
    if (g.waiting === undefined || g.downstream === undefined || g.targetNow === undefined) {
      if (old) next[g.stage] = old;
      continue;
    }
    if (g.waiting <= 0) continue;
    // Reached the old target (records moved on) or upstream went backwards (topic recreated): restart.
    if (!old || g.downstream >= old.target || g.targetNow < old.target) next[g.stage] = { since: at, target: g.targetNow };
    else next[g.stage] = old;
  }
  return next;
}

export interface FunnelInput {
  topic: string;
  kafka: KafkaSource;
  snowflake: SnowflakeSource;
  waits: FunnelWaits | undefined;
  /** messages/s over the rate window, undefined until known */
  ratePerSecond: number | undefined;
  now: number;
  graceMs?: Readonly<Record<WaitStage, number>>;
}

export function topicFunnel(input: FunnelInput): TopicFunnel {
  const counts = funnelCounts(input.topic, input.kafka.data, input.snowflake.data);
  return {
    topic: input.topic,
    produced: counts.produced,
    committedBySink: counts.committedBySink,
    sinkLag: counts.sinkLag,
    rawRows: counts.rawRows,
    inStream: counts.inStream,
    extractedRows: counts.extractedRows,
    verdict: funnelVerdict(input, counts),
  };
}

function funnelVerdict(input: FunnelInput, counts: FunnelCounts): FunnelVerdict {
  const verdict = judge(input, counts);
  return { ...verdict, explanation: verdict.explanation + staleNote(input) };
}

/** Verdicts on old data say how old, so a stale source is never mistaken for a stuck one. */
function staleNote(input: FunnelInput): string {
  const notes: string[] = [];
  for (const [name, s] of [['kafka', input.kafka], ['snowflake', input.snowflake]] as const) {
    if (s.status === 'stale' && s.data !== undefined && s.updatedAt !== undefined) notes.push(`${name} data ${formatDuration(input.now - s.updatedAt)} old`);
  }
  return notes.length ? ` (${notes.join(', ')})` : '';
}

function judge(input: FunnelInput, counts: FunnelCounts): FunnelVerdict {
  const grace = input.graceMs ?? DEFAULT_GRACE_MS;
  const sf = snowflakeTopic(input.snowflake.data, input.topic);
  let inFlight = 0;
  for (const g of stageGaps(counts)) {
    if (g.waiting === undefined) {
      return { waitingAt: 'unknown', waiting: undefined, since: undefined, explanation: unknownReason(input, counts, g.stage, inFlight) };
    }
    inFlight += g.waiting;
    const wait = input.waits?.[g.stage];
    if (g.waiting > 0 && wait && input.now - wait.since >= grace[g.stage]) {
      return {
        waitingAt: g.stage,
        waiting: g.waiting,
        since: wait.since,
        explanation: `${formatCount(g.waiting)} ${g.waiting === 1 ? 'record' : 'records'} ${stagePhrase(g.stage, input.topic, sf)} for ${formatDuration(input.now - wait.since)}${g.stage === 'raw' || g.stage === 'stream' ? taskNote(sf) : ''}`,
      };
    }
  }
  const produced = counts.produced ?? 0;
  if (produced === 0) return { waitingAt: 'idle', waiting: 0, since: undefined, explanation: 'nothing produced yet' };
  const extracted = sf?.extractedTable ?? `${input.topic.toUpperCase()}_EXTRACTED`;
  if (inFlight === 0 && input.ratePerSecond !== undefined && input.ratePerSecond > 0) {
    return { waitingAt: 'flowing', waiting: 0, since: undefined, explanation: `every record produced so far has reached ${extracted}` };
  }
  if (inFlight === 0) return { waitingAt: 'idle', waiting: 0, since: undefined, explanation: `nothing produced lately; all ${formatCount(produced)} records reached ${extracted}` };
  if (input.ratePerSecond === 0) {
    return { waitingAt: 'flowing', waiting: inFlight, since: undefined, explanation: `nothing produced lately; ${formatCount(inFlight)} records still on their way to ${extracted}` };
  }
  return { waitingAt: 'flowing', waiting: inFlight, since: undefined, explanation: `${formatCount(inFlight)} records on their way, none stuck` };
}

function stagePhrase(stage: WaitStage, topic: string, sf: SnowflakeTopicState | undefined): string {
  const raw = sf?.rawTable ?? topic.toUpperCase();
  const extracted = sf?.extractedTable ?? `${topic.toUpperCase()}_EXTRACTED`;
  switch (stage) {
    case 'produced':
      return 'produced but not yet committed by the sink';
    case 'sink':
      return `committed by the sink but not yet in raw table ${raw}`;
    case 'raw':
      return `in raw table ${raw} but not yet in ${extracted}`;
    case 'stream':
      return `waiting in stream ${sf?.stream?.name ?? `STREAM_${topic.toUpperCase()}`} for the extract task`;
  }
}

function taskNote(sf: SnowflakeTopicState | undefined): string {
  if (sf?.stream?.stale) return ' (the stream is stale)';
  if (!sf?.task) return sf ? ' (no extract task found)' : '';
  if (sf.task.state === 'suspended') return ` (task ${sf.task.name} is suspended)`;
  return '';
}

/** Why the verdict is unknown: name the source (and its status) or the missing piece. */
function unknownReason(input: FunnelInput, counts: FunnelCounts, stage: WaitStage, inFlightBefore: number): string {
  const prefix = stage === 'produced' ? '' : `${formatCount(inFlightBefore)} records in flight upstream, none stuck; `;
  if (stage === 'produced') {
    if (!input.kafka.data) return `${describeSource('kafka', input.kafka.status)}: produced and committed counts unknown`;
    if (counts.produced === undefined) return `topic ${input.topic} not found in Kafka`;
    return 'no sink consumer group known: committed counts unknown';
  }
  if (!input.snowflake.data) return `${prefix}${describeSource('snowflake', input.snowflake.status)}: raw and extracted counts unknown`;
  const sf = snowflakeTopic(input.snowflake.data, input.topic);
  if (!sf) return `${prefix}no raw table for ${input.topic} in ${input.snowflake.data.database}.${input.snowflake.data.schema}`;
  if (stage === 'sink') return `${prefix}raw row count of ${sf.rawTable} unknown`;
  return `${prefix}row count of ${sf.extractedTable} unknown`;
}

function describeSource(source: SourceName, status: string): string {
  return status === 'unconfigured' ? `${source} is not configured` : `${source} is ${status}`;
}
