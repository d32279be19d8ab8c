import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SfpipeError } from '../domain/errors.js';
import { loadConfig } from './load.js';
import { readConnectionFiles, resolveConnection, snowflakeHome } from './snowflake-connections.js';

let root: string;
let cwd: string;
let home: string;
let sfHome: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sfpipe-conn-'));
  cwd = join(root, 'project');
  home = join(root, 'home');
  sfHome = join(home, '.snowflake');
  mkdirSync(cwd);
  mkdirSync(sfHome, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function writeSecretFile(name: string, text: string, mode = 0o600): string {
  const file = join(sfHome, name);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

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

const CONNECTIONS = `
[default]
account = "myorg-acct"
user = "ADMIN_USER"
password = "admin-password-123"
role = "ACCOUNTADMIN"

[kafka_demo]
account = "myorg-acct"
user = "KAFKA_DEMO"
private_key_path = "keys/rsa_key.p8"
private_key_passphrase = "file-passphrase"
warehouse = "KAFKA_ADMIN_WAREHOUSE"
host = "127.0.0.1"
port = 18085
protocol = "HTTP"
`;

describe('Snowflake connection files', () => {
  it('reads connections.toml sections and defaults to [default]', () => {
    writeSecretFile('connections.toml', CONNECTIONS);
    const c = load();
    expect(c.snowflake.knownConnections).toEqual(['default', 'kafka_demo']);
    expect(c.snowflake.admin?.name).toBe('default');
    expect(c.snowflake.admin?.chosenBy).toBe('default');
    expect(c.snowflake.admin?.user).toBe('ADMIN_USER');
    expect(c.snowflake.admin?.password?.reveal()).toBe('admin-password-123');
    expect(c.snowflake.pipeline?.name).toBe('default');
  });

  it('resolves aliases, relative key paths, port and protocol', () => {
    writeSecretFile('connections.toml', CONNECTIONS);
    const c = load({}, { connection: 'kafka_demo' });
    const p = c.snowflake.pipeline!;
    expect(p.chosenBy).toBe('flag');
    expect(p.privateKeyFile).toBe(join(cwd, 'keys', 'rsa_key.p8'));
    expect(p.authenticator).toBe('SNOWFLAKE_JWT');
    expect(p.port).toBe(18085);
    expect(p.protocol).toBe('http');
    expect(p.privateKeyPassphrase?.reveal()).toBe('file-passphrase');
  });

  it('names connections from sfpipe.toml', () => {
    writeSecretFile('connections.toml', CONNECTIONS);
    writeFileSync(join(cwd, 'sfpipe.toml'), '[snowflake]\nconnection = "kafka_demo"\nadmin_connection = "default"\n');
    const c = load();
    expect(c.snowflake.pipeline?.name).toBe('kafka_demo');
    expect(c.snowflake.pipeline?.chosenBy).toBe('config');
    expect(c.snowflake.admin?.name).toBe('default');
    expect(c.snowflake.admin?.chosenBy).toBe('config');
  });

  it('reads config.toml [connections.name] and default_connection_name', () => {
    writeSecretFile('config.toml', 'default_connection_name = "work"\n[connections.work]\naccount = "acct-w"\nuser = "W"\n[cli.logs]\nsave_logs = false\n');
    const c = load();
    expect(c.snowflake.admin?.name).toBe('work');
    expect(c.snowflake.admin?.account).toBe('acct-w');
  });

  it('prefers connections.toml over config.toml connections when both define some', () => {
    writeSecretFile('config.toml', '[connections.default]\naccount = "from-config"\nuser = "U"\n');
    writeSecretFile('connections.toml', '[default]\naccount = "from-connections"\nuser = "U"\n');
    expect(load().snowflake.admin?.account).toBe('from-connections');
  });

  it('falls back to SNOWFLAKE_DEFAULT_CONNECTION_NAME, then "default"', () => {
    writeSecretFile('connections.toml', CONNECTIONS);
    expect(load({ SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'kafka_demo' }).snowflake.admin?.name).toBe('kafka_demo');
  });

  it('uses SNOWFLAKE_HOME', () => {
    const other = join(root, 'sfhome');
    mkdirSync(other);
    writeFileSync(join(other, 'connections.toml'), '[default]\naccount = "elsewhere"\nuser = "U"\n', { mode: 0o600 });
    chmodSync(join(other, 'connections.toml'), 0o600);
    const c = load({ SNOWFLAKE_HOME: other });
    expect(c.snowflake.home).toBe(other);
    expect(c.snowflake.admin?.account).toBe('elsewhere');
  });

  it('finds ~/.config/snowflake when ~/.snowflake does not exist', () => {
    rmSync(sfHome, { recursive: true });
    expect(snowflakeHome({}, home, 'linux')).toBe(join(home, '.snowflake'));
    mkdirSync(join(home, '.config', 'snowflake'), { recursive: true });
    expect(snowflakeHome({}, home, 'linux')).toBe(join(home, '.config', 'snowflake'));
  });
});

describe('precedence: flags > SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> > file > SNOWFLAKE_<KEY>', () => {
  it('applies each layer in order', () => {
    writeSecretFile('connections.toml', CONNECTIONS);
    const env = {
      SNOWFLAKE_CONNECTIONS_KAFKA_DEMO_WAREHOUSE: 'ENV_SPECIFIC_WH',
      SNOWFLAKE_WAREHOUSE: 'GENERIC_WH',
      SNOWFLAKE_ROLE: 'GENERIC_ROLE',
      SNOWFLAKE_USER: 'GENERIC_USER',
    };
    const files = readConnectionFiles(env, home);
    const c = resolveConnection(files, 'kafka_demo', 'flag', { env, homedir: home, cwd, overrides: { warehouse: 'FLAG_WH' } });
    expect(c.warehouse).toBe('FLAG_WH');
    const d = resolveConnection(files, 'kafka_demo', 'flag', { env, homedir: home, cwd });
    expect(d.warehouse).toBe('ENV_SPECIFIC_WH');
    expect(d.user).toBe('KAFKA_DEMO'); // file beats generic
    expect(d.role).toBe('GENERIC_ROLE'); // generic fills gaps
    expect(d.origins).toContain('$SNOWFLAKE_CONNECTIONS_KAFKA_DEMO_WAREHOUSE');
    expect(d.origins).toContain(join(sfHome, 'connections.toml'));
  });

  it('PRIVATE_KEY_PASSPHRASE overrides the passphrase from every other source', () => {
    writeSecretFile('connections.toml', CONNECTIONS);
    const env = { PRIVATE_KEY_PASSPHRASE: 'env-pass', SNOWFLAKE_CONNECTIONS_KAFKA_DEMO_PRIVATE_KEY_PASSPHRASE: 'specific-pass' };
    expect(load(env, { connection: 'kafka_demo' }).snowflake.pipeline?.privateKeyPassphrase?.reveal()).toBe('env-pass');
  });

  it('a connection may come from SNOWFLAKE_CONNECTIONS_<NAME>_* variables alone', () => {
    const c = load({ SNOWFLAKE_CONNECTIONS_CI_ACCOUNT: 'ci-acct', SNOWFLAKE_CONNECTIONS_CI_USER: 'CI' }, { 'admin-connection': 'ci' });
    expect(c.snowflake.admin?.account).toBe('ci-acct');
    expect(c.snowflake.knownConnections).toEqual(['ci']);
  });

  it('generic SNOWFLAKE_* variables alone make the default connection', () => {
    const c = load({ SNOWFLAKE_ACCOUNT: 'fake', SNOWFLAKE_USER: 'U', SNOWFLAKE_HOST: '127.0.0.1', SNOWFLAKE_PORT: '18085', SNOWFLAKE_PROTOCOL: 'http' });
    expect(c.snowflake.pipeline).toMatchObject({ name: 'default', account: 'fake', host: '127.0.0.1', port: 18085, protocol: 'http' });
  });
});

describe('connection errors', () => {
  it('an unknown named connection lists the known ones', () => {
    writeSecretFile('connections.toml', CONNECTIONS);
    const e = failure(() => load({}, { connection: 'kafka_dmo' }));
    expect(e.kind).toBe('invalid-input');
    expect(e.location).toBe('--connection');
    expect(e.message).toContain('known connections: default, kafka_demo');
    const f = failure(() => load({ SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'ghost' }));
    expect(f.location).toBe('$SNOWFLAKE_DEFAULT_CONNECTION_NAME');
  });

  it('an unknown connection with no files says where it looked', () => {
    const e = failure(() => load({}, { 'admin-connection': 'x' }));
    expect(e.message).toContain(`no connections are defined in ${sfHome}`);
  });

  it('a loosely permissioned connections.toml is refused with the chmod to run', () => {
    const file = writeSecretFile('connections.toml', CONNECTIONS, 0o644);
    const e = failure(() => load());
    expect(e.location).toBe(file);
    expect(e.hint).toBe(`run \`chmod 0600 ${file}\``);
    expect(e.describe()).not.toContain('admin-password-123');
  });

  it('a syntax error in connections.toml gives the line and no file content', () => {
    writeSecretFile('connections.toml', '[default]\naccount = "a"\npassword = "leaky-pass\n');
    const e = failure(() => load());
    expect(e.location).toMatch(/connections\.toml:3:\d+$/);
    expect(e.describe()).not.toContain('leaky-pass');
  });

  it('wrong types and missing account name the key', () => {
    writeSecretFile('connections.toml', '[default]\naccount = "a"\nport = "eighty"\n');
    expect(failure(() => load()).location).toBe(`${join(sfHome, 'connections.toml')}:[default].port`);
    writeSecretFile('connections.toml', '[default]\nuser = "u"\n');
    expect(failure(() => load()).message).toContain('has no account');
    writeSecretFile('connections.toml', '[default]\naccount = "a"\npassword = 12345678\n');
    const e = failure(() => load());
    expect(e.location).toBe(`${join(sfHome, 'connections.toml')}:[default].password`);
    expect(e.describe()).not.toContain('12345678');
  });
});

describe('secrets in the loaded config', () => {
  it('never appear in describe(), JSON or inspect', () => {
    writeSecretFile('connections.toml', CONNECTIONS);
    const c = load({ PRIVATE_KEY_PASSPHRASE: 'env-secret-pass' }, { connection: 'kafka_demo' });
    for (const text of [JSON.stringify(c), JSON.stringify(c.describe()), inspect(c, { depth: 10 }), JSON.stringify(c.snowflake)]) {
      expect(text).not.toContain('admin-password-123');
      expect(text).not.toContain('env-secret-pass');
      expect(text).not.toContain('file-passphrase');
    }
    expect(c.describe()).toMatchObject({ snowflake: { pipeline: { privateKeyPassphrase: '***' }, admin: { password: '***' } } });
  });
});
