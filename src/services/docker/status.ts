/**
 * What the container list (GET /containers/json) says about a container, read from its
 * human-readable Status ("Up 5 minutes (unhealthy)", "Exited (3) 2 seconds ago"), and when the
 * details only an inspect gives (start time, restart count) must be read again.
 *
 * The list is the one request per refresh; an inspect is made only when the list shows a
 * change: another state, health or exit code, or an uptime shorter than the one inspected
 * (the container restarted between two refreshes).
 */
import type { ContainerHealth } from '../../domain/model.js';

export interface ListedStatus {
  health: ContainerHealth | undefined;
  exitCode: number | undefined;
  /** what the duration in Status counts from */
  since: 'start' | 'finish' | undefined;
  /** the longest time that duration text can stand for (ms) */
  sinceAtMostMs: number | undefined;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Upper bounds per unit; generous, since Docker's rounding has changed between versions. */
const UNIT_MS: Record<string, number> = {
  second: SECOND,
  minute: MINUTE,
  hour: HOUR,
  day: DAY,
  week: 7 * DAY,
  month: 30 * DAY,
  year: 365 * DAY,
};

export function parseListedStatus(status: string): ListedStatus {
  const s = status.trim();
  const health = /\(health: starting\)/.test(s) ? 'starting' : /\(unhealthy\)/.test(s) ? 'unhealthy' : /\(healthy\)/.test(s) ? 'healthy' : undefined;
  const up = /^Up (.+?)(?: \(|$)/.exec(s);
  if (up) return { health, exitCode: undefined, since: 'start', sinceAtMostMs: durationAtMostMs(up[1]!) };
  const ended = /^(Exited|Restarting) \((-?\d+)\) (.+) ago$/.exec(s);
  if (ended) return { health, exitCode: Number(ended[2]), since: 'finish', sinceAtMostMs: durationAtMostMs(ended[3]!) };
  return { health, exitCode: undefined, since: undefined, sinceAtMostMs: undefined };
}

/** The longest duration Docker's HumanDuration text can mean; undefined when it is not one. */
export function durationAtMostMs(text: string): number | undefined {
  const t = text.trim();
  if (t === 'Less than a second') return SECOND;
  if (t === 'About a minute') return 2 * MINUTE;
  if (t === 'About an hour') return 2 * HOUR;
  const m = /^(\d+) (second|minute|hour|day|week|month|year)s?$/.exec(t);
  if (!m) return undefined;
  return (Number(m[1]) + 1) * UNIT_MS[m[2]!]!;
}

/** What an inspect told us, kept until the list shows a change. */
export interface InspectedDetails {
  /** parts of the list entry the details were read for (see listSignature) */
  signature: string;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  restartCount: number;
  exitCode: number | undefined;
  health: ContainerHealth | undefined;
  tty: boolean;
}

/** State, health and exit code as listed: a change in any of them means inspect again. */
export function listSignature(state: string, status: ListedStatus): string {
  return `${state}|${status.health ?? ''}|${status.exitCode ?? ''}`;
}

/**
 * Tolerance between the daemon's clock and ours. Both run on this machine (sfpipe talks to
 * loopback only) and `now` is read before the list is requested, so our uptime never runs ahead
 * of the engine's; a false alarm would only cost one inspect.
 */
const CLOCK_SLACK_MS = 500;

/** `now`: read before the list request was sent. */
export function needsInspect(cached: InspectedDetails | undefined, state: string, status: ListedStatus, now: number): boolean {
  if (!cached) return true;
  if (cached.signature !== listSignature(state, status)) return true;
  if (status.sinceAtMostMs === undefined) return false;
  const since = status.since === 'start' ? cached.startedAt : status.since === 'finish' ? cached.finishedAt : undefined;
  // Listed as up (or exited) for less time than the inspected start (finish) time allows:
  // it started (finished) again since, so the restart count and times are out of date.
  return since !== undefined && now - since > status.sinceAtMostMs + CLOCK_SLACK_MS;
}

/** Docker's RFC 3339 times; the zero time (0001-01-01) means "never". */
export function dockerTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

export function healthOf(value: unknown): ContainerHealth | undefined {
  return value === 'healthy' || value === 'unhealthy' || value === 'starting' || value === 'none' ? value : undefined;
}
