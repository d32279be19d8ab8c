import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../cli/commands.js';
import { main } from '../cli.js';
import { loadConfig } from '../config/load.js';
import { ManualClock } from '../domain/clock.js';
import { createFakeServices, fakeConnector, fakeContainer, fakeSnowflakeTopic, type FakeServices } from '../services/fakes.js';
import { unconfigured, type Services } from '../services/types.js';
import type { StatusJsonV1 } from '../status/json.js';
import { runStatus, type StatusDeps } from './status.js';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

// A config from an empty directory and environment: defaults only, nothing from this machine.
const home = mkdtempSync(join(tmpdir(), 'sfpipe-status-'));
const baseEnv = { HOME: home, SNOWFLAKE_HOME: join(home, '.snowflake'), XDG_CONFIG_HOME: join(home, '.config') };
afterAll(() => rmSync(home, { recursive: true, force: true }));

function makeIO(env: NodeJS.ProcessEnv = baseEnv, isTTY = false) {
  const stdout = Object.assign(new PassThrough(), { isTTY });
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const io: CliIO = { stdout, stderr, stdin: new PassThrough(), env, cwd: home };
  return { io, out: () => out, err: () => err };
}

function healthyFakes(clock: ManualClock): FakeServices {
  const s = createFakeServices(clock);
  s.docker.containers = [fakeContainer('broker'), fakeContainer('connect')];
  s.kafka.addTopic('orders', 2, { ratePerSecond: 40 }).addTopic('pageviews', 1);
  s.connect.connectors = [fakeConnector('snowflake-sink', { type: 'sink' })];
  s.snowflake.topics = [fakeSnowflakeTopic('orders'), fakeSnowflakeTopic('pageviews')];
  return s;
}

function deps(clock: ManualClock, services: Services, extra: Partial<StatusDeps> = {}): StatusDeps {
  return {
    loadConfig: (args, io) => loadConfig({ cwd: io.cwd, env: io.env, flags: args.flags, homedir: home }),
    buildServices: () => services,
    clock,
    pollers: { random: () => 0 },
    ...extra,
  };
}

/** Run the command while driving the manual clock, until it returns. */
async function drive<T>(clock: ManualClock, pending: Promise<T>, stepMs = 100, maxMs = 10 * 60_000): Promise<{ result: T; elapsed: number }> {
  let done = false;
  let result!: T;
  const start = clock.now();
  void pending.then((r) => {
    done = true;
    result = r;
  });
  await flush();
  while (!done) {
    if (clock.now() - start > maxMs) throw new Error('status did not finish');
    clock.advance(stepMs);
    await flush();
  }
  return { result, elapsed: clock.now() - start };
}

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

describe('sfpipe status', () => {
  it('--json: the documented version-1 shape, exit 0 when every configured source is ok', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 2, 3, 4, 5));
    const services = healthyFakes(clock);
    const { io, out } = makeIO();
    const { result } = await drive(clock, runStatus({ flags: { json: true }, positionals: [] }, io, deps(clock, services)));
    expect(result).toBe(0);
    const json = JSON.parse(out()) as StatusJsonV1;
    expect(json.version).toBe(1);
    expect(json.healthy).toBe(true);
    expect(json.generatedAt).toMatch(/^2026-01-02T03:04:0\d\.\d{3}Z$/);
    expect(Object.keys(json.sources)).toEqual(['docker', 'kafka', 'connect', 'snowflake']);
    for (const s of Object.values(json.sources)) {
      expect(s.status).toBe('ok');
      expect(typeof s.ageMs).toBe('number');
      expect(s.updatedAt).toMatch(/Z$/);
      expect(s.error).toBeUndefined();
    }
    // configured topics in their order (the defaults: the six demo topics)
    expect(json.topics.map((t) => t.name)).toEqual(['pageviews', 'orders', 'ratings', 'stock_trades', 'users', 'clickstream']);
    const orders = json.topics.find((t) => t.name === 'orders')!;
    expect(orders.ratePerSecond).toBe(40);
    expect(orders.partitions).toBe(2);
    expect(orders.funnel.produced).toBeGreaterThan(0);
    expect(orders.funnel).toHaveProperty('sinkLag');
    expect(orders.funnel.verdict.waitingAt).toBeTypeOf('string');
    expect(json.topics.find((t) => t.name === 'ratings')!.funnel.verdict).toMatchObject({ waitingAt: 'unknown', explanation: 'topic ratings not found in Kafka' });
    expect(services.closed).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('exit 1 when a configured source is down, with its error kind; unconfigured sources do not count', async () => {
    const clock = new ManualClock(0);
    const fakes = healthyFakes(clock);
    fakes.connect.control.failWith('unreachable', 'connect ECONNREFUSED 127.0.0.1:8083');
    const services = { ...fakes, snowflake: unconfigured('no Snowflake connection configured') };
    const { io, out } = makeIO();
    const { result } = await drive(clock, runStatus({ flags: { json: true }, positionals: [] }, io, deps(clock, services)));
    expect(result).toBe(1);
    const json = JSON.parse(out()) as StatusJsonV1;
    expect(json.healthy).toBe(false);
    expect(json.sources.connect).toMatchObject({ status: 'down', updatedAt: null, ageMs: null, error: { kind: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:8083' } });
    expect(json.sources.snowflake).toMatchObject({ status: 'unconfigured', error: { message: 'no Snowflake connection configured' } });

    fakes.connect.control.heal();
    const again = makeIO();
    const ok = await drive(clock, runStatus({ flags: { json: true }, positionals: [] }, again.io, deps(clock, services)));
    expect(ok.result).toBe(0);
  });

  it('never hangs: hung backends become timeouts within the per-source timeouts', async () => {
    const clock = new ManualClock(0);
    const services = healthyFakes(clock);
    for (const s of [services.docker, services.kafka, services.connect, services.snowflake]) s.control.hang({ ignoreAbort: true });
    const { io, out } = makeIO();
    const { result, elapsed } = await drive(clock, runStatus({ flags: { json: true }, positionals: [] }, io, deps(clock, services)));
    expect(result).toBe(1);
    // bounded by the longest per-source timeout (snowflake metadata, 15 s) — clock time, not wall time
    expect(elapsed).toBeLessThanOrEqual(15_000 + 200);
    const json = JSON.parse(out()) as StatusJsonV1;
    for (const s of Object.values(json.sources)) expect(s.error?.kind).toBe('timeout');
    services.kafka.control.releaseHung();
    await flush();
  });

  it('prints a readable table: sources with status and age, topics with rate and verdict', async () => {
    const clock = new ManualClock(0);
    const fakes = healthyFakes(clock);
    fakes.kafka.control.failWith('timeout', 'no answer within 5s');
    const { io, out } = makeIO();
    const { result } = await drive(clock, runStatus({ flags: {}, positionals: [] }, io, deps(clock, fakes)));
    expect(result).toBe(1);
    const lines = out().split('\n');
    expect(lines[0]).toMatch(/^SOURCE\s+STATUS\s+AGE\s+DETAIL$/);
    expect(lines.find((l) => l.startsWith('docker'))).toMatch(/^docker\s+ok\s+0s\s+2 containers, 2 running$/);
    expect(lines.find((l) => l.startsWith('kafka'))).toMatch(/^kafka\s+down\s+-\s+timeout: no answer within 5s$/);
    expect(out()).toMatch(/TOPIC\s+MSG\/S\s+PRODUCED\s+SINK LAG\s+RAW\s+STREAM\s+EXTRACTED\s+VERDICT/);
    expect(lines.find((l) => l.startsWith('orders'))).toMatch(/unknown: kafka is down: produced and committed counts unknown$/);
  });

  it('never prints a secret from the configuration, even inside an error', async () => {
    const clock = new ManualClock(0);
    const fakes = healthyFakes(clock);
    const passphrase = 'correct-horse-battery-staple';
    fakes.snowflake.control.failWith('auth', `JWT token invalid for key with passphrase ${passphrase} at https://admin:hunter22@127.0.0.1:8080/session`);
    const env = { ...baseEnv, SNOWFLAKE_ACCOUNT: 'myaccount', SNOWFLAKE_USER: 'KAFKA_DEMO', PRIVATE_KEY_PASSPHRASE: passphrase };
    for (const json of [true, false]) {
      const { io, out } = makeIO(env);
      await drive(clock, runStatus({ flags: { json }, positionals: [] }, io, deps(clock, fakes)));
      expect(out()).toContain('JWT token invalid');
      expect(out()).not.toContain(passphrase);
      expect(out()).not.toContain('hunter22');
    }
  });

  it('--watch refreshes until interrupted, then stops every poller and closes the services', async () => {
    const clock = new ManualClock(0);
    const services = healthyFakes(clock);
    const interrupt = new AbortController();
    const { io, out } = makeIO(baseEnv, true);
    const pending = runStatus({ flags: { watch: true }, positionals: [] }, io, deps(clock, services, { interrupt: interrupt.signal }));
    for (let i = 0; i < 100; i++) {
      clock.advance(100);
      await flush();
    }
    // three refreshes (2 s each) in 10 s of clock after the first picture
    expect(out().split('\x1b[H\x1b[2J').length - 1).toBeGreaterThanOrEqual(5);
    services.docker.control.failWith('unreachable', 'engine gone');
    for (let i = 0; i < 100; i++) {
      clock.advance(100);
      await flush();
    }
    interrupt.abort();
    const code = await pending;
    expect(code).toBe(1);
    expect(out()).toContain('engine gone');
    expect(services.closed).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('--watch --json prints one compact JSON object per refresh', async () => {
    const clock = new ManualClock(0);
    const services = healthyFakes(clock);
    const interrupt = new AbortController();
    const { io, out } = makeIO();
    const pending = runStatus({ flags: { watch: true, json: true }, positionals: [] }, io, deps(clock, services, { interrupt: interrupt.signal }));
    for (let i = 0; i < 50; i++) {
      clock.advance(100);
      await flush();
    }
    interrupt.abort();
    expect(await pending).toBe(0);
    const lines = out().trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect((JSON.parse(l) as StatusJsonV1).version).toBe(1);
  });

  it('the real command shows an engine that does not answer as down with its error kind, and no pretend data', async () => {
    // a loopback port nothing listens on (bound, then released): connections are refused at once
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = srv.address() as AddressInfo;
        srv.close(() => resolve(p));
      });
    });
    const { io, out, err } = makeIO({ ...baseEnv, SFPIPE_KAFKA_BROKERS: `127.0.0.1:${port}`, SFPIPE_LOG_FILE: join(home, 'sfpipe.log') });
    const code = await main(['status', '--json'], io);
    expect(err()).toBe('');
    expect(code).toBe(1);
    const json = JSON.parse(out()) as StatusJsonV1;
    expect(json.sources.kafka.status).toBe('down');
    expect(json.sources.kafka.error?.kind).toBe('unreachable');
    for (const s of Object.values(json.sources)) expect(s.status).not.toBe('ok');
    expect(json.topics.every((t) => t.funnel.verdict.waitingAt === 'unknown' && t.funnel.produced === null)).toBe(true);
  });

  it('bad configuration is an invalid-input error naming where it came from (exit 2)', async () => {
    const { io, err } = makeIO({ ...baseEnv, SFPIPE_KAFKA_BROKERS: 'not a broker list::' });
    const code = await main(['status'], io);
    expect(code).toBe(2);
    expect(err()).toContain('SFPIPE_KAFKA_BROKERS');
  });
});
