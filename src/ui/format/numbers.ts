/** Pure number formatting for narrow table cells. '—' means "not known", never zero. */
export const UNKNOWN = '—';

function group(n: number): string {
  return Math.trunc(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 12,345 up to 99,999; then 123k, 4.5M, 1.2G so a column stays narrow. */
export function formatCount(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return UNKNOWN;
  const abs = Math.abs(n);
  if (abs < 100_000) return `${n < 0 ? '-' : ''}${group(abs)}`;
  const units: ReadonlyArray<[number, string]> = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, unit] of units) {
    if (abs >= size) {
      const v = n / size;
      return `${Math.abs(v) < 10 ? v.toFixed(1) : Math.round(v).toString()}${unit}`;
    }
  }
  return group(n);
}

export function formatRate(perSecond: number | undefined): string {
  if (perSecond === undefined || !Number.isFinite(perSecond)) return UNKNOWN;
  if (perSecond === 0) return '0/s';
  if (perSecond < 10) return `${perSecond.toFixed(1)}/s`;
  return `${formatCount(Math.round(perSecond))}/s`;
}

export function formatPercent(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return UNKNOWN;
  return p < 10 ? `${p.toFixed(1)}%` : `${Math.round(p)}%`;
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return UNKNOWN;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v}B` : `${v < 10 ? v.toFixed(1) : Math.round(v)}${units[i]}`;
}
