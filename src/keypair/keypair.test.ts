import { execFileSync } from 'node:child_process';
import { createPublicKey, createSign, createVerify } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SfpipeError } from '../domain/errors.js';
import { generateKeyPair, type KeyPairPem } from './generate.js';
import { assertCanWrite, writeKeyPair } from './files.js';
import { loadPrivateKey } from './load.js';
import { alterUserStatement, publicKeyBody, publicKeyFingerprint } from './public-key.js';

const PASS = 'correct horse battery staple';
let pair: KeyPairPem;
let dir: string;
const temps: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sfpipe-keys-'));
  temps.push(d);
  return d;
};

beforeAll(async () => {
  pair = await generateKeyPair(PASS);
});
beforeEach(() => {
  dir = join(tempDir(), 'keys');
});
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function failure(fn: () => unknown): SfpipeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SfpipeError);
    return err as SfpipeError;
  }
  throw new Error('expected an SfpipeError');
}

describe('generateKeyPair', () => {
  it('makes an encrypted PKCS#8 RSA 2048 key and its SPKI public key', () => {
    expect(pair.privatePem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    expect(pair.publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const pub = createPublicKey(pair.publicPem);
    expect(pub.asymmetricKeyType).toBe('rsa');
    expect(pub.asymmetricKeyDetails?.modulusLength).toBe(2048);
    // openssl agrees it is encrypted PKCS#8 and opens it only with the passphrase
    const file = join(tempDir(), 'k.p8');
    writeFileSync(file, pair.privatePem, { mode: 0o600 });
    const info = execFileSync('openssl', ['pkey', '-in', file, '-passin', 'env:KP', '-noout', '-text'], { env: { ...process.env, KP: PASS }, encoding: 'utf8' });
    expect(info).toContain('Private-Key: (2048 bit');
    expect(() => execFileSync('openssl', ['pkey', '-in', file, '-passin', 'env:KP', '-noout'], { env: { ...process.env, KP: 'nope' }, stdio: 'pipe' })).toThrow();
  });

  it('refuses an empty passphrase', async () => {
    await expect(generateKeyPair('')).rejects.toBeInstanceOf(SfpipeError);
  });
});

describe('loadPrivateKey', () => {
  it('decrypts with the right passphrase into a key that matches the public key', () => {
    const paths = writeKeyPair(dir, pair, false);
    const loaded = loadPrivateKey(paths.privateKey, PASS);
    expect(loaded.encrypted).toBe(true);
    expect(loaded.pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const sig = createSign('sha256').update('hello').sign(loaded.pem);
    expect(createVerify('sha256').update('hello').verify(pair.publicPem, sig)).toBe(true);
  });

  it('a wrong passphrase is one clear auth error with no key material', () => {
    const paths = writeKeyPair(dir, pair, false);
    const e = failure(() => loadPrivateKey(paths.privateKey, 'wrong'));
    expect(e.kind).toBe('auth');
    expect(e.message).toBe(`could not decrypt ${paths.privateKey}: wrong passphrase?`);
    expect(e.cause).toBeUndefined();
    const body = pair.privatePem.split('\n')[1]!;
    expect(e.describe()).not.toContain(body);
    expect(e.describe()).not.toContain(PASS);
  });

  it('a missing passphrase for an encrypted key says which variable to set', () => {
    const paths = writeKeyPair(dir, pair, false);
    expect(failure(() => loadPrivateKey(paths.privateKey, undefined)).hint).toContain('PRIVATE_KEY_PASSPHRASE');
  });

  it('refuses a loosely permissioned key file, naming it and the chmod', () => {
    const paths = writeKeyPair(dir, pair, false);
    chmodSync(paths.privateKey, 0o640);
    const e = failure(() => loadPrivateKey(paths.privateKey, PASS, 'linux'));
    expect(e.location).toBe(paths.privateKey);
    expect(e.hint).toBe(`run \`chmod 0600 ${paths.privateKey}\``);
  });

  it('a missing file and a non-key file are named', () => {
    expect(failure(() => loadPrivateKey(join(dir, 'none.p8'), PASS)).kind).toBe('not-found');
    writeKeyPair(dir, pair, false);
    const junk = join(dir, 'junk.p8');
    writeFileSync(junk, 'not a key', { mode: 0o600 });
    expect(failure(() => loadPrivateKey(junk, PASS)).message).toContain('is not a PEM private key');
  });
});

describe('writeKeyPair', () => {
  it('creates a 0700 dir with README and .gitignore, the private key 0600', () => {
    const paths = writeKeyPair(dir, pair, false);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(paths.privateKey).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('git-ignored');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toContain('*');
    expect(readFileSync(paths.publicKey, 'utf8')).toBe(pair.publicPem);
  });

  it('refuses to overwrite without force and changes nothing', async () => {
    const paths = writeKeyPair(dir, pair, false);
    const before = readFileSync(paths.privateKey, 'utf8');
    const other = await generateKeyPair('another one');
    const e = failure(() => writeKeyPair(dir, other, false));
    expect(e.kind).toBe('conflict');
    expect(readFileSync(paths.privateKey, 'utf8')).toBe(before);
    // half a pair also counts
    rmSync(paths.publicKey);
    expect(() => assertCanWrite(dir, false)).toThrow(SfpipeError);
    writeKeyPair(dir, other, true);
    expect(readFileSync(paths.privateKey, 'utf8')).toBe(other.privatePem);
    expect(statSync(paths.privateKey).mode & 0o777).toBe(0o600);
    expect(existsSync(`${paths.privateKey}.${process.pid}.tmp`)).toBe(false);
  });
});

describe('public key formatting', () => {
  it('gives the bare base64 body for ALTER USER', () => {
    const body = publicKeyBody(pair.publicPem);
    expect(body).toMatch(/^MII[A-Za-z0-9+/]+=*$/);
    expect(pair.publicPem.replace(/-----[A-Z ]+-----|\s/g, '')).toBe(body);
    expect(alterUserStatement('KAFKA_DEMO', pair.publicPem)).toBe(`ALTER USER KAFKA_DEMO SET RSA_PUBLIC_KEY='${body}';`);
  });

  it('fingerprints the key as Snowflake documents it (openssl … | sha256 | base64)', () => {
    const file = join(tempDir(), 'k.pub');
    writeFileSync(file, pair.publicPem);
    const der = execFileSync('openssl', ['rsa', '-pubin', '-in', file, '-outform', 'DER'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const digest = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der });
    expect(publicKeyFingerprint(pair.publicPem)).toBe(`SHA256:${digest.toString('base64')}`);
    // the same from the private key
    const priv = writeKeyPair(dir, pair, false).privateKey;
    expect(publicKeyFingerprint(loadPrivateKey(priv, PASS).key)).toBe(publicKeyFingerprint(pair.publicPem));
  });
});
