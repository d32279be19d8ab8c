/**
 * The console on a real terminal (a tmux pane), abused: shrunk to 20×5 and back, a thousand
 * resizes in a burst, started with stdin closed or stdout piped, and the terminal closed
 * under it. It must never crash, must fall back to `sfpipe status` output without a
 * terminal, and must leave the shell's screen and modes as they were when it quits.
 *
 * The backends are loopback ports nothing listens on (the terminal does not care what the
 * panes say); the console runs from source (test/support/sfpipeCli.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { crashSigns, FRAME_CHARS, GRID_SIZE, helpOpen, shownSource } from '../support/consoleScreen.js';
import { closedPort } from '../support/faultServers.js';
import { runSfpipe, sfpipeCommandLine } from '../support/sfpipeCli.js';
import { ensureTmux, PROMPT, startTmux, type Tmux } from '../support/tmux.js';

// Bounds on waiting (a slow machine waits longer; nothing here asserts on speed).
const START_MS = 30_000;
const SETTLE_MS = 15_000;
const EXIT_MS = 15_000;

let dir: string;
let env: Record<string, string>;
const sessions: Tmux[] = [];

const tmux = await ensureTmux();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sfpipe-terminal-'));
  const [kafka, connect, docker] = await Promise.all([closedPort(), closedPort(), closedPort()]);
  env = {
    HOME: dir,
    SNOWFLAKE_HOME: join(dir, '.snowflake'),
    XDG_CONFIG_HOME: join(dir, '.config'),
    XDG_STATE_HOME: join(dir, '.state'),
    SFPIPE_LOG_FILE: join(dir, 'sfpipe.log'),
    SFPIPE_KAFKA_BROKERS: `127.0.0.1:${kafka}`,
    SFPIPE_CONNECT_URL: `http://127.0.0.1:${connect}`,
    DOCKER_HOST: `tcp://127.0.0.1:${docker}`,
    LANG: 'C.UTF-8',
  };
});

afterEach(async () => {
  while (sessions.length) await sessions.pop()!.kill();
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function shell(columns: number = GRID_SIZE.columns, rows: number = GRID_SIZE.rows): Promise<Tmux> {
  const t = await startTmux({ columns, rows, env, cwd: dir });
  sessions.push(t);
  return t;
}

/** Start the console in the pane's shell; the shell prints its exit code after it. */
async function startConsole(t: Tmux, redirect = ''): Promise<void> {
  await t.run(`${sfpipeCommandLine(['console', '--refresh', '1'])}${redirect}; echo "sfpipe-exit=$?"`);
  await t.waitFor((s) => shownSource(s, 'kafka')?.word === 'down', START_MS);
}

async function exitCode(t: Tmux): Promise<number> {
  const screen = await t.waitFor(/sfpipe-exit=\d+/, EXIT_MS);
  return Number(/sfpipe-exit=(\d+)/.exec(screen)![1]);
}

/** The terminal is back as the shell had it: main screen, cursor shown, line discipline cooked, no frame left. */
async function expectTerminalRestored(t: Tmux): Promise<void> {
  const state = await t.paneState();
  expect(state.alternateScreen, 'still on the alternate screen').toBe(false);
  expect(state.cursorVisible, 'cursor left hidden').toBe(true);
  const screen = await t.screen();
  expect(screen).not.toMatch(FRAME_CHARS);
  expect(crashSigns(screen)).toBeUndefined();
  // A program that left raw mode on would leave -icanon -echo for the next command.
  await t.run(`echo "tty-modes: $(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | sort | tr '\\n' ' ')"`);
  const after = await t.waitFor(/^tty-modes: \S/m, SETTLE_MS);
  const modes = /^tty-modes: (.*)$/m.exec(after)![1]!.trim().split(' ').sort();
  expect(modes).toEqual(['echo', 'icanon']);
}

async function expectAnswersKeys(t: Tmux): Promise<void> {
  await t.keys('?');
  await t.waitFor(helpOpen, SETTLE_MS);
  await t.keys('Escape');
  await t.waitFor((s) => !helpOpen(s) && shownSource(s, 'kafka') !== undefined, SETTLE_MS);
}

describe.skipIf(!tmux.ok)('the console on a real terminal', () => {
  it('q quits cleanly: exit 0, main screen and cursor back, no frame or stray text left', async () => {
    const t = await shell();
    await startConsole(t);
    const state = await t.paneState();
    expect(state.alternateScreen).toBe(true);
    expect(state.cursorVisible).toBe(false);
    await expectAnswersKeys(t);
    await t.keys('q');
    expect(await exitCode(t)).toBe(0);
    await expectTerminalRestored(t);
    // Only the shell is on screen: nothing of the console's frame, header or panes.
    const screen = await t.screen();
    for (const leftover of ['OPERATOR', '1 Containers', 'Events', 'refresh 1s']) expect(screen).not.toContain(leftover);
    expect(screen.split('\n').filter((l) => l.startsWith(PROMPT.trim())).length).toBeGreaterThanOrEqual(2);
  });

  it('Ctrl-C quits the same way', async () => {
    const t = await shell();
    await startConsole(t);
    await t.keys('C-c');
    expect(await exitCode(t)).toBe(0);
    await expectTerminalRestored(t);
  });

  it('survives a resize to 20×5 and back, and redraws the full layout', async () => {
    const t = await shell();
    await startConsole(t);
    await t.resize(20, 5);
    await t.waitFor((s) => /too\s+small/.test(s.replace(/\n/g, ' ')), SETTLE_MS);
    const small = await t.screen();
    for (const line of small.split('\n')) expect([...line].length).toBeLessThanOrEqual(20);
    await t.resize(GRID_SIZE.columns, GRID_SIZE.rows);
    const back = await t.waitFor((s) => shownSource(s, 'snowflake') !== undefined && !/too\s+small/.test(s), SETTLE_MS);
    // One frame, not a frame drawn over remains of the small one.
    expect(back.match(/1 Containers/g)).toHaveLength(1);
    expect(back.match(/^sfpipe /gm)).toHaveLength(1);
    expect((await t.paneState()).alternateScreen).toBe(true);
    await expectAnswersKeys(t);
    await t.keys('q');
    expect(await exitCode(t)).toBe(0);
    await expectTerminalRestored(t);
  });

  it('survives a thousand resize events in a burst (tmux resizes and SIGWINCH), then draws at the final size', async () => {
    const t = await shell();
    await startConsole(t);
    const [pid] = await t.childPids();
    expect(pid).toBeDefined();
    const sizes: [number, number][] = [];
    for (let i = 0; i < 1000; i++) sizes.push(i % 3 === 0 ? [20, 5] : i % 3 === 1 ? [GRID_SIZE.columns, GRID_SIZE.rows] : [100 + (i % 50), 30 + (i % 10)]);
    const started = Date.now();
    await t.resizeStorm(sizes);
    const stormMs = Date.now() - started;
    // And a thousand bare SIGWINCHes straight at the process (the size does not change).
    for (let i = 0; i < 1000; i++) process.kill(pid!, 'SIGWINCH');
    await t.resize(GRID_SIZE.columns, GRID_SIZE.rows);
    process.stdout.write(`[terminal] 1000 tmux resizes took ${stormMs} ms, then 1000 SIGWINCH signals (reported, not asserted)\n`);
    const screen = await t.waitFor((s) => shownSource(s, 'snowflake') !== undefined && s.match(/1 Containers/g)?.length === 1, SETTLE_MS);
    expect(screen.match(/^sfpipe /gm)).toHaveLength(1);
    expect(await t.childPids()).toContain(pid);
    await expectAnswersKeys(t);
    await t.keys('q');
    expect(await exitCode(t)).toBe(0);
    await expectTerminalRestored(t);
  });

  it('with stdin closed, prints the status picture instead of the console, with status\'s exit code', async () => {
    const t = await shell();
    await t.run(`${sfpipeCommandLine(['console', '--refresh', '1'])} <&-; echo "sfpipe-exit=$?"`);
    const code = await exitCode(t);
    const screen = await t.screen();
    expect(screen).toMatch(/SOURCE +STATUS/);
    expect(screen).toContain('stdin is not a terminal');
    expect(screen).toMatch(/kafka +down/);
    // kafka is down, so status (and the fallback) exits 1
    expect(code).toBe(1);
    await expectTerminalRestored(t);
  });

  it('with stdin from /dev/null the same', async () => {
    const t = await shell();
    await t.run(`${sfpipeCommandLine(['console'])} </dev/null; echo "sfpipe-exit=$?"`);
    expect(await exitCode(t)).toBe(1);
    expect(await t.screen()).toMatch(/SOURCE +STATUS/);
    await expectTerminalRestored(t);
  });

  it('with stdout piped, falls back to `sfpipe status` output: same picture, same exit code', async () => {
    const [asConsole, asStatus] = await Promise.all([runSfpipe(['console'], { cwd: dir, env }), runSfpipe(['status'], { cwd: dir, env })]);
    expect(asConsole.signal).toBeNull();
    expect(asConsole.code).toBe(asStatus.code);
    expect(asConsole.code).toBe(1);
    expect(asConsole.stdout).toMatch(/^SOURCE +STATUS/);
    // the same rows, ignoring ages that may differ by a second
    const rows = (out: string) => out.split('\n').map((l) => l.split(/\s{2,}/)[0]);
    expect(rows(asConsole.stdout)).toEqual(rows(asStatus.stdout));
    expect(asConsole.stdout).not.toContain('\u001b['); // no escape sequence of any kind
    expect(asConsole.stderr).toContain('stdout is not a terminal');
    expect(crashSigns(asConsole.stderr)).toBeUndefined();
  });

  it('piped inside a terminal (`sfpipe | cat`): status output, no escape codes, terminal untouched', async () => {
    const t = await shell();
    await t.run(`${sfpipeCommandLine(['console'])} | cat; echo "sfpipe-exit=\${PIPESTATUS[0]}"`);
    expect(await exitCode(t)).toBe(1);
    const screen = await t.screenWithEscapes();
    expect(screen).toMatch(/SOURCE +STATUS/);
    await expectTerminalRestored(t);
  });

  it('the terminal closed under it (SIGHUP): the console exits and leaves no process behind', async () => {
    const t = await shell();
    await startConsole(t);
    const [pid] = await t.childPids();
    expect(pid).toBeDefined();
    await t.kill();
    const deadline = Date.now() + EXIT_MS;
    while (alive(pid!) && Date.now() < deadline) await sleep(100);
    expect(alive(pid!)).toBe(false);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
