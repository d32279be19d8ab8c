import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SfpipeError } from '../domain/errors.js';
import { loadConfig, userConfigFile } from './load.js';

let root: string;
let cwd: string;
let home: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sfpipe-config-'));
  cwd = join(root, 'project');
  home = join(root, 'home');
  mkdirSync(cwd);
  mkdirSync(home);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const load = (env: NodeJS.ProcessEnv = {}, flags: Record<string, unknown> = {}) => loadConfig({ cwd, env, flags, homedir: home });

function failure(fn: () => unknown): SfpipeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SfpipeError);
    return err as SfpipeError;
  }
  throw new Error('expected an SfpipeError');
}

describe('loadConfig defaults', () => {
  it('matches the compose stack when nothing is configured', () => {
    const c = load();
    expect(c.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.connect.url).toBe('http://127.0.0.1:8083');
    expect(c.schemaRegistry.url).toBe('http://127.0.0.1:8081');
    expect(c.docker).toEqual({ host: 'unix:///var/run/docker.sock', composeProject: 'sfpipe' });
    expect(c.console).toEqual({ refreshMs: 2000, slowRefreshMs: 0, readOnly: false });
    expect(c.snowflake.objects).toEqual({
      database: 'KAFKA_DB',
      schema: 'PUBLIC',
      role: 'KAFKA_CONNECTOR_ROLE',
      user: 'KAFKA_DEMO',
      adminWarehouse: 'KAFKA_ADMIN_WAREHOUSE',
      taskWarehouse: 'KAFKA_TASK_WH',
    });
    expect(c.kafka.topics).toEqual(['pageviews', 'orders', 'ratings', 'stock_trades', 'users', 'clickstream']);
    expect(c.connect.sinkConnector).toBe('snowflake-sink');
    expect(c.connect.connectorVersion).toBe('v4');
    expect(c.keys.dir).toBe(join(cwd, 'keys'));
    expect(c.files).toEqual([]);
  });

  it('treats no Snowflake connection at all as unconfigured, not an error', () => {
    const c = load();
    expect(c.snowflake.pipeline).toBeUndefined();
    expect(c.snowflake.admin).toBeUndefined();
    expect(c.describe()).toMatchObject({ snowflake: { pipeline: 'unconfigured', admin: 'unconfigured' } });
  });
});

describe('loadConfig layering', () => {
  it('reads the project sfpipe.toml over the user one, then env, then flags', () => {
    const userFile = userConfigFile({}, home);
    mkdirSync(join(home, '.config', 'sfpipe'), { recursive: true });
    writeFileSync(userFile, '[connect]\nurl = "http://127.0.0.1:1111"\n[docker]\ncompose_project = "mine"\n[console]\nrefresh = 5\n');
    writeFileSync(join(cwd, 'sfpipe.toml'), '[connect]\nurl = "http://127.0.0.1:2222/"\n[kafka]\nbrokers = ["127.0.0.1:19092", "[::1]:19093"]\n');

    const fromFiles = load();
    expect(fromFiles.files).toEqual([userFile, join(cwd, 'sfpipe.toml')]);
    expect(fromFiles.connect.url).toBe('http://127.0.0.1:2222');
    expect(fromFiles.docker.composeProject).toBe('mine');
    expect(fromFiles.console.refreshMs).toBe(5000);
    expect(fromFiles.kafka.brokers).toEqual(['127.0.0.1:19092', '[::1]:19093']);

    const env = { SFPIPE_CONNECT_URL: 'http://127.0.0.1:3333', SFPIPE_KAFKA_BROKERS: '127.0.0.1:1,127.0.0.1:2', DOCKER_HOST: 'tcp://127.0.0.1:2375', SFPIPE_COMPOSE_PROJECT: 'envproj', SFPIPE_SCHEMA_REGISTRY_URL: 'http://127.0.0.1:18081' };
    const fromEnv = load(env);
    expect(fromEnv.connect.url).toBe('http://127.0.0.1:3333');
    expect(fromEnv.kafka.brokers).toEqual(['127.0.0.1:1', '127.0.0.1:2']);
    expect(fromEnv.docker).toEqual({ host: 'tcp://127.0.0.1:2375', composeProject: 'envproj' });
    expect(fromEnv.schemaRegistry.url).toBe('http://127.0.0.1:18081');

    const fromFlags = load(env, { 'connect-url': 'http://127.0.0.1:4444', brokers: '127.0.0.1:5', 'docker-host': 'unix:///tmp/d.sock', 'compose-project': 'flagproj', refresh: 0.5, 'slow-refresh': 60, 'read-only': true, json: true, _command: 'status' });
    expect(fromFlags.connect.url).toBe('http://127.0.0.1:4444');
    expect(fromFlags.kafka.brokers).toEqual(['127.0.0.1:5']);
    expect(fromFlags.docker).toEqual({ host: 'unix:///tmp/d.sock', composeProject: 'flagproj' });
    expect(fromFlags.console).toEqual({ refreshMs: 500, slowRefreshMs: 60000, readOnly: true });
  });

  it('uses XDG_CONFIG_HOME for the user file', () => {
    const xdg = join(root, 'xdg');
    mkdirSync(join(xdg, 'sfpipe'), { recursive: true });
    writeFileSync(join(xdg, 'sfpipe', 'sfpipe.toml'), '[snowflake]\ndatabase = "OTHER_DB"\n');
    expect(load({ XDG_CONFIG_HOME: xdg }).snowflake.objects.database).toBe('OTHER_DB');
  });

  it('reads only the file named by --config, resolving relative paths against it', () => {
    writeFileSync(join(cwd, 'sfpipe.toml'), '[snowflake]\ndatabase = "IGNORED"\n');
    mkdirSync(join(root, 'elsewhere'));
    writeFileSync(join(root, 'elsewhere', 'x.toml'), '[keys]\ndir = "my-keys"\n[snowflake]\nschema = "RAW"\n');
    const c = load({}, { config: '../elsewhere/x.toml' });
    expect(c.snowflake.objects.database).toBe('KAFKA_DB');
    expect(c.snowflake.objects.schema).toBe('RAW');
    expect(c.keys.dir).toBe(join(root, 'elsewhere', 'my-keys'));
  });

  it('ignores empty environment variables', () => {
    expect(load({ SFPIPE_CONNECT_URL: '' }).connect.url).toBe('http://127.0.0.1:8083');
  });
});

describe('loadConfig errors name the place and change nothing', () => {
  it('a missing --config file', () => {
    const e = failure(() => load({}, { config: 'nope.toml' }));
    expect(e.kind).toBe('invalid-input');
    expect(e.source).toBe('config');
    expect(e.location).toBe(join(cwd, 'nope.toml'));
    expect(e.message).toContain('does not exist');
  });

  it('a TOML syntax error, with its line', () => {
    writeFileSync(join(cwd, 'sfpipe.toml'), '[connect]\nurl = "http://127.0.0.1:8083"\nsink_connector = \n');
    const e = failure(() => load());
    expect(e.location).toMatch(new RegExp(`^${join(cwd, 'sfpipe.toml')}:3:\\d+$`));
    expect(e.message).toMatch(/^TOML syntax error/);
  });

  it('an unknown key, suggesting the closest', () => {
    writeFileSync(join(cwd, 'sfpipe.toml'), '[connect]\nulr = "http://127.0.0.1:8083"\n');
    const e = failure(() => load());
    expect(e.location).toBe(`${join(cwd, 'sfpipe.toml')}:connect.ulr`);
    expect(e.message).toContain('did you mean "connect.url"?');
  });

  it('a known key in the wrong section or at top level', () => {
    writeFileSync(join(cwd, 'sfpipe.toml'), 'brokers = "127.0.0.1:9092"\n');
    expect(failure(() => load()).message).toContain('did you mean "kafka.brokers"?');
    writeFileSync(join(cwd, 'sfpipe.toml'), '[snowflke]\ndatabase = "X"\n');
    expect(failure(() => load()).message).toContain('unknown section "snowflke" — did you mean "snowflake"?');
  });

  it('a secret in sfpipe.toml is refused without echoing it', () => {
    writeFileSync(join(cwd, 'sfpipe.toml'), '[snowflake]\npassword = "hunter2-secret"\n');
    const e = failure(() => load());
    expect(e.hint).toContain('connections.toml');
    expect(e.describe()).not.toContain('hunter2-secret');
  });

  it('a wrong type', () => {
    writeFileSync(join(cwd, 'sfpipe.toml'), '[console]\nrefresh = "fast"\n');
    const e = failure(() => load());
    expect(e.location).toBe(`${join(cwd, 'sfpipe.toml')}:console.refresh`);
    expect(e.message).toContain('expected a number of seconds');
    writeFileSync(join(cwd, 'sfpipe.toml'), 'kafka = 3\n');
    expect(failure(() => load()).message).toContain('expected a table [kafka]');
  });

  it('a bad URL or host:port from each source', () => {
    expect(failure(() => load({ SFPIPE_CONNECT_URL: 'localhost:8083' })).location).toBe('$SFPIPE_CONNECT_URL');
    expect(failure(() => load({}, { brokers: '127.0.0.1' })).location).toBe('--brokers');
    expect(failure(() => load({}, { brokers: '127.0.0.1:70000' })).message).toContain('1–65535');
    expect(failure(() => load({}, { 'docker-host': 'ftp://x' })).location).toBe('--docker-host');
    writeFileSync(join(cwd, 'sfpipe.toml'), '[kafka]\nbrokers = ["127.0.0.1:9092", "bad host:1"]\n');
    expect(failure(() => load()).location).toBe(`${join(cwd, 'sfpipe.toml')}:kafka.brokers[1]`);
  });

  it('masks credentials in a URL it rejects', () => {
    const e = failure(() => load({ SFPIPE_SCHEMA_REGISTRY_URL: 'http://bob:s3cr3tpw@127.0.0.1:8081' }));
    expect(e.describe()).not.toContain('s3cr3tpw');
  });

  it('bad identifiers, topics, versions and intervals', () => {
    const cases: Array<[string, string]> = [
      ['[snowflake]\ndatabase = "KAFKA_DB; DROP DATABASE X"\n', 'snowflake.database'],
      ['[kafka]\ntopics = ["pageviews", "Pageviews"]\n', 'kafka.topics'],
      ['[kafka]\ntopics = []\n', 'kafka.topics'],
      ['[connect]\nconnector_version = "v5"\n', 'connect.connector_version'],
      ['[console]\nslow_refresh = 1\n', 'console.slow_refresh'],
      ['[console]\nread_only = "maybe"\n', 'console.read_only'],
    ];
    for (const [text, key] of cases) {
      writeFileSync(join(cwd, 'sfpipe.toml'), text);
      expect(failure(() => load()).location).toBe(`${join(cwd, 'sfpipe.toml')}:${key}`);
    }
  });
});
