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

export interface DataWait {
  /** ms from process start to the first frame with data; undefined on timeout or exit */
  ms: number | undefined;
  /** ms from process start to the first frame of any kind (the header drawn) */
  firstFrameMs: number | undefined;
  /** ms from process start until each source first showed ok */
  sourceOkMs: Partial<Record<(typeof SOURCES)[number], number>>;
  screen: string;
}

/** Poll the screen until it shows data, noting when the first frame came and when each source turned ok. */
export async function waitForData(tmux: Tmux, c: RunningConsole, timeoutMs: number, pollMs = 5): Promise<DataWait> {
  const deadline = Date.now() + timeoutMs;
  const out: DataWait = { ms: undefined, firstFrameMs: undefined, sourceOkMs: {}, screen: '' };
  while (Date.now() < deadline) {
    out.screen = tmux.capture(c.name);
    const sinceStart = Number(BigInt(Date.now()) * 1_000_000n - c.startNs) / 1e6;
    if (out.firstFrameMs === undefined && out.screen.startsWith('sfpipe')) out.firstFrameMs = sinceStart;
    const st = headerStatuses(out.screen);
    for (const s of SOURCES) if (st[s] === 'ok' && out.sourceOkMs[s] === undefined) out.sourceOkMs[s] = sinceStart;
    if (frameHasData(out.screen)) {
      out.ms = sinceStart;
      return out;
    }
    if (tmux.dead(c.name)) return out;
    await sleep(pollMs);
  }
  return out;
}

/** The sources the console shows as configured (its header says anything but "not configured"). */
export function liveSources(screen: string): string[] {
  return Object.entries(headerStatuses(screen))
    .filter(([, w]) => w !== 'not')
    .map(([s]) => s);
}
