/**
 * Which slice of rows a virtualised table shows: the smallest scroll from the previous
 * offset that keeps the selected row visible, clamped to the data.
 */
export function scrollOffset(selected: number, prevOffset: number, visible: number, total: number): number {
  if (visible <= 0 || total <= visible) return 0;
  let offset = prevOffset;
  if (selected < offset) offset = selected;
  else if (selected >= offset + visible) offset = selected - visible + 1;
  return Math.max(0, Math.min(offset, total - visible));
}

/** Clamp an index into [0, total-1] (0 for an empty list). */
export function clampIndex(index: number, total: number): number {
  return total === 0 ? 0 : Math.max(0, Math.min(index, total - 1));
}
