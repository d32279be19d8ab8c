/**
 * Running the built console (node bin/sfpipe.js) in tmux and reading its screen: when the
 * first complete frame with data is up, and the pid to read /proc for.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Tmux } from './tmux.js';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const SFPIPE_BIN = join(REPO, 'bin', 'sfpipe.js');
export const COLUMNS = 200;
export const ROWS = 50;

const SOURCES = ['docker', 'kafka', 'connect', 'snowflake'] as const;

export type HeaderWord = 'ok' | 'not' | 'connecting…' | 'down' | 'stale' | string;

/** Each source's status word as the header shows it ("● kafka ok 1s" → ok; "○ docker not configured" → not). */
export function headerStatuses(screen: string): Partial<Record<(typeof SOURCES)[number], HeaderWord>> {
  const header = screen.split('\n').slice(0, 2).join(' ');
  const out: Partial<Record<(typeof SOURCES)[number], HeaderWord>> = {};
  for (const s of SOURCES) {
    const m = new RegExp(`\\b${s} (\\S+)`).exec(header);
    if (m) out[s] = m[1]!;
  }
  return out;
}

/** A complete frame with data: every source has answered, each either ok or not configured, and at least one ok. */
export function frameHasData(screen: string): boolean {
  const st = headerStatuses(screen);
  const words = SOURCES.map((s) => st[s]);
  return words.every((w) => w === 'ok' || w === 'not') && words.includes('ok');
}

export interface RunningConsole {
  name: string;
  pid: number;
  /** epoch ns written just before exec */
  startNs: bigint;
}

export async function startConsole(tmux: Tmux, name: string, setup: { cwd: string; env: Record<string, string> }, args: string[] = []): Promise<RunningConsole> {
  const marker = join(setup.cwd, `${name}.start`);
  const pid = tmux.start(name, ['node', SFPIPE_BIN, ...args], { cwd: setup.cwd, env: setup.env, columns: COLUMNS, rows: ROWS, startMarker: marker });
  let startNs: bigint | undefined;
  for (let i = 0; i < 500 && startNs === undefined; i++) {
    if (i > 0) await sleep(2);
    try {
      const text = readFileSync(marker, 'utf8').trim();
      if (text) startNs = BigInt(text);
    } catch {
      /* not written yet */
    }
  }
  if (startNs === undefined) throw new Error(`the start marker ${marker} was not written`);
  return { name, pid, startNs };
}

/** Poll the screen until it shows data; returns ms from process start, or undefined on timeout (with the last screen). */
export async function waitForData(tmux: Tmux, c: RunningConsole, timeoutMs: number, pollMs = 5): Promise<{ ms: number | undefined; screen: string }> {
  const deadline = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < deadline) {
    screen = tmux.capture(c.name);
    const seenNs = BigInt(Date.now()) * 1_000_000n;
    if (frameHasData(screen)) return { ms: Number(seenNs - c.startNs) / 1e6, screen };
    if (tmux.dead(c.name)) return { ms: undefined, screen };
    await sleep(pollMs);
  }
  return { ms: undefined, screen };
}

/** The sources the console shows as configured (its header says anything but "not configured"). */
export function liveSources(screen: string): string[] {
  return Object.entries(headerStatuses(screen))
    .filter(([, w]) => w !== 'not')
    .map(([s]) => s);
}
