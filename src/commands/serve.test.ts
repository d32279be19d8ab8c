import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../audit/auditLog.js';
import type { CliIO } from '../cli/commands.js';
import { loadConfig } from '../config/load.js';
import { ManualClock } from '../domain/clock.js';
import { SfpipeError } from '../domain/errors.js';
import { createFakeServices, fakeContainer, fakeSnowflakeTopic } from '../services/fakes.js';
import type { SshServer } from '../ssh/server.js';
import { runServe, type ServeDeps } from './serve.js';

const viewer = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'viewer' });

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup() {
  const home = mkdtempSync(join(tmpdir(), 'sfpipe-serve-'));
  made.push(home);
  const authorizedKeys = join(home, 'authorized_keys');
  writeFileSync(authorizedKeys, `${viewer.public}\n`, { mode: 0o600 });
  const hostKey = join(home, 'state', 'host_key');
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 12));
  const services = createFakeServices(clock);
  services.docker.containers = [fakeContainer('broker')];
  const logs: string[] = [];
  const stderr: string[] = [];
  const io = {
    stdout: { write: () => true },
    stderr: { write: (s: string) => stderr.push(s) },
    stdin: {},
    env: { HOME: home, SFPIPE_LOG_FILE: join(home, 'sfpipe.log') },
    cwd: home,
  } as unknown as CliIO;
  const interrupt = new AbortController();
  let server: SshServer | undefined;
  let port = 0;
  const deps: ServeDeps = {
    loadConfig: () => loadConfig({ cwd: home, env: { HOME: home }, homedir: home, flags: {}, skipConnections: true }),
    buildServices: () => services,
    clock,
    audit: new MemoryAuditLog(clock),
    log: (level, message) => logs.push(`${level} ${message}`),
    interrupt: interrupt.signal,
    onListening: (s, address) => {
      server = s;
      port = address.port;
    },
  };
  const flags = { listen: '127.0.0.1:0', 'authorized-keys': authorizedKeys, 'host-key': hostKey };
  return { home, hostKey, services, logs, stderr, io, interrupt, deps, flags, server: () => server, port: () => port };
}

async function thrown(p: Promise<unknown>): Promise<SfpipeError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SfpipeError) return err;
    throw err;
  }
  throw new Error('expected an SfpipeError');
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function statusOverSsh(port: number): Promise<{ text: string; code: number | undefined }> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.once('error', reject);
    client.once('ready', () =>
      client.shell(false, (err: Error | undefined, stream: ClientChannel) => {
        if (err) return reject(err);
        let text = '';
        let code: number | undefined;
        stream.on('data', (d: Buffer) => (text += d.toString()));
        stream.once('exit', (c: number) => (code = c));
        stream.once('close', () => {
          client.end();
          resolve({ text, code });
        });
      }),
    );
    client.connect({ host: '127.0.0.1', port, username: 'demo', privateKey: viewer.private, readyTimeout: 10_000 });
  });
}

describe('sfpipe serve', () => {
  it('refuses a non-loopback address without --allow-remote, creating nothing', async () => {
    const t = setup();
    const err = await thrown(runServe({ flags: { ...t.flags, listen: '0.0.0.0:2222' }, positionals: [] }, t.io, t.deps));
    expect(err.kind).toBe('invalid-input');
    expect(err.describe()).toMatch(/--allow-remote/);
    expect(existsSync(t.hostKey)).toBe(false);
  });

  it('refuses bad limits and a missing authorized_keys, creating nothing', async () => {
    const t = setup();
    expect((await thrown(runServe({ flags: { ...t.flags, 'max-sessions': 0 }, positionals: [] }, t.io, t.deps))).describe()).toMatch(/--max-sessions/);
    const missing = await thrown(runServe({ flags: { ...t.flags, 'authorized-keys': join(t.home, 'nope') }, positionals: [] }, t.io, t.deps));
    expect(missing.kind).toBe('not-found');
    expect(existsSync(t.hostKey)).toBe(false);
  });

  it('serves the status to a session without a terminal, stops on interrupt, and reuses its host key', async () => {
    const t = setup();
    const running = runServe({ flags: t.flags, positionals: [] }, t.io, t.deps);
    await until(() => t.server() !== undefined, 'the server to listen');
    expect(statSync(t.hostKey).mode & 0o777).toBe(0o600);
    const first = t.logs.find((l) => l.includes('host key'))!;
    expect(first).toMatch(/host key SHA256:\S+ \(generated/);
    const { text, code } = await statusOverSsh(t.port());
    expect(text).toMatch(/docker\s+ok\s+.*1 containers, 1 running/);
    expect(code).toBe(0);
    t.interrupt.abort();
    await expect(running).resolves.toBe(0);
    expect(t.services.closed).toBe(true);
    expect(t.server()!.stats().connections).toBe(0);

    const again = { ...t, logs: [] as string[] };
    const interrupt = new AbortController();
    const second = runServe({ flags: t.flags, positionals: [] }, t.io, { ...t.deps, interrupt: interrupt.signal, log: (l, m) => again.logs.push(`${l} ${m}`) });
    await until(() => again.logs.some((l) => l.includes('listening on')), 'the second server to listen');
    expect(again.logs.find((l) => l.includes('host key'))).toBe(first.replace('generated', 'reused'));
    interrupt.abort();
    await expect(second).resolves.toBe(0);
  });
});

describe('sfpipe serve: details views', () => {
  // eslint-disable-next-line no-control-regex
  const plain = (t: string) => t.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

  function consoleOverSsh(port: number): Promise<{ client: InstanceType<typeof ssh2.Client>; stream: ClientChannel }> {
    return new Promise((resolve, reject) => {
      const client = new ssh2.Client();
      client.once('error', reject);
      client.once('ready', () =>
        client.shell({ term: 'xterm-256color', cols: 100, rows: 30 }, (err: Error | undefined, stream: ClientChannel) => (err ? reject(err) : resolve({ client, stream }))),
      );
      client.connect({ host: '127.0.0.1', port, username: 'demo', privateKey: viewer.private, readyTimeout: 10_000 });
    });
  }

  function readUntil(stream: ClientChannel, check: (text: string) => boolean): Promise<string> {
    return new Promise((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`never saw what was expected; got:\n${plain(text).slice(-2000)}`)), 15_000);
      const onData = (d: Buffer) => {
        text += d.toString();
        if (check(plain(text))) {
          clearTimeout(timer);
          stream.off('data', onData);
          resolve(text);
        }
      };
      stream.on('data', onData);
    });
  }

  it('gives sessions the console’s details (no more "no live connection"); a viewer is kept off the warehouse', async () => {
    const t = setup();
    t.services.docker.logLines.set('id-broker', ['broker: ready to serve']);
    t.services.snowflake.topics = [fakeSnowflakeTopic('orders')];
    const running = runServe({ flags: t.flags, positionals: [] }, t.io, t.deps);
    await until(() => t.server() !== undefined, 'the server to listen');
    const { client, stream } = await consoleOverSsh(t.port());
    await readUntil(stream, (s) => s.includes('READ-ONLY') && s.includes('broker'));
    stream.write('\r');
    await readUntil(stream, (s) => s.includes('broker: ready to serve'));
    expect(t.services.docker.control.count('logs')).toBe(1);
    stream.write('q4\r');
    await readUntil(stream, (s) => s.includes('read-only viewers cannot run warehouse queries; ask an operator'));
    expect(t.services.snowflake.control.count('latestRows')).toBe(0);
    client.end();
    t.interrupt.abort();
    await expect(running).resolves.toBe(0);
  });
});
