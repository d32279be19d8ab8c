/**
 * The SSH server against a real SSH client (ssh2's, in-process, over 127.0.0.1): what it
 * refuses and logs, the limits, and that sessions leave nothing behind. The OpenSSH client
 * in tmux is exercised by test/e2e/ssh.test.ts.
 */
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { Client, ClientChannel, ConnectConfig, KeyboardInteractiveAuthMethod, PasswordAuthMethod, PublicKeyAuthMethod } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.js';
import { createPipelineStore } from '../store/pipelineStore.js';
import type { DetailsProvider } from '../ui/details/types.js';
import { healthyState } from '../ui/test-utils/fixtures.js';
import { KeyRing, parseAuthorizedKeys } from './auth.js';
import { DEFAULT_LIMITS, type LimitSettings } from './limits.js';
import { SshServer, type SshServerDeps } from './server.js';

const hostKey = ssh2.utils.generateKeyPairSync('ed25519');
const operator = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'operator' });
const viewer = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'viewer' });
const stranger = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'stranger' });
const PASSWORD = 'correct horse battery staple';

interface Harness {
  server: SshServer;
  port: number;
  clock: ManualClock;
  logs: string[];
  refreshes: () => number;
}

const running: { server: SshServer; clients: Client[] }[] = [];

async function start(limits: Partial<LimitSettings> = {}, overrides: Partial<SshServerDeps> = {}): Promise<Harness> {
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 12));
  const keys = parseAuthorizedKeys(`${operator.public}\n${viewer.public}\n`, 'authorized_keys').keys;
  const ring = new KeyRing(keys, new Set([keys[0]!.fingerprint]));
  const logs: string[] = [];
  let refreshes = 0;
  const store = createPipelineStore();
  const server = new SshServer({
    hostKey: { privateKey: hostKey.private },
    keys: ring,
    store,
    refresh: async () => {
      refreshes++;
    },
    statusText: () => ({ text: 'SOURCE  STATUS\ndocker  ok\n', exitCode: 0 }),
    clock,
    limits: { ...DEFAULT_LIMITS, ...limits },
    log: (level, message) => logs.push(`${level} ${message}`),
    ...overrides,
  });
  const { port } = await server.listen('127.0.0.1', 0);
  running.push({ server, clients: [] });
  return { server, port, clock, logs, refreshes: () => refreshes };
}

afterEach(async () => {
  for (const r of running.splice(0)) {
    for (const c of r.clients) c.end();
    await r.server.close();
  }
});

function connect(port: number, config: Partial<ConnectConfig>): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    running.at(-1)?.clients.push(client);
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.once('close', () => reject(new Error('closed before ready')));
    client.connect({ host: '127.0.0.1', port, username: 'demo', readyTimeout: 10_000, ...config });
  });
}

const asOperator = { privateKey: operator.private };
const asViewer = { privateKey: viewer.private };

/** Read a channel until `check` holds on what came so far (bounded: a broken server fails the test, not hangs it). */
function readUntil(stream: ClientChannel, check: (text: string) => boolean, limitMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`never saw what was expected; got:\n${text.slice(-2000)}`)), limitMs);
    const onData = (d: Buffer) => {
      text += d.toString();
      if (check(text)) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve(text);
      }
    };
    stream.on('data', onData);
  });
}

function shell(client: Client, pty: { cols: number; rows: number } | false): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    const cb = (err: Error | undefined, stream: ClientChannel) => (err ? reject(err) : resolve(stream));
    if (pty) client.shell({ term: 'xterm-256color', cols: pty.cols, rows: pty.rows }, cb);
    else client.shell(false, cb);
  });
}

const exitOf = (stream: ClientChannel) => new Promise<number | undefined>((resolve) => stream.once('exit', (code: number | undefined) => resolve(code)));

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('ssh server: authentication', () => {
  it('refuses passwords and keyboard-interactive, logging each without the secret', async () => {
    const h = await start();
    const password: PasswordAuthMethod = { type: 'password', username: 'demo', password: PASSWORD };
    const keyboard: KeyboardInteractiveAuthMethod = { type: 'keyboard-interactive', username: 'demo', prompt: (_n, _i, _l, _p, finish) => finish([PASSWORD]) };
    await expect(connect(h.port, { authHandler: [password] })).rejects.toThrow(/authentication methods failed/);
    await expect(connect(h.port, { authHandler: [keyboard] })).rejects.toThrow(/authentication methods failed/);
    await until(() => h.server.stats().connections === 0, 'connections to close');
    expect(h.server.stats().refusals).toMatchObject({ password: 1, 'keyboard-interactive': 1 });
    expect(h.logs.join('\n')).toMatch(/refused \(password\): demo@127\.0\.0\.1: password authentication is disabled/);
    expect(h.logs.join('\n')).not.toContain(PASSWORD);
  });

  it('refuses an unknown key, and blocks an address after repeated failed logins until the window passes', async () => {
    const h = await start({ maxAuthFailures: 2, authFailureWindowMs: 60_000 });
    for (let i = 0; i < 2; i++) await expect(connect(h.port, { privateKey: stranger.private })).rejects.toThrow(/authentication methods failed/);
    await until(() => h.server.stats().connections === 0, 'connections to close');
    expect(h.server.stats().refusals['unknown-key']).toBe(2);
    // Now even the right key is turned away before any SSH is spoken.
    await expect(connect(h.port, asViewer)).rejects.toThrow();
    expect(h.server.stats().refusals['blocked-address']).toBe(1);
    expect(h.logs.join('\n')).toMatch(/address blocked/);
    h.clock.advance(60_000);
    const client = await connect(h.port, asViewer);
    client.end();
  });

  it('drops a connection that does not log in within the grace time', async () => {
    const h = await start({ loginGraceMs: 30_000 });
    const socket = tcpConnect(h.port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.resume(); // read (and drop) the server's greeting, so the close is seen
    await until(() => h.server.stats().connections === 1, 'the connection to be seen');
    h.clock.advance(30_000);
    await closed;
    await until(() => h.server.stats().connections === 0, 'the server side to close');
    expect(h.server.stats().refusals).toEqual({ 'login-grace': 1 });
  });
});

describe('ssh server: only the console', () => {
  it('refuses exec, sftp, port forwarding both ways, X11 and agent forwarding', async () => {
    const h = await start();
    const client = await connect(h.port, asViewer);
    await expect(new Promise((resolve, reject) => client.exec('cat /etc/passwd', (err, s) => (err ? reject(err) : resolve(s))))).rejects.toThrow();
    await expect(new Promise((resolve, reject) => client.sftp((err, s) => (err ? reject(err) : resolve(s))))).rejects.toThrow();
    await expect(new Promise((resolve, reject) => client.forwardOut('127.0.0.1', 5000, '127.0.0.1', 22, (err, s) => (err ? reject(err) : resolve(s))))).rejects.toThrow(/Channel open failure/);
    await expect(new Promise((resolve, reject) => client.forwardIn('127.0.0.1', 0, (err, p) => (err ? reject(err) : resolve(p))))).rejects.toThrow();
    await expect(new Promise((resolve, reject) => client.shell({ x11: true }, (err, s) => (err ? reject(err) : resolve(s))))).rejects.toThrow();
    const publicKey: PublicKeyAuthMethod = { type: 'publickey', username: 'demo', key: viewer.private };
    const withAgent = await connect(h.port, { agent: join(tmpdir(), 'no-agent.sock'), agentForward: true, authHandler: [publicKey] });
    await expect(new Promise((resolve, reject) => withAgent.shell((err, s) => (err ? reject(err) : resolve(s))))).rejects.toThrow(/agent forwarding/);
    expect(h.server.stats().refusals).toMatchObject({ exec: 1, subsystem: 1, 'port-forwarding': 2, x11: 1, 'agent-forwarding': 1 });
    expect(h.logs.join('\n')).toMatch(/refused \(exec\): viewer demo@127\.0\.0\.1 key SHA256:\S+ \(viewer\): exec "cat \/etc\/passwd"/);
  });

  it('gives a session without a terminal the status text and its exit code', async () => {
    const h = await start();
    const client = await connect(h.port, asViewer);
    const stream = await shell(client, false);
    const exit = exitOf(stream);
    await expect(readUntil(stream, (t) => t.includes('docker  ok'))).resolves.toContain('SOURCE  STATUS');
    expect(await exit).toBe(0);
    await until(() => h.server.stats().sessions === 0, 'the slot to be given back');
  });
});

describe('ssh server: consoles', () => {
  it('serves each key in its role, and turns away sessions beyond the maximum', async () => {
    const h = await start({ maxSessions: 2 });
    const op = await shell(await connect(h.port, asOperator), { cols: 100, rows: 30 });
    await readUntil(op, (t) => t.includes('OPERATOR'));
    const view = await shell(await connect(h.port, asViewer), { cols: 100, rows: 30 });
    await readUntil(view, (t) => t.includes('READ-ONLY'));
    const third = await shell(await connect(h.port, asViewer), { cols: 100, rows: 30 });
    const exit = exitOf(third);
    await readUntil(third, (t) => t.includes('the server is full (2 sessions)'));
    expect(await exit).toBe(1);
    expect(h.server.stats()).toMatchObject({ sessions: 2, consoles: 2, refusals: { 'max-sessions': 1 } });
  });

  it('shares manual refreshes between sessions', async () => {
    const h = await start();
    const a = await shell(await connect(h.port, asViewer), { cols: 100, rows: 30 });
    const b = await shell(await connect(h.port, asViewer), { cols: 100, rows: 30 });
    await readUntil(a, (t) => t.includes('READ-ONLY'));
    await readUntil(b, (t) => t.includes('READ-ONLY'));
    a.write('r');
    await readUntil(a, (t) => t.includes('refresh requested'));
    b.write('r');
    await readUntil(b, (t) => t.includes('refresh requested'));
    expect(h.refreshes()).toBe(1);
    expect(h.server.stats().manualRefreshes).toBe(1);
  });

  it('closes an idle session with a message, and leaves nothing behind', async () => {
    const h = await start({ idleTimeoutMs: 60_000 });
    const client = await connect(h.port, asViewer);
    const stream = await shell(client, { cols: 100, rows: 30 });
    await readUntil(stream, (t) => t.includes('READ-ONLY'));
    expect(h.server.stats().storeSubscriptions).toBeGreaterThan(0);
    const goodbye = readUntil(stream, (t) => t.includes('closing this idle session'));
    h.clock.advance(60_000);
    await goodbye;
    await until(() => h.server.stats().connections === 0, 'the connection to close');
    expect(h.server.stats()).toMatchObject({ sessions: 0, consoles: 0, terminals: 0, storeSubscriptions: 0, refusals: { idle: 1 } });
  });

  it('apologises when the console cannot start, and goes on serving', async () => {
    const h = await start({}, { ink: () => Promise.reject(new Error('ink is broken')) });
    const stream = await shell(await connect(h.port, asViewer), { cols: 100, rows: 30 });
    const exit = exitOf(stream);
    await readUntil(stream, (t) => t.includes('the console could not start'));
    expect(await exit).toBe(1);
    expect(h.logs.join('\n')).toMatch(/cannot start the console for viewer .*: ink is broken/);
    const status = await shell(await connect(h.port, asViewer), false);
    await expect(readUntil(status, (t) => t.includes('docker  ok'))).resolves.toContain('SOURCE');
    await until(() => h.server.stats().sessions === 0 && h.server.stats().terminals === 0, 'the sessions to end');
  });

  it('cleans up after a client that vanishes, without touching other sessions', async () => {
    const h = await start();
    const stay = await shell(await connect(h.port, asViewer), { cols: 100, rows: 30 });
    await readUntil(stay, (t) => t.includes('READ-ONLY'));
    const before = h.server.stats().storeSubscriptions;
    const leaver = await connect(h.port, asViewer);
    const gone = await shell(leaver, { cols: 100, rows: 30 });
    await readUntil(gone, (t) => t.includes('READ-ONLY'));
    // Not a polite exit: the TCP connection is torn down under the session.
    (leaver as unknown as { _sock: { destroy(): void } })._sock.destroy();
    await until(() => h.server.stats().connections === 1 && h.server.stats().consoles === 1, 'the dropped session to be cleaned up');
    expect(h.server.stats()).toMatchObject({ sessions: 1, terminals: 1, storeSubscriptions: before });
    stay.write('?');
    await readUntil(stay, (t) => /help/i.test(t));
  });
});

describe('ssh server: details views', () => {
  // eslint-disable-next-line no-control-regex
  const plain = (t: string) => t.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  /** The console's details over fakes: counts the warehouse-bound table reads. */
  function details(): DetailsProvider & { tableReads: () => number } {
    let tableReads = 0;
    return {
      containerLogs: async () => ['broker: started'],
      connector: async (name) => ({ name, config: {}, state: 'RUNNING', trace: undefined, tasks: [] }),
      topic: async (topic) => ({ topic, partitions: [], messages: [] }),
      table: async (topic) => {
        tableReads++;
        return { table: topic.toUpperCase(), columns: ['RECORD_CONTENT'], rows: [['{"orderid":4242}']], taskRuns: [], notes: [] };
      },
      tableReads: () => tableReads,
    };
  }

  it('a viewer opens container logs but is refused the warehouse-bound table view; an operator gets it', async () => {
    const provider = details();
    const h = await start({}, { details: provider, store: createPipelineStore(healthyState()) });
    const view = await shell(await connect(h.port, asViewer), { cols: 100, rows: 30 });
    await readUntil(view, (t) => t.includes('READ-ONLY'));
    view.write('\r');
    await readUntil(view, (t) => plain(t).includes('broker: started'));
    view.write('q4\r'); // close the logs, focus Snowflake, Enter on its first row
    await readUntil(view, (t) => plain(t).includes('ssh: read-only viewers cannot run warehouse queries; ask an operator'));
    expect(provider.tableReads()).toBe(0);

    const op = await shell(await connect(h.port, asOperator), { cols: 100, rows: 30 });
    await readUntil(op, (t) => t.includes('OPERATOR'));
    op.write('4\r');
    await readUntil(op, (t) => plain(t).includes('{"orderid":4242}'));
    expect(provider.tableReads()).toBe(1);
  });
});
