/**
 * CPU and memory without a request per container per refresh: one streaming stats subscription
 * (GET /containers/{id}/stats?stream=true, a frame about every second) per running container
 * keeps its latest sample here, and the list call only reads it. A subscription is opened when
 * a container is first seen running, closed when it stops or disappears (and on close()), and
 * one that failed is not retried before retryMs, so a broken one cannot cost a request per refresh.
 */
import type { Readable } from 'node:stream';
import type { Clock } from '../../domain/clock.js';
import { cpuCountersOf, sampleOf, type StatsSample } from './stats.js';

export type OpenStatsStream = (id: string, signal: AbortSignal) => Promise<Readable>;

export interface StatsStreamsOptions {
  clock: Clock;
  /** a sample older than this is not reported (the stream stalled); default 10 s */
  maxAgeMs?: number;
  /** wait this long before opening a subscription again after one failed or ended; default 10 s */
  retryMs?: number;
}

interface Subscription {
  controller: AbortController;
  stream: Readable | undefined;
  latest: StatsSample | undefined;
  previousCpu: ReturnType<typeof cpuCountersOf>;
}

/** A frame is a couple of KB; anything this long without a newline is not Docker's stats. */
const MAX_FRAME_CHARS = 1024 * 1024;

export class StatsStreams {
  private readonly subs = new Map<string, Subscription>();
  private readonly retryAt = new Map<string, number>();
  private readonly clock: Clock;
  private readonly maxAgeMs: number;
  private readonly retryMs: number;
  private closed = false;

  constructor(private readonly open: OpenStatsStream, options: StatsStreamsOptions) {
    this.clock = options.clock;
    this.maxAgeMs = options.maxAgeMs ?? 10_000;
    this.retryMs = options.retryMs ?? 10_000;
  }

  /** Keep exactly these containers subscribed: open what is missing, close the rest. Never waits. */
  sync(ids: Iterable<string>): void {
    if (this.closed) return;
    const wanted = new Set(ids);
    for (const [id, sub] of this.subs) if (!wanted.has(id)) this.drop(id, sub, false);
    for (const id of this.retryAt.keys()) if (!wanted.has(id)) this.retryAt.delete(id);
    const now = this.clock.now();
    for (const id of wanted) if (!this.subs.has(id) && (this.retryAt.get(id) ?? -Infinity) <= now) this.subscribe(id);
  }

  /** The latest sample of a container, if there is a recent one. */
  sample(id: string): StatsSample | undefined {
    const latest = this.subs.get(id)?.latest;
    return latest && this.clock.now() - latest.at <= this.maxAgeMs ? latest : undefined;
  }

  /** Number of open (or opening) subscriptions. */
  get size(): number {
    return this.subs.size;
  }

  close(): void {
    this.closed = true;
    for (const [id, sub] of this.subs) this.drop(id, sub, false);
    this.retryAt.clear();
  }

  private subscribe(id: string): void {
    const sub: Subscription = { controller: new AbortController(), stream: undefined, latest: undefined, previousCpu: undefined };
    this.subs.set(id, sub);
    this.retryAt.delete(id);
    this.open(id, sub.controller.signal).then(
      (stream) => {
        if (this.subs.get(id) !== sub) {
          // dropped while opening; an abort may still surface as an error event
          stream.on('error', () => undefined);
          stream.destroy();
          return;
        }
        sub.stream = stream;
        this.read(id, sub, stream);
      },
      () => this.drop(id, sub, true),
    );
  }

  private read(id: string, sub: Subscription, stream: Readable): void {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        this.take(sub, buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
      if (buffered.length > MAX_FRAME_CHARS) this.drop(id, sub, true);
    });
    // Ended by the engine (the container stopped) or broken: forget it; the next list re-subscribes if it still runs.
    stream.on('error', () => this.drop(id, sub, true));
    stream.on('end', () => this.drop(id, sub, true));
    stream.on('close', () => this.drop(id, sub, true));
  }

  private take(sub: Subscription, line: string): void {
    if (!line.trim()) return;
    let frame: unknown;
    try {
      frame = JSON.parse(line);
    } catch {
      return; // one garbled frame: keep the last good sample
    }
    sub.latest = sampleOf(frame, this.clock.now(), sub.previousCpu);
    sub.previousCpu = cpuCountersOf(frame) ?? sub.previousCpu;
  }

  private drop(id: string, sub: Subscription, retryLater: boolean): void {
    if (this.subs.get(id) !== sub) return;
    this.subs.delete(id);
    if (retryLater && !this.closed) this.retryAt.set(id, this.clock.now() + this.retryMs);
    sub.controller.abort();
    sub.stream?.destroy();
  }
}
