/** Small, pure formatting shared by verdicts, the status table and panes. */

/** 1204 → "1,204" (fixed locale so output does not depend on the machine). */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A human duration: 850 → "0s", 45_000 → "45s", 180_000 → "3m", 3_900_000 → "1h 5m". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 || m >= 10 ? `${m}m` : `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d ${h % 24}h`;
}

/** A rate for tables: 0 → "0", 12.345 → "12.3", 1234.5 → "1,235". */
export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0';
  if (Math.abs(perSecond) < 10) return perSecond.toFixed(2).replace(/\.?0+$/, '');
  if (Math.abs(perSecond) < 100) return perSecond.toFixed(1).replace(/\.0$/, '');
  return formatCount(perSecond);
}
