/**
 * Fitting text into cells. Widths count code points: names here are ASCII or symbols of
 * width one; wide (CJK, emoji) text may overhang a cell by a column, which Ink clips.
 */
export function textWidth(s: string): number {
  return [...s].length;
}

/** Cut to `width` with an ellipsis, so a long name never pushes the next column. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...s];
  if (chars.length <= width) return s;
  if (width === 1) return '…';
  return `${chars.slice(0, width - 1).join('')}…`;
}

export function fitCell(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const t = truncate(s, width);
  const pad = ' '.repeat(Math.max(0, width - textWidth(t)));
  return align === 'right' ? pad + t : t + pad;
}

/** Lowercase haystack for filtering; the filter matches any part of it. */
export function matchesFilter(haystack: string, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  return f === '' || haystack.toLowerCase().includes(f);
}
