import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SfpipeError } from '../domain/errors.js';
import { generateKeyPair } from '../keypair/generate.js';
import { writeKeyPair } from '../keypair/files.js';
import type { SnowflakeConnection } from './schema.js';
import { Secret } from './secret.js';
import { toConnectionOptions } from './snowflake-options.js';

const PASS = 'options-test-pass';
let dir: string;
let keyFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sfpipe-opts-'));
  keyFile = writeKeyPair(join(dir, 'keys'), await generateKeyPair(PASS), false).privateKey;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = (over: Partial<SnowflakeConnection> = {}): SnowflakeConnection => ({
  name: 'c',
  chosenBy: 'default',
  origins: ['/x/connections.toml'],
  account: 'myorg-acct',
  user: 'KAFKA_DEMO',
  authenticator: undefined,
  privateKeyFile: undefined,
  privateKeyPassphrase: undefined,
  password: undefined,
  warehouse: 'WH',
  role: 'R',
  database: 'DB',
  schema: 'S',
  host: undefined,
  port: undefined,
  protocol: undefined,
  ...over,
});

function failure(fn: () => unknown): SfpipeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SfpipeError);
    return err as SfpipeError;
  }
  throw new Error('expected an SfpipeError');
}

describe('toConnectionOptions', () => {
  it('key-pair: SNOWFLAKE_JWT with the decrypted PEM, or the path and passphrase for the driver', () => {
    const c = base({ privateKeyFile: keyFile, privateKeyPassphrase: new Secret(PASS) });
    const inline = toConnectionOptions(c);
    expect(inline).toMatchObject({ account: 'myorg-acct', username: 'KAFKA_DEMO', authenticator: 'SNOWFLAKE_JWT', warehouse: 'WH', role: 'R', database: 'DB', schema: 'S' });
    expect(inline.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(inline.privateKeyPath).toBeUndefined();
    const byPath = toConnectionOptions(c, { inlineKey: false });
    expect(byPath).toMatchObject({ authenticator: 'SNOWFLAKE_JWT', privateKeyPath: keyFile, privateKeyPass: PASS });
    expect(byPath.privateKey).toBeUndefined();
  });

  it('a custom endpoint becomes accessUrl from host, port and protocol', () => {
    const o = toConnectionOptions(base({ password: new Secret('pw'), host: '127.0.0.1', port: 18085, protocol: 'http' }));
    expect(o).toMatchObject({ host: '127.0.0.1', accessUrl: 'http://127.0.0.1:18085', password: 'pw' });
    expect(toConnectionOptions(base({ password: new Secret('pw'), host: 'acct.privatelink.snowflakecomputing.com' })).accessUrl).toBe('https://acct.privatelink.snowflakecomputing.com:443');
    expect(toConnectionOptions(base({ password: new Secret('pw') })).accessUrl).toBeUndefined();
  });

  it('other authenticators pass through', () => {
    expect(toConnectionOptions(base({ authenticator: 'EXTERNALBROWSER' })).authenticator).toBe('EXTERNALBROWSER');
  });

  it('refuses what cannot log in, naming the connection', () => {
    expect(failure(() => toConnectionOptions(base({ user: undefined, password: new Secret('x') }))).message).toContain('has no user');
    expect(failure(() => toConnectionOptions(base({ authenticator: 'SNOWFLAKE_JWT' }))).message).toContain('has no private_key_file');
    expect(failure(() => toConnectionOptions(base())).message).toContain('neither a private key nor a password');
    const wrong = failure(() => toConnectionOptions(base({ privateKeyFile: keyFile, privateKeyPassphrase: new Secret('nope') })));
    expect(wrong.kind).toBe('auth');
    expect(wrong.message).toBe(`could not decrypt ${keyFile}: wrong passphrase?`);
  });
});
