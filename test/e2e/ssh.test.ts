/**
 * `sfpipe serve` with the real OpenSSH client, driven through tmux: keys from ssh-keygen,
 * the serve command run in this process with its flags and key files (so the server's
 * counters and the fake backends' call counters can be read), pollers over in-memory fakes
 * on a manual clock (a refresh happens when the test advances the clock, so "requests per
 * refresh" is exact). Waits are bounded polls of the screen or the counters; nothing asserts
 * on how long anything took.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTools } from '../../harness/apt.js';
import { HarnessPrerequisiteMissing, makeContext } from '../../harness/index.js';
import type { ActionDescriptor } from '../../src/actions/index.js';
import type { Pipeline } from '../../src/app/pipeline.js';
import type { CliIO } from '../../src/cli/commands.js';
import { runServe } from '../../src/commands/serve.js';
import { loadConfig } from '../../src/config/load.js';
import { TOPICS } from '../../src/config/schema.js';
import { ManualClock } from '../../src/domain/clock.js';
import { createFakeServices, fakeConnector, fakeContainer, type FakeServices } from '../../src/services/fakes.js';
import { isUnconfigured } from '../../src/services/types.js';
import type { SshServer } from '../../src/ssh/server.js';

async function toolsReady(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await ensureTools(makeContext({ quiet: true }), ['ssh', 'ssh-keygen', 'tmux']);
    return { ok: true };
  } catch (err) {
    if (err instanceof HarnessPrerequisiteMissing && process.env.REQUIRE_REAL_SERVICES !== '1') {
      process.stderr.write(`\n!!! SKIPPING ssh e2e: ${err.message}\n\n`);
      return { ok: false, reason: err.message };
    }
    throw err;
  }
}
const tools = await toolsReady();

const dir = mkdtempSync(join(tmpdir(), 'sfpipe-ssh-e2e-'));
// A private tmux server (its socket in the temp dir, no user config): nobody else's tmux is touched.
const TMUX_SOCKET = join(dir, 'tmux.sock');
// Neither the user's ssh config nor an agent may change what the client offers.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'SSH_AUTH_SOCK' && k !== 'TMUX'));

let clock: ManualClock;
let fakes: FakeServices;
let pipeline: Pipeline;
let server: SshServer;
let port = 0;
let serving: Promise<number> | undefined;
const interrupt = new AbortController();
const serverLog: string[] = [];
const auditFile = join(dir, 'audit.jsonl');
const REFRESH_MS = 2_000;

function keygen(name: string): { key: string; pub: string; fingerprint: string } {
  const key = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key]);
  // OpenSSH's own idea of the fingerprint: what the server must log and audit.
  const fingerprint = execFileSync('ssh-keygen', ['-lf', `${key}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
  return { key, pub: readFileSync(`${key}.pub`, 'utf8'), fingerprint };
}

let operator: ReturnType<typeof keygen>;
let viewer: ReturnType<typeof keygen>;
let stranger: ReturnType<typeof keygen>;

const sshOptions = (key: string) => [
  '-F', '/dev/null',
  '-p', String(port),
  '-i', key,
  '-o', 'IdentitiesOnly=yes',
  '-o', 'StrictHostKeyChecking=no',
  '-o', 'UserKnownHostsFile=/dev/null',
  '-o', 'BatchMode=yes',
  '-o', 'LogLevel=ERROR',
];
const target = 'demo@127.0.0.1';

/** Run ssh to completion (bounded), collecting its output. */
function runSsh(args: string[], limitMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('ssh', args, { env: cleanEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-S', TMUX_SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8', env: cleanEnv });
}

/** A tmux session whose only process is ssh (exec: the pane's pid is the ssh client). */
function openSession(name: string, key: string, columns = 100, rows = 30): void {
  const command = ['exec', 'ssh', ...sshOptions(key), target].map((a) => `'${a}'`).join(' ');
  tmux('new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), command);
}

function screen(name: string): string {
  try {
    return tmux('capture-pane', '-p', '-t', name);
  } catch {
    return '';
  }
}

async function until(check: () => boolean, what: string, describeState: () => string = () => '', limitMs = 30_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}\n${describeState()}`);
}

const waitForScreen = (name: string, check: (text: string) => boolean, what: string) =>
  until(() => check(screen(name)), `${name}: ${what}`, () => `--- screen of ${name} ---\n${screen(name)}`);

function backendCalls(): number {
  return fakes.docker.control.count() + fakes.kafka.control.count() + fakes.connect.control.count() + fakes.snowflake.control.count();
}

function resetBackendCalls(): void {
  for (const f of [fakes.docker, fakes.kafka, fakes.connect, fakes.snowflake]) f.control.resetCounts();
}

/** Advance the clock one refresh interval at a time and count the backend calls that causes. */
async function callsOverRefreshes(refreshes: number): Promise<number> {
  resetBackendCalls();
  for (let i = 0; i < refreshes; i++) {
    clock.advance(REFRESH_MS);
    await until(() => Object.values(pipeline.pollers.stats()).every((s) => !s.inFlight), 'the pollers to finish a round');
  }
  return backendCalls();
}

const datagen = TOPICS.map((t) => `datagen-${t}`);

/**
 * The pause operation as src/actions describes one, over the fakes (the real runbook waits on
 * the sink draining, which fakes on a manual clock never do). It runs through the same
 * path as the real ones: toKeymapActions → runAction, which refuses read-only sessions and
 * writes the audit log with the session's `who`.
 */
const pauseAction: ActionDescriptor = {
  id: 'pause',
  title: 'Pause the demo',
  dangerous: true,
  needs: ['connect'],
  appliesTo: 'pipeline',
  run: async (ctx) => {
    const connect = ctx.services.connect;
    if (isUnconfigured(connect)) throw new Error(connect.reason);
    for (const name of datagen) await connect.pause(name);
    return { ok: true, message: `paused ${datagen.length} connectors` };
  },
};

const processListeners = () =>
  Object.fromEntries(['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'uncaughtException', 'unhandledRejection'].map((e) => [e, process.listenerCount(e)]));

describe.skipIf(!tools.ok)('sfpipe serve over OpenSSH', () => {
  beforeAll(async () => {
    operator = keygen('operator');
    viewer = keygen('viewer');
    stranger = keygen('stranger');
    writeFileSync(join(dir, 'authorized_keys'), operator.pub + viewer.pub, { mode: 0o600 });
    writeFileSync(join(dir, 'operators'), operator.pub, { mode: 0o600 });

    clock = new ManualClock(Date.UTC(2026, 0, 15, 12));
    fakes = createFakeServices(clock);
    fakes.docker.containers = ['broker', 'connect', 'schema-registry'].map((n) => fakeContainer(n, { startedAt: clock.now() - 3_600_000 }));
    fakes.connect.connectors = [...datagen.map((n) => fakeConnector(n)), fakeConnector('snowflake-sink', { type: 'sink' })];
    for (const t of TOPICS) fakes.kafka.addTopic(t, 1, { ratePerSecond: 10 });
    const io = {
      stdout: { write: () => true },
      stderr: { write: () => true },
      stdin: {},
      env: { HOME: dir, SFPIPE_AUDIT_LOG: auditFile, SFPIPE_LOG_FILE: join(dir, 'sfpipe.log') },
      cwd: dir,
    } as unknown as CliIO;
    const flags = {
      listen: '127.0.0.1:0',
      'authorized-keys': join(dir, 'authorized_keys'),
      operators: join(dir, 'operators'),
      'host-key': join(dir, 'host_key'),
      'max-sessions': 12,
    };
    serving = runServe({ flags, positionals: [] }, io, {
      loadConfig: () => loadConfig({ cwd: dir, env: { HOME: dir }, homedir: dir, flags: {}, skipConnections: true }),
      buildServices: () => fakes,
      clock,
      // a refresh is a clock.advance here: with nobody to advance the clock 100 ms later, the
      // sessions' coalescing window would hold every refresh back (src/store/coalescedReader.ts)
      coalesceMs: 0,
      actions: [pauseAction],
      log: (level, message) => serverLog.push(`${level} ${message}`),
      interrupt: interrupt.signal,
      onListening: (s, address, p) => {
        server = s;
        port = address.port;
        pipeline = p;
      },
    });
    await until(() => port !== 0, 'the server to listen', () => serverLog.join('\n'));
    await until(() => pipeline.store.getState().sources.kafka.status === 'ok', 'the first refresh');
  });

  afterAll(async () => {
    try {
      tmux('kill-server');
    } catch {
      // no session left: the tmux server has already gone
    }
    interrupt.abort();
    if (serving) {
      // serve stops cleanly on its interrupt and closes the services it was given
      expect(await serving).toBe(0);
      expect(fakes.closed).toBe(true);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('a viewer sees the dashboard with live data, and a window resize reaches the session', async () => {
    openSession('viewer', viewer.key, 100, 30);
    await waitForScreen('viewer', (s) => s.includes('READ-ONLY') && s.includes('schema-registry'), 'the dashboard');
    // 100 columns: one pane at a time (tabs), header on two lines; every line starts at the
    // left edge (without CRLF translation frames stair-step across the screen).
    const lines = screen('viewer').split('\n');
    expect(lines[0]).toMatch(/^sfpipe\s/);
    expect(lines[0]).not.toContain('docker');
    expect(lines[2]).toMatch(/^\[1 Containers\] 2 Topics/);
    expect(lines[3]).toMatch(/^╔═+╗$/);
    expect(lines[3]).toHaveLength(100);

    tmux('send-keys', '-t', 'viewer', '2');
    await waitForScreen('viewer', (s) => /\[2 Topics\]/.test(s) && /pageviews/.test(s), 'the Topics tab');
    const row = () => screen('viewer').split('\n').find((l) => l.includes('pageviews')) ?? '';
    const before = row();
    clock.advance(REFRESH_MS);
    await waitForScreen('viewer', () => row() !== before && /\d/.test(row()), 'the pageviews row to move with new offsets');

    tmux('resize-window', '-t', 'viewer', '-x', '160', '-y', '45');
    // 160×45 is a grid: every pane at once, no tab bar, the header on one line.
    await waitForScreen('viewer', (s) => !/\[\d [A-Z]/.test(s) && (s.split('\n')[0] ?? '').includes('docker') && s.includes('Snowflake') && s.includes('Pipeline'), 'the grid layout');
    tmux('resize-window', '-t', 'viewer', '-x', '100', '-y', '30');
    await waitForScreen('viewer', (s) => /\[2 Topics\]/.test(s), 'the tabbed layout again');
  });

  it('refuses an unknown key, a password attempt, exec, sftp and port forwarding', async () => {
    const unknown = await runSsh([...sshOptions(stranger.key), target]);
    expect(unknown.code).toBe(255);
    expect(unknown.stderr).toContain('Permission denied (publickey)');
    expect(serverLog.join('\n')).toContain(`refused (unknown-key): demo@127.0.0.1: ${stranger.fingerprint}: key not in authorized_keys`);

    const password = await runSsh(['-F', '/dev/null', '-p', String(port), '-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', target]);
    expect(password.code).toBe(255);
    expect(password.stderr).toContain('Permission denied (publickey)');
    await until(() => (server.stats().refusals['no-public-key'] ?? 0) >= 1, 'the password attempt to be logged', () => serverLog.join('\n'));

    const exec = await runSsh([...sshOptions(viewer.key), target, 'ls', '/']);
    expect(exec.code).toBe(255);
    expect(exec.stderr).toContain('exec request failed');
    expect(exec.stdout).toBe('');
    const sftp = await runSsh([...sshOptions(viewer.key), '-s', target, 'sftp']);
    expect(sftp.code).toBe(255);
    expect(sftp.stderr).toContain('subsystem request failed');

    // -R: the server refuses the listener; ssh gives up as told.
    const remote = await runSsh([...sshOptions(viewer.key), '-N', '-o', 'ExitOnForwardFailure=yes', '-R', '127.0.0.1:0:127.0.0.1:9', target]);
    expect(remote.code).toBe(255);
    expect(remote.stderr).toMatch(/remote port forwarding failed/);

    // -L: ssh listens locally; a connection through it is refused by the server and closed.
    const localPort = await freePort();
    const forward = spawn('ssh', [...sshOptions(viewer.key), '-N', '-L', `127.0.0.1:${localPort}:127.0.0.1:${port}`, target], { env: cleanEnv, stdio: 'ignore' });
    try {
      await until(() => serverLog.some((l) => l.includes('logged in: viewer') ) && server.stats().connections >= 1, 'the -N connection');
      const before = server.stats().refusals['port-forwarding'] ?? 0;
      const received = await throughTunnel(localPort);
      expect(received).toBe('');
      await until(() => (server.stats().refusals['port-forwarding'] ?? 0) > before, 'the refused forward to be logged', () => serverLog.join('\n'));
      expect(serverLog.join('\n')).toMatch(new RegExp(`refused \\(port-forwarding\\): viewer demo@127\\.0\\.0\\.1 key ${escape(viewer.fingerprint)} \\(viewer\\): direct-tcpip to 127\\.0\\.0\\.1:${port}`));
    } finally {
      forward.kill('SIGKILL');
    }
    expect(server.stats().refusals).toMatchObject({ exec: 1, subsystem: 1 });
  });

  it('gives a session without a terminal the status text', async () => {
    const status = await runSsh([...sshOptions(viewer.key), '-T', target]);
    expect(status.stdout).toMatch(/^SOURCE\s+STATUS\s+AGE\s+DETAIL/);
    expect(status.stdout).toMatch(/connect\s+ok\s+\S+\s+7 connectors/);
    expect(status.code).toBe(0);
  });

  it('a viewer cannot pause; an operator can, and the audit log names the operator key', async () => {
    tmux('send-keys', '-t', 'viewer', 'p');
    await waitForScreen('viewer', (s) => s.includes('Pause the demo is not available: read-only viewer session'), 'the read-only notice');
    expect(fakes.connect.control.count('pause')).toBe(0);

    openSession('operator', operator.key, 100, 30);
    await waitForScreen('operator', (s) => s.includes('OPERATOR') && s.includes('schema-registry'), 'the operator dashboard');
    tmux('send-keys', '-t', 'operator', 'p');
    await waitForScreen('operator', (s) => s.includes('Confirm: Pause the demo'), 'the confirmation');
    tmux('send-keys', '-t', 'operator', 'y');
    await waitForScreen('operator', (s) => s.includes(`paused ${datagen.length} connectors`), 'the result');
    expect(fakes.connect.control.count('pause')).toBe(datagen.length);
    expect(fakes.connect.connectors.filter((c) => c.state === 'PAUSED').map((c) => c.name)).toEqual(datagen);

    const records = readFileSync(auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { who: string; what: string; outcome: string; detail?: string });
    expect(records.map((r) => [r.who, r.what, r.outcome])).toEqual([
      [`ssh:${operator.fingerprint}`, 'pause', 'started'],
      [`ssh:${operator.fingerprint}`, 'pause', 'ok'],
    ]);
    expect(records[1]!.detail).toBe(`paused ${datagen.length} connectors`);

    // Quitting closes just that session.
    tmux('send-keys', '-t', 'operator', 'q');
    await until(() => server.stats().consoles === 1, 'the operator console to close');
    tmux('send-keys', '-t', 'viewer', 'q');
    await until(() => server.stats().sessions === 0 && server.stats().connections === 0, 'every session to close');
  });

  it('ten sessions cost the backends what one does; killing the clients leaves nothing behind', async () => {
    const baseline = { timers: clock.pendingTimers(), listeners: processListeners() };
    expect(server.stats()).toMatchObject({ sessions: 0, consoles: 0, terminals: 0, storeSubscriptions: 0 });

    openSession('s0', viewer.key);
    await waitForScreen('s0', (s) => s.includes('schema-registry'), 'the dashboard');
    const one = await callsOverRefreshes(3);

    resetBackendCalls();
    for (let i = 1; i < 10; i++) openSession(`s${i}`, i % 2 ? viewer.key : operator.key);
    for (let i = 0; i < 10; i++) await waitForScreen(`s${i}`, (s) => s.includes('schema-registry'), 'the dashboard');
    expect(server.stats()).toMatchObject({ sessions: 10, consoles: 10 });
    expect(backendCalls()).toBe(0); // connecting viewers asks the backends nothing
    const ten = await callsOverRefreshes(3);
    process.stderr.write(`[ssh e2e] backend calls over 3 refreshes: 1 session ${one}, 10 sessions ${ten}\n`);
    expect(one).toBeGreaterThan(0);
    expect(ten).toBe(one);

    // Each session has its own focus.
    tmux('send-keys', '-t', 's3', '3');
    await waitForScreen('s3', (s) => s.includes('[3 Connectors]'), 'the Connectors tab');
    expect(screen('s4')).toContain('[1 Containers]');

    const pids = tmux('list-panes', '-a', '-F', '#{pane_pid}').trim().split('\n').map(Number);
    expect(pids).toHaveLength(10);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    await until(
      () => {
        const s = server.stats();
        return s.connections === 0 && s.sessions === 0 && s.consoles === 0 && s.terminals === 0 && s.storeSubscriptions === 0;
      },
      'every killed session to be cleaned up',
      () => JSON.stringify(server.stats()),
    );
    expect(clock.pendingTimers()).toBe(baseline.timers);
    expect(processListeners()).toEqual(baseline.listeners);
    // The pollers never noticed.
    expect(await callsOverRefreshes(1)).toBe(one / 3);
  });

  it('blocks an address after repeated failed logins, even for a good key', async () => {
    // One failure came from the unknown-key test; the default limit is 5 in 10 minutes.
    for (let i = 0; i < 4; i++) expect((await runSsh([...sshOptions(stranger.key), target])).code).toBe(255);
    await until(() => serverLog.some((l) => l.includes('address blocked')), 'the block', () => serverLog.join('\n'));
    const refused = await runSsh([...sshOptions(viewer.key), '-T', target]);
    expect(refused.code).toBe(255);
    expect(refused.stdout).toBe('');
    expect(server.stats().refusals['blocked-address']).toBe(1);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const a = probe.address();
      probe.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** Connect through ssh's -L listener (retrying until ssh listens) and return what came back before it closed. */
async function throughTunnel(localPort: number): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const result = await new Promise<string | undefined>((resolve) => {
      const socket = tcpConnect(localPort, '127.0.0.1');
      let data = '';
      let connected = false;
      socket.on('connect', () => (connected = true));
      socket.on('data', (d: Buffer) => (data += d.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(connected ? data : undefined));
    });
    if (result !== undefined) return result;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`ssh never listened on 127.0.0.1:${localPort}`);
}
