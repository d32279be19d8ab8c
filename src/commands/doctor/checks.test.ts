import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { ConnectionOptions } from 'snowflake-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { SfpipeError } from '../../domain/errors.js';
import { generateKeyPair } from '../../keypair/generate.js';
import { writeKeyPair } from '../../keypair/files.js';
import { runDoctor } from '../doctor.js';
import { checkConnect, checkDocker, checkNode, checkPorts, checkSnowflake, dockerTarget } from './checks.js';
import type { HttpJson, HttpTarget, Probes } from './probes.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sfpipe-doctor-'));
  mkdirSync(join(root, 'home'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const config = (env: NodeJS.ProcessEnv = {}, flags: Record<string, unknown> = {}) => loadConfig({ cwd: root, env, flags, homedir: join(root, 'home') });

type Routes = Record<string, HttpJson | SfpipeError>;

/** Fake probes: HTTP answers by URL, ports by number, and a record of every Snowflake login. */
function fakeProbes(opts: { routes?: Routes; open?: Record<number, 'kafka' | 'other'>; compose?: boolean; node?: string; login?: (o: ConnectionOptions) => void } = {}) {
  const logins: ConnectionOptions[] = [];
  const probes: Probes = {
    nodeVersion: () => opts.node ?? '20.11.1',
    httpJson: async (t: HttpTarget) => {
      const key = t.socketPath ? `unix:${t.socketPath}` : t.url;
      const r = opts.routes?.[key];
      if (r === undefined) throw new SfpipeError('unreachable', 'connect', `connect ECONNREFUSED ${key}`);
      if (r instanceof SfpipeError) throw r;
      return r;
    },
    tcp: async (_h, port) => (opts.open?.[port] ? 'open' : 'closed'),
    speaksKafka: async (_h, port) => opts.open?.[port] === 'kafka',
    compose: async () => (opts.compose === false ? undefined : { command: 'docker-compose', version: '1.29.2' }),
    snowflakeLogin: async (o) => {
      logins.push(o);
      opts.login?.(o);
    },
  };
  return { probes, logins };
}

describe('checkNode', () => {
  it('wants Node 20 or newer', () => {
    expect(checkNode(fakeProbes({ node: '20.0.0' }).probes).status).toBe('ok');
    expect(checkNode(fakeProbes({ node: '22.3.0' }).probes).status).toBe('ok');
    const old = checkNode(fakeProbes({ node: '18.19.0' }).probes);
    expect(old.status).toBe('fail');
    expect(old.fix).toContain('Node.js 20');
  });
});

describe('checkDocker', () => {
  it('pings the engine at the configured DOCKER_HOST and finds compose', async () => {
    const { probes } = fakeProbes({ routes: { 'unix:/run/x.sock': { status: 200, body: { Version: '26.1.5' } } } });
    const [engine, compose] = await checkDocker(config({ DOCKER_HOST: 'unix:///run/x.sock' }), probes);
    expect(engine).toMatchObject({ status: 'ok', detail: 'Docker Engine 26.1.5 at unix:///run/x.sock' });
    expect(compose).toMatchObject({ status: 'ok', detail: 'docker-compose 1.29.2' });
  });

  it('says what to do when the engine or compose is missing', async () => {
    const { probes } = fakeProbes({ compose: false });
    const [engine, compose] = await checkDocker(config({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }), probes);
    expect(engine!.status).toBe('fail');
    expect(engine!.detail).toContain('tcp://127.0.0.1:2375');
    expect(engine!.fix).toContain('DOCKER_HOST');
    expect(compose).toMatchObject({ status: 'fail' });
    expect(compose!.fix).toContain('docker-compose');
  });

  it('maps DOCKER_HOST forms to API targets', () => {
    expect(dockerTarget('unix:///var/run/docker.sock')).toEqual({ url: 'http://localhost/version', socketPath: '/var/run/docker.sock' });
    expect(dockerTarget('tcp://127.0.0.1:2375')).toEqual({ url: 'http://127.0.0.1:2375/version' });
    expect(dockerTarget('ssh://me@host')).toHaveProperty('unsupported');
  });
});

describe('checkPorts', () => {
  it('free ports are fine, ports answering as the stack are fine, anything else is a problem', async () => {
    const { probes } = fakeProbes({
      open: { 9092: 'kafka', 8083: 'other' },
      routes: { 'http://127.0.0.1:8083/': { status: 200, body: '<html>' } },
    });
    const results = await checkPorts(config(), probes);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['port kafka 9092', 'ok'],
      ['port schema-registry 8081', 'ok'],
      ['port connect 8083', 'fail'],
    ]);
    expect(results[0]!.detail).toContain('answers as a Kafka broker');
    expect(results[1]!.detail).toContain('free');
    expect(results[2]!.fix).toContain('SFPIPE_CONNECT_URL');
  });

  it('recognises Connect and Schema Registry by their answers, and skips remote hosts', async () => {
    const { probes } = fakeProbes({
      open: { 8083: 'other', 8081: 'other' },
      routes: { 'http://127.0.0.1:8083/': { status: 200, body: { version: '8.3.1-ccs' } }, 'http://127.0.0.1:8081/subjects': { status: 200, body: [] } },
    });
    const results = await checkPorts(config({ SFPIPE_KAFKA_BROKERS: 'kafka.example.com:9092' }), probes);
    expect(results.map((r) => r.status)).toEqual(['skip', 'ok', 'ok']);
    expect(results[2]!.detail).toContain('Kafka Connect 8.3.1-ccs');
  });
});

describe('checkConnect', () => {
  const base = 'http://127.0.0.1:18083';
  it('reports missing plugins with the fix', async () => {
    const { probes } = fakeProbes({
      routes: {
        [`${base}/`]: { status: 200, body: { version: '3.9.1', commit: 'x' } },
        [`${base}/connector-plugins`]: { status: 200, body: [{ class: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink' }] },
      },
    });
    const results = await checkConnect(config({ SFPIPE_CONNECT_URL: base }), probes);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['connect', 'ok'],
      ['connect plugin datagen', 'fail'],
      ['connect plugin snowflake v4', 'fail'],
    ]);
    expect(results[1]!.fix).toContain('confluentinc/kafka-connect-datagen:');
    expect(results[2]!.detail).toContain('SnowflakeStreamingSinkConnector');
  });

  it('checks the v3 class when configured, and passes when both are there', async () => {
    writeFileSync(join(root, 'sfpipe.toml'), '[connect]\nconnector_version = "v3"\n');
    const { probes } = fakeProbes({
      routes: {
        'http://127.0.0.1:8083/': { status: 200, body: { version: '8.3.1' } },
        'http://127.0.0.1:8083/connector-plugins': {
          status: 200,
          body: [{ class: 'io.confluent.kafka.connect.datagen.DatagenConnector' }, { class: 'com.snowflake.kafka.connector.SnowflakeSinkConnector' }],
        },
      },
    });
    const results = await checkConnect(config(), probes);
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(results[2]!.id).toBe('connect plugin snowflake v3');
  });

  it('an absent worker is a warning (the stack may not be up yet); garbage is a failure', async () => {
    expect((await checkConnect(config(), fakeProbes().probes)).map((r) => r.status)).toEqual(['warn', 'skip']);
    const garbled = fakeProbes({ routes: { 'http://127.0.0.1:8083/': new SfpipeError('bad-response', 'connect', 'not JSON') } });
    expect((await checkConnect(config(), garbled.probes))[0]!.status).toBe('warn');
    const wrong = fakeProbes({ routes: { 'http://127.0.0.1:8083/': { status: 200, body: { hello: 1 } } } });
    expect((await checkConnect(config(), wrong.probes))[0]!.status).toBe('fail');
  });
});

describe('checkSnowflake', () => {
  const PASS = 'doctor-unit-passphrase';

  async function keyConnections(mode = 0o600) {
    const pair = await generateKeyPair(PASS);
    const paths = writeKeyPair(join(root, 'keys'), pair, false);
    const { chmodSync } = await import('node:fs');
    chmodSync(paths.privateKey, mode);
    const sf = join(root, 'home', '.snowflake');
    mkdirSync(sf, { recursive: true });
    writeFileSync(join(sf, 'connections.toml'), `[pipe]\naccount = "acct"\nuser = "KAFKA_DEMO"\nprivate_key_file = "${paths.privateKey}"\n[adm]\naccount = "acct"\nuser = "ADMIN"\npassword = "adm-pw"\n`, { mode: 0o600 });
    return paths;
  }

  it('unconfigured is a failure with the fix', async () => {
    const results = await checkSnowflake(config(), { probes: fakeProbes().probes });
    expect(results.map((r) => [r.id, r.status])).toEqual([['snowflake connection (pipeline+admin)', 'fail']]);
    expect(results[0]!.fix).toContain('connections.toml');
    // only the admin side missing
    await keyConnections();
    const half = await checkSnowflake(config({ PRIVATE_KEY_PASSPHRASE: PASS }, { connection: 'pipe' }), { probes: fakeProbes().probes });
    expect(half.map((r) => [r.id, r.status]).at(-1)).toEqual(['snowflake connection (admin)', 'fail']);
    expect(half.at(-1)!.detail).toContain('known: adm, pipe');
  });

  it('checks the key and logs in with each connection', async () => {
    await keyConnections();
    const { probes, logins } = fakeProbes();
    const results = await checkSnowflake(config({ PRIVATE_KEY_PASSPHRASE: PASS }, { connection: 'pipe', 'admin-connection': 'adm' }), { probes });
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['snowflake connection (pipeline)', 'ok'],
      ['snowflake key (pipeline)', 'ok'],
      ['snowflake login (pipeline)', 'ok'],
      ['snowflake connection (admin)', 'ok'],
      ['snowflake key (admin)', 'warn'],
      ['snowflake login (admin)', 'ok'],
    ]);
    expect(results[1]!.detail).toMatch(/decrypts, SHA256:/);
    expect(logins.map((l) => [l.username, l.authenticator])).toEqual([['KAFKA_DEMO', 'SNOWFLAKE_JWT'], ['ADMIN', undefined]]);
    expect(logins[0]!.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('a wrong passphrase or loose key file stops before the login', async () => {
    await keyConnections();
    const { probes, logins } = fakeProbes();
    const wrong = await checkSnowflake(config({ PRIVATE_KEY_PASSPHRASE: 'nope' }, { connection: 'pipe', 'admin-connection': 'pipe' }), { probes });
    expect(wrong.map((r) => [r.id, r.status])).toEqual([
      ['snowflake connection (pipeline+admin)', 'ok'],
      ['snowflake key (pipeline+admin)', 'fail'],
      ['snowflake login (pipeline+admin)', 'skip'],
    ]);
    expect(wrong[1]!.detail).toContain('wrong passphrase?');
    expect(logins).toHaveLength(0);
  });

  it('a failed login says what to check', async () => {
    await keyConnections();
    const { probes } = fakeProbes({
      login: () => {
        throw new SfpipeError('auth', 'snowflake', 'login failed (390144): JWT token is invalid');
      },
    });
    const results = await checkSnowflake(config({ PRIVATE_KEY_PASSPHRASE: PASS }, { connection: 'pipe', 'admin-connection': 'pipe' }), { probes });
    expect(results[2]).toMatchObject({ status: 'fail', detail: 'auth: login failed (390144): JWT token is invalid' });
    expect(results[2]!.fix).toContain('RSA_PUBLIC_KEY');
  });
});

describe('runDoctor', () => {
  function io(env: NodeJS.ProcessEnv) {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    return { io: { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env, cwd: root }, out: () => out };
  }

  it('prints one line per check, exits 1 when something needed is missing, and no secret', async () => {
    const secret = 'doctor-run-secret-pw';
    const { probes } = fakeProbes({
      routes: { 'unix:/var/run/docker.sock': { status: 200, body: { Version: '26.1.5' } } },
      login: () => {
        throw new SfpipeError('auth', 'snowflake', `login failed: echoing ${secret} back`);
      },
    });
    const t = io({ SNOWFLAKE_ACCOUNT: 'a', SNOWFLAKE_USER: 'u', SNOWFLAKE_PASSWORD: secret });
    const code = await runDoctor({}, t.io, { probes, homedir: join(root, 'home') });
    expect(code).toBe(1);
    const lines = t.out().trim().split('\n');
    expect(lines[0]).toMatch(/^✓ node +Node\.js 20/);
    expect(t.out()).toContain('✗ snowflake login (pipeline+admin)');
    expect(t.out()).toContain('! connect ');
    expect(t.out()).not.toContain(secret);
    expect(t.out()).toContain('echoing *** back');
  });

  it('--json prints one object per check', async () => {
    const t = io({});
    await runDoctor({ json: true }, t.io, { probes: fakeProbes().probes, homedir: join(root, 'home') });
    const objs = t.out().trim().split('\n').map((l) => JSON.parse(l) as { check: string; status: string });
    expect(objs[0]).toMatchObject({ check: 'node', status: 'ok' });
    expect(objs.map((o) => o.check)).toContain('connect');
  });

  it('a broken config is reported and the other checks still run', async () => {
    writeFileSync(join(root, 'sfpipe.toml'), '[connect]\nurl = 42\n');
    const t = io({});
    expect(await runDoctor({}, t.io, { probes: fakeProbes().probes, homedir: join(root, 'home') })).toBe(1);
    expect(t.out()).toMatch(/✗ config +.*sfpipe\.toml:connect\.url: expected a string/);
    expect(t.out()).toContain('✓ node');
    expect(t.out()).toContain('snowflake');
  });
});
