/** A sparkline of the most recent values, scaled to the largest one shown. */
const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

export function sparkline(values: readonly number[], width: number): string {
  if (width <= 0) return '';
  const shown = values.slice(-width).filter((v) => Number.isFinite(v));
  if (shown.length === 0) return '';
  const max = Math.max(...shown);
  if (max <= 0) return BARS[0].repeat(shown.length);
  return shown.map((v) => BARS[Math.min(BARS.length - 1, Math.max(0, Math.round((v / max) * (BARS.length - 1))))]).join('');
}
