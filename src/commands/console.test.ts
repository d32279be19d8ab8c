import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../cli/commands.js';
import { ManualClock } from '../domain/clock.js';
import { unconfigured, type Services } from '../services/types.js';
import { ENTER_ALT_SCREEN, HIDE_CURSOR, LEAVE_ALT_SCREEN, SHOW_CURSOR, type ProcessLike } from '../ui/terminal/fullscreen.js';
import { runConsole, type ConsoleCommandDeps } from './console.js';
import { loadConfig } from '../config/load.js';

/** A terminal as Ink sees one: a TTY stdout with a size, a raw-mode stdin. */
class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  written = '';
  write(chunk: string) {
    this.written += chunk;
    return true;
  }
}
class FakeStdin extends EventEmitter {
  isTTY = true;
  private queue: string[] = [];
  setRawMode() {}
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read() {
    return this.queue.shift() ?? null;
  }
  type(s: string) {
    this.queue.push(s);
    this.emit('readable');
  }
}
class FakeProcess extends EventEmitter implements ProcessLike {
  exit() {}
}

function setup(tty = true) {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const stderr = new FakeStdout();
  stdout.isTTY = tty;
  const io = { stdout, stdin, stderr, env: { HOME: '/nonexistent' }, cwd: '/nonexistent' } as unknown as CliIO;
  let closed = 0;
  const services: Services = {
    docker: unconfigured('no engine in this test'),
    kafka: unconfigured('no broker in this test'),
    connect: unconfigured('no worker in this test'),
    snowflake: unconfigured('no connection in this test'),
    close: async () => {
      closed++;
    },
  };
  const proc = new FakeProcess();
  const deps: ConsoleCommandDeps = {
    loadConfig: () => loadConfig({ cwd: '/nonexistent', env: { HOME: '/nonexistent' }, homedir: '/nonexistent', flags: {}, skipConnections: true }),
    buildServices: () => services,
    clock: new ManualClock(Date.UTC(2026, 0, 15, 12)),
    proc,
    patchConsole: false,
  };
  return { io, stdout, stdin, stderr, deps, proc, closed: () => closed };
}

/** Wait for the console to get somewhere (Ink and the app load lazily); bounded so a broken console fails, not hangs. */
const until = async (check: () => boolean) => {
  for (let i = 0; i < 1500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('sfpipe console', () => {
  it('without a terminal on stdout prints the status picture instead, with its exit code', async () => {
    const t = setup(false);
    expect(await runConsole({ flags: {}, positionals: [] }, t.io, t.deps)).toBe(0);
    expect(t.stderr.written).toContain('printing `sfpipe status`');
    expect(t.stdout.written).toMatch(/^SOURCE +STATUS/);
    expect(t.stdout.written).toContain('no broker in this test');
    expect(t.stdout.written).not.toContain(ENTER_ALT_SCREEN);
    expect(t.closed()).toBe(1);
  });

  it('without a terminal on stdin (closed, /dev/null) prints the status picture too', async () => {
    const t = setup();
    t.stdin.isTTY = false;
    expect(await runConsole({ flags: {}, positionals: [] }, t.io, t.deps)).toBe(0);
    expect(t.stderr.written).toContain('stdin is not a terminal');
    expect(t.stdout.written).toMatch(/^SOURCE +STATUS/);
    expect(t.stdout.written).not.toContain(ENTER_ALT_SCREEN);
  });

  it('opens on the alternate screen, shows the panes, and q restores the terminal', async () => {
    const t = setup();
    const done = runConsole({ flags: {}, positionals: [] }, t.io, t.deps);
    await until(() => t.stdout.written.includes('1 Containers'));
    expect(t.stdout.written.startsWith(ENTER_ALT_SCREEN + HIDE_CURSOR)).toBe(true);
    expect(t.stdout.written).toContain('No engine in this test.');
    t.stdin.type('q');
    expect(await done).toBe(0);
    expect(t.stdout.written.endsWith(SHOW_CURSOR + LEAVE_ALT_SCREEN)).toBe(true);
    expect(t.closed()).toBe(1);
    expect(t.proc.eventNames()).toEqual([]);
  });

  it('SIGTERM unmounts, restores the terminal and exits 143', async () => {
    const t = setup();
    const done = runConsole({ flags: {}, positionals: [] }, t.io, t.deps);
    await until(() => t.stdout.written.includes('1 Containers'));
    t.proc.emit('SIGTERM');
    expect(await done).toBe(143);
    expect(t.stdout.written.endsWith(SHOW_CURSOR + LEAVE_ALT_SCREEN)).toBe(true);
  });

  it('a SIGTERM while the console is still starting stops it too', async () => {
    const t = setup();
    const done = runConsole({ flags: {}, positionals: [] }, t.io, t.deps);
    await until(() => t.proc.listenerCount('SIGTERM') > 0);
    t.proc.emit('SIGTERM');
    expect(await done).toBe(143);
    expect(t.stdout.written.endsWith(SHOW_CURSOR + LEAVE_ALT_SCREEN)).toBe(true);
  });

  it('--read-only shows READ-ONLY in the header', async () => {
    const t = setup();
    const done = runConsole({ flags: { 'read-only': true }, positionals: [] }, t.io, t.deps);
    await until(() => t.stdout.written.includes('READ-ONLY'));
    expect(t.stdout.written).toContain('READ-ONLY');
    t.stdin.type('\x03');
    expect(await done).toBe(0);
  });
});
