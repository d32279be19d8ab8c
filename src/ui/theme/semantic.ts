/**
 * Colours are semantic roles; a theme maps roles to the 16 basic ANSI colours (so meaning
 * survives 16-colour terminals, tmux and TERM=screen). Every role that carries state also
 * comes with a symbol (symbols.ts), so nothing depends on colour alone.
 */
export type Role =
  | 'ok' // healthy, running, succeeded
  | 'warn' // degraded, paused, stale, waiting
  | 'error' // failed, down, unhealthy
  | 'unknown' // a state sfpipe does not know, shown as-is
  | 'idle' // stopped on purpose, not configured, nothing to do
  | 'accent' // titles, keys in hints
  | 'focus' // the focused pane's border
  | 'muted' // secondary text
  | 'text';

export interface Theme {
  name: string;
  /** false under NO_COLOR / --no-color: components then set no colour at all */
  color: boolean;
  colors: Partial<Record<Role, string>>;
}

export const ANSI16_THEME: Theme = {
  name: 'ansi16',
  color: true,
  colors: {
    ok: 'green',
    warn: 'yellow',
    error: 'red',
    unknown: 'magenta',
    idle: 'gray',
    accent: 'cyan',
    focus: 'cyan',
    muted: 'gray',
  },
};

export const NO_COLOR_THEME: Theme = { name: 'no-color', color: false, colors: {} };

/**
 * NO_COLOR (any non-empty value, see no-color.org) and --no-color switch colour off;
 * TERM=dumb too. --color forces it on over TERM=dumb, but never over NO_COLOR.
 */
export function colorEnabled(env: Record<string, string | undefined>, colorFlag: boolean | undefined): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (colorFlag !== undefined) return colorFlag;
  return env.TERM !== 'dumb';
}

export function themeFor(color: boolean): Theme {
  return color ? ANSI16_THEME : NO_COLOR_THEME;
}
