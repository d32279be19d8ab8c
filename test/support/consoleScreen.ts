/**
 * Reading the console's screen (a tmux capture) back into facts: each source's status as its
 * pane title shows it ("2 Topics  ✗ down (unreachable)", "4 Snowflake  ▲ stale 12s old (timeout)"),
 * whether the help overlay is open, and signs of a crash. The grid layout (≥150×40) shows all
 * four source panes at once, so e2e tests run the console at 160×45.
 */
import type { SourceName } from '../../src/domain/model.js';

export const GRID_SIZE = { columns: 160, rows: 45 } as const;

/** The pane whose title carries each source's status. */
export const SOURCE_PANES: Record<SourceName, string> = {
  docker: '1 Containers',
  kafka: '2 Topics',
  connect: '3 Connectors',
  snowflake: '4 Snowflake',
};

export interface ShownSource {
  /** ok | stale | down | connecting… | not configured */
  word: string;
  /** the data's age in seconds, when shown ("ok 3s", "stale 12s old") */
  ageSeconds: number | undefined;
  /** the error kind in brackets, e.g. timeout */
  kind: string | undefined;
}

const AGE_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** The status a pane title shows for a source, or undefined when the pane is not on screen. */
export function shownSource(screen: string, source: SourceName): ShownSource | undefined {
  // "<n> <Title>[ <subtitle>]  <glyph> <status>", e.g. "4 Snowflake KAFKA_DB.PUBLIC  ● ok 0s"
  const re = new RegExp(`${SOURCE_PANES[source]}(?: [^ ]+)?  \\S (ok|stale|down|connecting…|not configured)(?: (\\d+)([smhd])(?: old)?)?(?: \\(([a-z-]+)\\))?`);
  const m = re.exec(screen);
  if (!m) return undefined;
  return { word: m[1]!, ageSeconds: m[2] === undefined ? undefined : Number(m[2]) * AGE_UNITS[m[3]!]!, kind: m[4] };
}

export function shownSources(screen: string): Partial<Record<SourceName, ShownSource>> {
  const out: Partial<Record<SourceName, ShownSource>> = {};
  for (const s of Object.keys(SOURCE_PANES) as SourceName[]) {
    const shown = shownSource(screen, s);
    if (shown) out[s] = shown;
  }
  return out;
}

export const HELP_TITLE = 'Esc or ? closes';

export function helpOpen(screen: string): boolean {
  return screen.includes(HELP_TITLE);
}

/** Text a crashing Node process or a stray error print would leave on the screen. */
export const CRASH_SIGNS = /[Uu]nhandled|[Uu]ncaught|crashed|unexpected error|^\s*at .+[(:]\d+:\d+\)?$/m;

export function crashSigns(text: string): string | undefined {
  return CRASH_SIGNS.exec(text)?.[0];
}

/** Box-drawing characters: any of them on the shell's screen after quitting is a leftover frame. */
export const FRAME_CHARS = /[─│┌┐└┘╔╗╚╝═║├┤]/;
