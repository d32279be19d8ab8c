/**
 * Per-topic message rates from successive Kafka snapshots: messages/s over a sliding window
 * of end-offset samples (exact for a steady producer), plus a bounded history for sparklines.
 * Everything is a ring buffer, and topics that disappear are forgotten.
 */
import { RingBuffer } from '../domain/ringBuffer.js';
import type { KafkaSnapshot } from '../domain/model.js';
import type { TopicRate } from '../store/state.js';

export interface RateOptions {
  /** span the rate is measured over (default 30 s) */
  windowMs?: number;
  /** rates kept per topic for the sparkline (default 60) */
  historySize?: number;
  /** samples kept per topic at most, whatever the refresh rate (default 128) */
  maxSamples?: number;
}

interface Sample {
  at: number;
  end: number;
}

interface Tracker {
  samples: RingBuffer<Sample>;
  history: RingBuffer<number>;
}

export class TopicRates {
  readonly windowMs: number;
  private readonly historySize: number;
  private readonly maxSamples: number;
  private readonly topics = new Map<string, Tracker>();

  constructor(options: RateOptions = {}) {
    this.windowMs = options.windowMs ?? 30_000;
    this.historySize = options.historySize ?? 60;
    this.maxSamples = options.maxSamples ?? 128;
  }

  /** Take a snapshot's end offsets as samples at `at`; returns the rates of the topics it holds. */
  update(snapshot: KafkaSnapshot, at: number): Record<string, TopicRate> {
    const rates: Record<string, TopicRate> = {};
    const seen = new Set<string>();
    for (const topic of snapshot.topics) {
      seen.add(topic.name);
      const end = topic.partitions.reduce((sum, p) => sum + p.end, 0);
      let t = this.topics.get(topic.name);
      if (!t) {
        t = { samples: new RingBuffer(this.maxSamples), history: new RingBuffer(this.historySize) };
        this.topics.set(topic.name, t);
      }
      const last = t.samples.last();
      // Offsets going backwards means the topic was recreated: start over.
      if (last && end < last.end) {
        t.samples.clear();
        t.history.clear();
      }
      if (!last || at > last.at || end < last.end) t.samples.push({ at, end });
      // Keep the newest sample at or before the window's start as the anchor, so the rate
      // spans a full window even when refreshes are slower than the window.
      const windowStart = at - this.windowMs;
      while (t.samples.size >= 2 && t.samples.at(1)!.at <= windowStart) t.samples.shift();
      const perSecond = rateOf(t.samples, windowStart);
      if (perSecond !== undefined) t.history.push(perSecond);
      rates[topic.name] = { topic: topic.name, perSecond, history: t.history.toArray() };
    }
    for (const name of [...this.topics.keys()]) if (!seen.has(name)) this.topics.delete(name);
    return rates;
  }

  /** Topics currently tracked (for memory checks). */
  trackedTopics(): number {
    return this.topics.size;
  }
}

/**
 * Messages per second over the window: from the end offset at the window's start (linear
 * between the anchor and the sample after it) to the newest sample. Without the interpolation
 * the rate would span back to the anchor, up to a refresh more than the window, and a change
 * of rate (production starting, stopping) would show diluted over that longer span.
 */
function rateOf(samples: RingBuffer<Sample>, windowStart: number): number | undefined {
  const first = samples.first();
  const last = samples.last();
  if (!first || !last || last.at <= first.at) return undefined;
  // samples are in strictly increasing time, so with last after first there is a second one
  const next = samples.at(1)!;
  if (first.at >= windowStart) return ((last.end - first.end) * 1000) / (last.at - first.at);
  const startEnd = first.end + ((next.end - first.end) * (windowStart - first.at)) / (next.at - first.at);
  return ((last.end - startEnd) * 1000) / (last.at - windowStart);
}
