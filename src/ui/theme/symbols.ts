/** Status symbols: each state reads without colour (colour-blind users, NO_COLOR). */
import type { Role } from './semantic.js';

export const GLYPH = {
  ok: '●',
  warn: '▲',
  error: '✗',
  unknown: '?',
  idle: '○',
  paused: '‖',
  selected: '›',
  waiting: '◀',
} as const;

/** A state as the UI shows it: symbol, word and the role that colours it. */
export interface StatusLook {
  glyph: string;
  word: string;
  role: Role;
}

export const look = (role: Role, word: string, glyph?: string): StatusLook => ({
  role,
  word,
  glyph: glyph ?? (role === 'ok' || role === 'warn' || role === 'error' || role === 'unknown' || role === 'idle' ? GLYPH[role] : ' '),
});
