/** Scroll state for an overlay, driven by the overlay.* commands; the offset stays within the lines. */
import { useState } from 'react';
import type { Keypress } from '../../keymap/keypress.js';
import type { KeyMatcher } from '../../keymap/keyMatchers.js';

export function clampOffset(offset: number, total: number, visible: number): number {
  return Math.max(0, Math.min(offset, Math.max(0, total - visible)));
}

export function useScroll(total: number, visible: number, keys: KeyMatcher): [number, (key: Keypress) => boolean] {
  const [raw, setOffset] = useState(0);
  const offset = clampOffset(raw, total, visible);
  const handle = (key: Keypress): boolean => {
    const step = keys.is('overlay.up', key) ? -1 : keys.is('overlay.down', key) ? 1 : keys.is('overlay.pageUp', key) ? -visible : keys.is('overlay.pageDown', key) ? visible : 0;
    if (step === 0) return false;
    setOffset(clampOffset(offset + step, total, visible));
    return true;
  };
  return [offset, handle];
}
