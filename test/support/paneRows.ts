/**
 * Reading one row of a console pane off a tmux screen, and steering a pane the way a person
 * does: focus it, filter it to a few rows. Used by the end-to-end suites that run the console
 * against the harness's shared engines, where other suites' topics and connectors are listed too.
 */
import type { Tmux } from './tmux.js';

export const PANE_TITLES = { '1': 'Containers', '2': 'Topics', '3': 'Connectors', '4': 'Snowflake', '5': 'Pipeline' } as const;
export type PaneKey = keyof typeof PANE_TITLES;

/** The part of the first screen line holding `name` that belongs to its pane: up to the pane's right border. */
export function rowOf(screen: string, name: string): string | undefined {
  const line = screen.split('\n').find((l) => l.includes(name));
  if (line === undefined) return undefined;
  const from = line.slice(line.indexOf(name));
  const end = from.search(/[│║]/);
  return end < 0 ? from : from.slice(0, end);
}

/** A topic row's MSG/S cell ("12/s", "0.8/s", "1,234/s", "1.2k/s") as a number; undefined when it shows none. */
export function shownRate(row: string | undefined): number | undefined {
  const m = row === undefined ? null : /\s([\d.,]+)(k?)\/s(?:\s|$)/.exec(row);
  if (!m) return undefined;
  return Number(m[1]!.replace(/,/g, '')) * (m[2] === 'k' ? 1000 : 1);
}

/**
 * Focus a pane and see it focused (its frame turns double) before the next key: keys that
 * reach the console in one read arrive as one chunk, which is not a key.
 */
export async function focusPane(t: Tmux, pane: PaneKey, timeoutMs: number): Promise<void> {
  await t.keys(pane);
  await t.waitFor(`║${pane} ${PANE_TITLES[pane]}`, timeoutMs);
}

/** Focus a pane and filter it, one character at a time, each seen in the filter line before the next. */
export async function filterPane(t: Tmux, pane: PaneKey, text: string, timeoutMs: number): Promise<void> {
  await focusPane(t, pane, timeoutMs);
  await t.keys('/');
  await t.waitFor('/▏', timeoutMs);
  for (let i = 1; i <= text.length; i++) {
    await t.type(text[i - 1]!);
    await t.waitFor(`/${text.slice(0, i)}▏`, timeoutMs);
  }
  await t.keys('Enter');
  await t.waitFor(`filter "${text}"`, timeoutMs);
}
