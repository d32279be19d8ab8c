/** Pure time formatting. `now` is always passed in: nothing here reads the clock. */
import { formatDuration as formatDomainDuration } from '../../domain/format.js';
import { UNKNOWN } from './numbers.js';

/** A duration as the rest of sfpipe writes it (45s, 3m, 1h 5m); '—' when unknown. */
export function formatDuration(ms: number | undefined): string {
  return ms === undefined || !Number.isFinite(ms) ? UNKNOWN : formatDomainDuration(ms);
}

/** How old something is, compact: 5s, 3m, 2h, 4d. */
export function formatAge(at: number | undefined, now: number): string {
  if (at === undefined) return UNKNOWN;
  const s = Math.max(0, Math.floor((now - at) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** Countdown to a scheduled time: 'in 42s', 'due now', or 'late 12s' once it has passed. */
export function formatCountdown(at: number | undefined, now: number): string {
  if (at === undefined) return UNKNOWN;
  const diff = at - now;
  if (Math.abs(diff) < 1000) return 'due now';
  return diff > 0 ? `in ${formatDuration(diff)}` : `late ${formatDuration(-diff)}`;
}

/** HH:MM:SS in local time, or UTC when asked (tests, servers). */
export function formatClock(at: number, utc = false): string {
  const d = new Date(at);
  const parts = utc ? [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()] : [d.getHours(), d.getMinutes(), d.getSeconds()];
  return parts.map((p) => String(p).padStart(2, '0')).join(':');
}
