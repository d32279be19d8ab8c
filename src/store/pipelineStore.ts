/**
 * The pipeline store: one zustand vanilla store per running sfpipe (and a fresh one per test).
 * Pollers are its only writers of polled data; every action is synchronous and takes its time
 * as a parameter, so the store never reads a clock. Events are emitted on transitions only
 * (a source going ok → stale, a new kind of error …), never on every refresh.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { mergeBacklog } from '../domain/backlog.js';
import { formatDuration } from '../domain/format.js';
import { SfpipeError } from '../domain/errors.js';
import { advanceWaits, funnelCounts, type FunnelWaits } from '../domain/funnel.js';
import type { SnowflakeBacklog, SourceName, SourceState } from '../domain/model.js';
import { selectFunnelTopics } from './selectors.js';
import type { ActionResult, PipelineEvent, PipelineState, SourcesState, TopicRate } from './state.js';

export const MAX_EVENTS = 200;

export const DEFAULT_SETTINGS = { refreshMs: 2_000, slowRefreshMs: 0 } as const;

export interface PipelineActions {
  sourceSucceeded<S extends SourceName>(source: S, data: NonNullable<SourcesState[S]['data']>, at: number, latencyMs: number): void;
  sourceFailed(source: SourceName, error: SfpipeError, at: number): void;
  /** `at` stamps the event (pollers pass their clock's time). */
  sourceUnconfigured(source: SourceName, reason: string, options?: { hint?: string; at?: number }): void;
  /** Replace the per-topic rates (topics that disappeared are dropped by the caller). */
  recordRates(rates: Record<string, TopicRate>): void;
  addEvent(event: PipelineEvent): void;
  setLastAction(result: ActionResult): void;
  /** The slow Snowflake poll answered; merged into sources.snowflake.data without touching its status or age. */
  backlogSucceeded(backlog: SnowflakeBacklog, at: number, latencyMs: number): void;
  backlogFailed(error: SfpipeError, at: number): void;
  backlogUnconfigured(reason: string): void;
}

export type PipelineStore = PipelineState & PipelineActions;

export function initialSourceState<T>(): SourceState<T> {
  return { status: 'down', data: undefined, error: undefined, updatedAt: undefined, attemptedAt: undefined, latencyMs: undefined };
}

export function initialPipelineState(): PipelineState {
  return {
    sources: {
      docker: initialSourceState(),
      kafka: initialSourceState(),
      connect: initialSourceState(),
      snowflake: initialSourceState(),
    },
    rates: {},
    events: [],
    lastAction: undefined,
    settings: { ...DEFAULT_SETTINGS },
    snowflakeBacklog: initialSourceState(),
    funnelWaits: {},
    pipelineTopics: undefined,
  };
}

export function createPipelineStore(initial: Partial<PipelineState> = {}): StoreApi<PipelineStore> {
  return createStore<PipelineStore>()((set, get) => {
    const pushEvents = (events: PipelineEvent[], extra: PipelineEvent[]): PipelineEvent[] =>
      extra.length === 0 ? events : [...events, ...extra].slice(-MAX_EVENTS);

    /** Funnel waits follow every Kafka or Snowflake update; topics no longer shown are dropped. */
    const nextWaits = (state: PipelineState, at: number): Record<string, FunnelWaits> => {
      const waits: Record<string, FunnelWaits> = {};
      for (const topic of selectFunnelTopics(state)) {
        const counts = funnelCounts(topic, state.sources.kafka.data, state.sources.snowflake.data);
        waits[topic] = advanceWaits(state.funnelWaits?.[topic], counts, at);
      }
      return waits;
    };

    return {
      ...initialPipelineState(),
      ...initial,

      sourceSucceeded(source, data, at, latencyMs) {
        const state = get();
        const prev = state.sources[source] as SourceState<unknown>;
        const merged = source === 'snowflake' ? mergeBacklog(data as NonNullable<SourcesState['snowflake']['data']>, state.snowflakeBacklog?.data) : data;
        const next: SourceState<unknown> = { status: 'ok', data: merged, error: undefined, updatedAt: at, attemptedAt: at, latencyMs };
        const sources = { ...state.sources, [source]: next } as SourcesState;
        const event = transitionEvent(source, prev, next, at);
        const withSources = { ...state, sources };
        set({
          sources,
          events: pushEvents(state.events, event ? [event] : []),
          ...(source === 'kafka' || source === 'snowflake' ? { funnelWaits: nextWaits(withSources, at) } : {}),
        });
      },

      sourceFailed(source, error, at) {
        const state = get();
        const prev = state.sources[source] as SourceState<unknown>;
        const next: SourceState<unknown> = { ...prev, status: prev.data === undefined ? 'down' : 'stale', error, attemptedAt: at };
        const event = transitionEvent(source, prev, next, at);
        set({ sources: { ...state.sources, [source]: next } as SourcesState, events: pushEvents(state.events, event ? [event] : []) });
      },

      sourceUnconfigured(source, reason, options = {}) {
        const state = get();
        const prev = state.sources[source] as SourceState<unknown>;
        const error = new SfpipeError('unsupported', source, reason, options.hint === undefined ? {} : { hint: options.hint });
        const next: SourceState<unknown> = { status: 'unconfigured', data: undefined, error, updatedAt: undefined, attemptedAt: undefined, latencyMs: undefined };
        const changed = prev.status !== 'unconfigured' || prev.error?.message !== reason;
        const event: PipelineEvent | undefined = changed ? { at: options.at ?? 0, level: 'info', source, message: `${source}: not configured — ${reason}` } : undefined;
        set({ sources: { ...state.sources, [source]: next } as SourcesState, events: pushEvents(state.events, event ? [event] : []) });
      },

      recordRates(rates) {
        set({ rates });
      },

      addEvent(event) {
        set({ events: pushEvents(get().events, [event]) });
      },

      setLastAction(result) {
        set({ lastAction: result });
      },

      backlogSucceeded(backlog, at, latencyMs) {
        const state = get();
        const prev = state.snowflakeBacklog ?? initialSourceState<SnowflakeBacklog>();
        const next: SourceState<SnowflakeBacklog> = { status: 'ok', data: backlog, error: undefined, updatedAt: at, attemptedAt: at, latencyMs };
        const sf = state.sources.snowflake;
        const sources = sf.data ? { ...state.sources, snowflake: { ...sf, data: mergeBacklog(sf.data, backlog) } } : state.sources;
        const event = transitionEvent('snowflake', prev, next, at, 'snowflake backlog');
        const withSources = { ...state, sources };
        set({ snowflakeBacklog: next, sources, funnelWaits: nextWaits(withSources, at), events: pushEvents(state.events, event ? [event] : []) });
      },

      backlogFailed(error, at) {
        const state = get();
        const prev = state.snowflakeBacklog ?? initialSourceState<SnowflakeBacklog>();
        const next: SourceState<SnowflakeBacklog> = { ...prev, status: prev.data === undefined ? 'down' : 'stale', error, attemptedAt: at };
        const event = transitionEvent('snowflake', prev, next, at, 'snowflake backlog');
        set({ snowflakeBacklog: next, events: pushEvents(state.events, event ? [event] : []) });
      },

      backlogUnconfigured(reason) {
        const error = new SfpipeError('unsupported', 'snowflake', reason);
        set({ snowflakeBacklog: { status: 'unconfigured', data: undefined, error, updatedAt: undefined, attemptedAt: undefined, latencyMs: undefined } });
      },
    };
  });
}

/**
 * The event for a source's change, or undefined when nothing worth telling changed: the first
 * answer, a status change, or a different kind of error while still failing.
 */
function transitionEvent(source: SourceName, prev: SourceState<unknown>, next: SourceState<unknown>, at: number, label: string = source): PipelineEvent | undefined {
  const first = prev.attemptedAt === undefined;
  if (next.status === 'ok') {
    if (!first && prev.status === 'ok') return undefined;
    const gap = prev.updatedAt !== undefined ? `, no fresh data for ${formatDuration(at - prev.updatedAt)}` : '';
    return { at, level: 'info', source, message: first ? `${label}: ok` : `${label}: ok again (was ${prev.status}${gap})` };
  }
  const sameError = prev.error?.kind === next.error?.kind;
  if (!first && prev.status === next.status && sameError) return undefined;
  const what = next.status === 'stale' ? 'stale (showing last good data)' : 'down';
  return { at, level: next.status === 'stale' ? 'warn' : 'error', source, message: `${label}: ${what} — ${next.error?.kind ?? 'error'}: ${next.error?.message ?? ''}` };
}
