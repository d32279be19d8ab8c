/**
 * The local console's wiring over fakes: operations bound to the local user (audited as
 * local:<user>, refused in read-only mode) and details served from the services. The terminal
 * side (alternate screen, signals) is console.test.ts; the real terminal is test/e2e/console.test.ts.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localActor, MemoryAuditLog } from '../audit/auditLog.js';
import type { CliIO } from '../cli/commands.js';
import { loadConfig } from '../config/load.js';
import { ManualClock } from '../domain/clock.js';
import { TOPICS } from '../config/schema.js';
import { createFakeServices, fakeConnector, fakeSnowflakeTopic, type FakeServices } from '../services/fakes.js';
import type { ProcessLike } from '../ui/terminal/fullscreen.js';
import { runConsole, type ConsoleCommandDeps } from './console.js';

class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 160;
  rows = 45;
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

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function setup() {
  const home = mkdtempSync(join(tmpdir(), 'sfpipe-console-wiring-'));
  dirs.push(home);
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const env = { HOME: home, SFPIPE_STATE_DIR: join(home, 'state') };
  const io = { stdout, stdin, stderr: new FakeStdout(), env, cwd: home } as unknown as CliIO;
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 12));
  const services: FakeServices = createFakeServices(clock);
  // the pipeline's connectors, paused (resume checks they are all deployed); the first in the list has a trace
  services.connect.connectors = [
    ...TOPICS.map((t) =>
      fakeConnector(`datagen-${t}`, {
        state: 'PAUSED',
        tasks: [{ id: 0, state: 'PAUSED', workerId: 'w1', trace: t === 'clickstream' ? 'a task trace line' : undefined }],
        config: { 'kafka.topic': t },
      }),
    ),
    fakeConnector('snowflake-sink', { type: 'sink', state: 'PAUSED', tasks: [{ id: 0, state: 'PAUSED', workerId: 'w1', trace: undefined }] }),
  ];
  // resume's first step resumes the extraction tasks: they have to exist
  services.snowflake.topics = TOPICS.map((topic) => {
    const t = fakeSnowflakeTopic(topic);
    return { ...t, task: { ...t.task!, state: 'suspended' } };
  });
  const audit = new MemoryAuditLog(clock);
  const deps: ConsoleCommandDeps = {
    loadConfig: () => loadConfig({ cwd: home, env, homedir: home, flags: {}, skipConnections: true }),
    buildServices: () => services,
    clock,
    audit,
    proc: new FakeProcess(),
    patchConsole: false,
  };
  return { io, stdout, stdin, services, audit, deps };
}

/** Bounded wait for the console to get somewhere (Ink loads lazily); a broken console fails, not hangs. */
async function until(check: () => boolean, what: string, stdout: FakeStdout): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}; last output:\n${stdout.written.slice(-3000)}`);
}

describe('sfpipe console wiring', () => {
  it('runs an operation from its key as the local user, audited and recorded in the event log', async () => {
    const t = setup();
    const done = runConsole({ flags: {}, positionals: [] }, t.io, t.deps);
    await until(() => t.stdout.written.includes('datagen-orders'), 'the connector on screen', t.stdout);
    t.stdin.type('P'); // resume the pipeline: not dangerous, so no confirmation
    await until(() => t.services.connect.connectors[0]!.state === 'RUNNING', 'the connector resumed', t.stdout);
    await until(() => t.audit.records.some((r) => r.outcome !== 'started'), 'the outcome in the audit log', t.stdout);
    expect(t.audit.records.map((r) => [r.who, r.what, r.outcome])).toEqual([
      [localActor(t.io.env), 'resume', 'started'],
      [localActor(t.io.env), 'resume', 'ok'],
    ]);
    expect(localActor(t.io.env)).toMatch(/^local:\S+/);
    t.stdin.type('q');
    expect(await done).toBe(0);
  });

  it('in read-only mode the same key is refused with the reason, and nothing runs', async () => {
    const t = setup();
    const done = runConsole({ flags: { 'read-only': true }, positionals: [] }, t.io, t.deps);
    await until(() => t.stdout.written.includes('datagen-orders'), 'the connector on screen', t.stdout);
    t.stdin.type('P');
    await until(() => t.stdout.written.includes('Resume the pipeline is not available: read-only mode (--read-only)'), 'the refusal on the status line', t.stdout);
    expect(t.services.connect.control.count('resume')).toBe(0);
    expect(t.audit.records.filter((r) => r.outcome !== 'refused')).toEqual([]);
    t.stdin.type('q');
    expect(await done).toBe(0);
  });

  it('Enter on a connector shows its details from the services', async () => {
    const t = setup();
    const done = runConsole({ flags: {}, positionals: [] }, t.io, t.deps);
    await until(() => t.stdout.written.includes('datagen-orders'), 'the connector on screen', t.stdout);
    t.stdin.type('3');
    await until(() => t.stdout.written.slice(-20_000).includes('║3 Connectors'), 'the connectors pane focused', t.stdout);
    t.stdin.type('\r');
    await until(() => t.stdout.written.includes('a task trace line'), 'the task trace in the details view', t.stdout);
    expect(t.stdout.written).toContain('kafka.topic = clickstream');
    const before = t.stdout.written.length;
    t.stdin.type('q'); // closes the details view …
    await until(() => t.stdout.written.slice(before).includes('║3 Connectors'), 'the panes back', t.stdout);
    t.stdin.type('q'); // … and then quits
    expect(await done).toBe(0);
  });
});
