/**
 * A small tmux driver for end-to-end tests of the console: a real terminal (a tmux pane) of a
 * chosen size with a plain bash in it, keys sent as a user types them, the screen read back
 * with capture-pane, and the pane's terminal modes (alternate screen, cursor) read from tmux.
 *
 * Every driver runs its own tmux server on a private socket (-S, in a temp dir, no user
 * config), so tests never touch anyone's tmux, and kill() ends exactly that server.
 *
 *   const t = await startTmux({ columns: 160, rows: 45, env, cwd });
 *   await t.run('sfpipe console --refresh 1');
 *   await t.waitFor('OPERATOR', 20_000);
 *   await t.keys('?');
 *   …
 *   await t.kill();
 *
 * tmux itself is installed by the harness when missing (ensureTmux → harness/apt.ts):
 *   const tmux = await ensureTmux();
 *   describe.skipIf(!tmux.ok)('…', () => { … });
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureTools } from '../../harness/apt.js';
import { HarnessPrerequisiteMissing, makeContext } from '../../harness/index.js';

/** The shell prompt in every pane: easy to find on a captured screen. */
export const PROMPT = 'tmux-test$ ';

export interface TmuxOptions {
  columns: number;
  rows: number;
  /** the shell's whole environment (PATH and HOME are added when missing) */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export interface PaneState {
  /** the pane is on the alternate screen (a full-screen app has not left it) */
  alternateScreen: boolean;
  cursorVisible: boolean;
  columns: number;
  rows: number;
  /** the pane's shell */
  shellPid: number;
}

export type ScreenMatch = string | RegExp | ((screen: string) => boolean);

/**
 * Make sure tmux is on PATH (installs Debian's tmux as root when it is not). When it cannot
 * (not root, not Debian) the suite skips with one loud line, unless REQUIRE_REAL_SERVICES=1.
 */
export async function ensureTmux(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await ensureTools(makeContext({ quiet: true }), ['tmux']);
    return { ok: true };
  } catch (err) {
    if (err instanceof HarnessPrerequisiteMissing && process.env.REQUIRE_REAL_SERVICES !== '1') {
      process.stderr.write(`\n!!! SKIPPING tmux suites: ${err.message}\n\n`);
      return { ok: false, reason: err.message };
    }
    throw err;
  }
}

export async function startTmux(opts: TmuxOptions): Promise<Tmux> {
  const dir = mkdtempSync(join(tmpdir(), 'sfpipe-tmux-'));
  const t = new Tmux(join(dir, 'sock'), dir);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, ...opts.env })) if (v !== undefined) env[k] = v;
  // A plain, predictable shell: no rc files, a fixed prompt (set on bash's own command line:
  // tmux starts it through sh, which does not pass PS1 on), no history file written.
  Object.assign(env, { HISTFILE: '/dev/null', TERM: 'xterm-256color' });
  try {
    await t.tmux(
      ['-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', String(opts.columns), '-y', String(opts.rows), ...(opts.cwd ? ['-c', opts.cwd] : []), `env PS1='${PROMPT}' bash --norc --noprofile`],
      env,
    );
    // The window keeps the size we give it (no client is attached to resize it).
    await t.tmux(['set-option', '-g', 'window-size', 'manual']);
    await t.tmux(['set-option', '-g', 'status', 'off']);
    await t.tmux(['set-option', '-g', 'history-limit', '5000']);
    // The session was created with the status line on, so it is one row short: resize explicitly.
    await t.resize(opts.columns, opts.rows);
    await t.waitFor((s) => s.includes(PROMPT.trim()), 10_000);
  } catch (err) {
    await t.kill();
    throw err;
  }
  return t;
}

export class Tmux {
  private killed = false;

  constructor(
    readonly socket: string,
    private readonly dir: string,
  ) {}

  /** Run a tmux command against this driver's server; rejects with tmux's stderr. */
  tmux(args: string[], env?: Record<string, string>): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('tmux', ['-S', this.socket, ...args], { env: env ?? process.env, timeout: 15_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`tmux ${args[0]} failed: ${stderr.trim() || err.message}`));
        else resolve(stdout);
      });
    });
  }

  /** Type a command line into the shell and press Enter. */
  async run(commandLine: string): Promise<void> {
    await this.tmux(['send-keys', '-t', 'main', '-l', commandLine]);
    await this.tmux(['send-keys', '-t', 'main', 'Enter']);
  }

  /** Send keys by tmux name ('Escape', 'Enter', 'Tab', 'C-c', 'Up') or as single characters ('?', 'q'). */
  async keys(...keys: string[]): Promise<void> {
    for (const key of keys) await this.tmux(['send-keys', '-t', 'main', key]);
  }

  /** Type text literally. */
  async type(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', 'main', '-l', text]);
  }

  /** The visible screen as plain text (trailing blanks trimmed per line). */
  async screen(): Promise<string> {
    const text = await this.tmux(['capture-pane', '-p', '-t', 'main']);
    return text
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n');
  }

  /** The visible screen with its colour/attribute escape sequences. */
  async screenWithEscapes(): Promise<string> {
    return this.tmux(['capture-pane', '-p', '-e', '-t', 'main']);
  }

  /** Scrollback plus the visible screen, plain text. */
  async history(): Promise<string> {
    return this.tmux(['capture-pane', '-p', '-S', '-', '-t', 'main']);
  }

  /**
   * Poll the screen until it matches, or fail after timeoutMs with the last screen in the
   * message (a bound, not an assertion about speed). Returns the matching screen.
   */
  async waitFor(match: ScreenMatch, timeoutMs: number, intervalMs = 100): Promise<string> {
    const test = typeof match === 'string' ? (s: string) => s.includes(match) : match instanceof RegExp ? (s: string) => match.test(s) : match;
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      last = await this.screen();
      if (test(last)) return last;
      if (Date.now() >= deadline) break;
      await sleep(intervalMs);
    }
    throw new Error(`tmux: screen did not match ${String(match)} within ${timeoutMs} ms; last screen:\n${last}`);
  }

  async resize(columns: number, rows: number): Promise<void> {
    await this.tmux(['resize-window', '-t', 'main', '-x', String(columns), '-y', String(rows)]);
  }

  /** Many resizes run by the tmux server from one command file (no client round trip between them); each is a SIGWINCH for the pane's program. */
  async resizeStorm(sizes: ReadonlyArray<readonly [number, number]>): Promise<void> {
    const file = join(this.dir, `resizes-${Date.now()}.tmux`);
    writeFileSync(file, sizes.map(([c, r]) => `resize-window -t main -x ${c} -y ${r}\n`).join(''));
    await this.tmux(['source-file', file]);
  }

  async paneState(): Promise<PaneState> {
    const out = (await this.tmux(['display-message', '-p', '-t', 'main', '#{alternate_on} #{cursor_flag} #{pane_width} #{pane_height} #{pane_pid}'])).trim();
    const [alt, cursor, w, h, pid] = out.split(' ').map(Number) as [number, number, number, number, number];
    return { alternateScreen: alt === 1, cursorVisible: cursor === 1, columns: w, rows: h, shellPid: pid };
  }

  /** Pids of the shell's children (the program it runs in the foreground). */
  async childPids(): Promise<number[]> {
    const { shellPid } = await this.paneState();
    try {
      return readFileSync(`/proc/${shellPid}/task/${shellPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  /** Wait until the shell runs nothing in the foreground (the program exited). */
  async waitForShellIdle(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.childPids()).length > 0) {
      if (Date.now() >= deadline) throw new Error(`tmux: the program in the pane still runs after ${timeoutMs} ms; screen:\n${await this.screen()}`);
      await sleep(100);
    }
  }

  /** Ends this driver's tmux server (and with it the shell and anything still running in it). */
  async kill(): Promise<void> {
    if (this.killed) return;
    this.killed = true;
    await this.tmux(['kill-server']).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
