/**
 * The key pair `sfpipe keys` makes, used the way sfpipe uses it: config from SNOWFLAKE_*
 * variables → toConnectionOptions (decrypted in-process) → snowflake-sdk SNOWFLAKE_JWT login
 * against the harness's Snowflake stand-in, which checks JWT claims for every user and the
 * signature for its own registered user.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServices } from '../../harness/index.js';
import { closeConnection, openConnection, query } from '../../harness/snowflake/client.js';
import { run as keysCommand } from '../../src/commands/keys.js';
import { loadConfig } from '../../src/config/load.js';
import { toConnectionOptions } from '../../src/config/snowflake-options.js';
import { SfpipeError } from '../../src/domain/errors.js';
import { loadPrivateKey } from '../../src/keypair/load.js';
import { publicKeyFingerprint } from '../../src/keypair/public-key.js';

const h = await requireServices(['snowflake']);

describe.skipIf(!h.ok)('a key pair from `sfpipe keys` logs in through snowflake-sdk', () => {
  const env = h.ok ? h.env : {};
  const root = mkdtempSync(join(tmpdir(), 'sfpipe-keys-it-'));
  const passphrase = 'keys-it-passphrase-5d2e';
  let keyFile: string;
  beforeAll(async () => {
    keyFile = await makePair();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function makePair(): Promise<string> {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    const code = await keysCommand(
      { flags: { out: 'keys' }, positionals: [] },
      { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: { HOME: root, PRIVATE_KEY_PASSPHRASE: passphrase }, cwd: root },
    );
    expect(code).toBe(0);
    expect(out).not.toContain(passphrase);
    return join(root, 'keys', 'rsa_key.p8');
  }

  /** The connection sfpipe would build: the harness's SNOWFLAKE_* variables with our user, key and passphrase. */
  function optionsFor(user: string, keyFile: string, pass: string) {
    const config = loadConfig({
      cwd: root,
      homedir: root,
      flags: {},
      env: { ...env, SNOWFLAKE_USER: user, SNOWFLAKE_PRIVATE_KEY_FILE: keyFile, PRIVATE_KEY_PASSPHRASE: pass },
    });
    const conn = config.snowflake.pipeline!;
    expect(conn.authenticator).toBe('SNOWFLAKE_JWT');
    expect(conn.privateKeyFile).toBe(keyFile);
    return toConnectionOptions(conn);
  }

  it('authenticates with SNOWFLAKE_JWT and runs a query', async () => {
    const options = optionsFor('KAFKA_DEMO', keyFile, passphrase);
    expect(options.authenticator).toBe('SNOWFLAKE_JWT');
    expect(options.accessUrl).toBe(`http://${env.SNOWFLAKE_HOST}:${env.SNOWFLAKE_PORT}`);
    const conn = await openConnection(options);
    try {
      expect(await query<{ ONE: unknown }>(conn, 'SELECT 1 AS ONE')).toEqual([{ ONE: 1 }]);
    } finally {
      await closeConnection(conn);
    }
  });

  it('a decrypted key is verified by signature: the registered user gets in with its own key, not with ours', async () => {
    // The stand-in verifies signatures for the harness user against the public key it was given.
    const harnessOptions = optionsFor(env.SNOWFLAKE_USER!, env.SNOWFLAKE_PRIVATE_KEY_FILE!, env.PRIVATE_KEY_PASSPHRASE!);
    const ok = await openConnection(harnessOptions);
    await closeConnection(ok);

    const ours = keyFile;
    const impostor = optionsFor(env.SNOWFLAKE_USER!, ours, passphrase);
    await expect(openConnection(impostor)).rejects.toThrow(/390144|JWT token is invalid/);
    expect(publicKeyFingerprint(loadPrivateKey(ours, passphrase).key)).not.toBe(publicKeyFingerprint(loadPrivateKey(env.SNOWFLAKE_PRIVATE_KEY_FILE!, env.PRIVATE_KEY_PASSPHRASE!).key));
  });

  it('a wrong passphrase is one clear error naming the file, with no key material, before any network call', () => {
    let error: unknown;
    try {
      optionsFor('KAFKA_DEMO', keyFile, 'not-the-passphrase');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SfpipeError);
    const e = error as SfpipeError;
    expect(e.kind).toBe('auth');
    expect(e.message).toBe(`could not decrypt ${keyFile}: wrong passphrase?`);
    const pemLines = readFileSync(keyFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('-----'));
    for (const line of pemLines) expect(e.describe()).not.toContain(line);
    expect(e.describe()).not.toContain(passphrase);
  });
});
