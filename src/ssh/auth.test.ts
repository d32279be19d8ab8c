import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import { SfpipeError } from '../domain/errors.js';
import { KeyRing, loadKeyRing, parseAuthorizedKeys, parseOperators } from './auth.js';
import { fingerprintOf } from './publicKeys.js';

const alice = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'alice' });
const bob = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'bob' });
const carol = ssh2.utils.generateKeyPairSync('ecdsa', { bits: 256, comment: 'carol' });
const blobOf = (pub: string) => Buffer.from(pub.split(' ')[1]!, 'base64');
const fp = (pub: string) => fingerprintOf(blobOf(pub));

const made: string[] = [];
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sfpipe-auth-'));
  made.push(d);
  return d;
}
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function file(d: string, name: string, text: string, mode = 0o600): string {
  const path = join(d, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

function thrown(fn: () => unknown): SfpipeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SfpipeError) return err;
    throw err;
  }
  throw new Error('expected an SfpipeError');
}

describe('authorized_keys and operators', () => {
  it('collects keys and the lines it leaves out', () => {
    const parsed = parseAuthorizedKeys(`# team\n${alice.public}\n\ncommand="rsync" ${bob.public}\n${carol.public}\n`, 'ak');
    expect(parsed.keys.map((k) => k.comment)).toEqual(['alice', 'carol']);
    expect(parsed.keys.map((k) => k.location)).toEqual(['ak:2', 'ak:5']);
    expect(parsed.warnings).toEqual([expect.stringMatching(/^ak:4: .*forced command/)]);
  });

  it('names a bad line by file and line number', () => {
    const err = thrown(() => parseAuthorizedKeys(`${alice.public}\nssh-ed25519 AAAA\n`, '/home/x/.ssh/authorized_keys'));
    expect(err.location).toBe('/home/x/.ssh/authorized_keys:2');
  });

  it('reads operators by key line or fingerprint', () => {
    const ops = parseOperators(`# presenters\n${alice.public}\n${fp(bob.public)} bob's laptop\n`, 'ops');
    expect([...ops].sort()).toEqual([fp(alice.public), fp(bob.public)].sort());
    expect(thrown(() => parseOperators('SHA256:short\n', 'ops')).location).toBe('ops:1');
    expect(thrown(() => parseOperators('just words\n', 'ops')).location).toBe('ops:1');
  });
});

describe('KeyRing', () => {
  const keys = parseAuthorizedKeys(`${alice.public}\nfrom="10.0.0.0/8" ${bob.public}\nexpiry-time="20200101Z" ${carol.public}\n`, 'ak').keys;
  const ring = new KeyRing(keys, new Set([fp(alice.public)]));
  const now = Date.UTC(2026, 0, 1);

  it('knows operators from viewers', () => {
    expect(ring.check(blobOf(alice.public), '127.0.0.1', now)).toMatchObject({ ok: true, role: 'operator' });
    expect(ring.check(blobOf(bob.public), '10.1.1.1', now)).toMatchObject({ ok: true, role: 'viewer' });
  });

  it('refuses unknown keys, addresses outside from= and expired keys, with the fingerprint', () => {
    const stranger = ssh2.utils.generateKeyPairSync('ed25519').public;
    expect(ring.check(blobOf(stranger), '127.0.0.1', now)).toEqual({ ok: false, reason: 'key not in authorized_keys', fingerprint: fp(stranger) });
    expect(ring.check(blobOf(bob.public), '127.0.0.1', now)).toMatchObject({ ok: false, reason: expect.stringMatching(/from=/) });
    expect(ring.check(blobOf(carol.public), '127.0.0.1', now)).toMatchObject({ ok: false, reason: expect.stringMatching(/expired/) });
    expect(ring.check(blobOf(carol.public), '127.0.0.1', Date.UTC(2019, 0, 1))).toMatchObject({ ok: true });
  });

  it('verifies a signature made with the private key, and only that', () => {
    const data = Buffer.from('session id and request');
    const key = keys[0]!;
    const signer = ssh2.utils.parseKey(alice.private);
    if (signer instanceof Error) throw signer;
    const signature = signer.sign(data);
    expect(ring.verify(key, data, signature, undefined)).toBe(true);
    expect(ring.verify(key, Buffer.from('other data'), signature, undefined)).toBe(false);
    const other = ssh2.utils.parseKey(bob.private);
    if (other instanceof Error) throw other;
    expect(ring.verify(key, data, other.sign(data), undefined)).toBe(false);
  });

  it('warns about operators that are not authorized', () => {
    const lonely = new KeyRing(keys.slice(0, 1), new Set([fp(alice.public), fp(bob.public)]));
    expect(lonely.orphanOperators()).toEqual([fp(bob.public)]);
  });
});

describe('loadKeyRing', () => {
  it('loads both files and reports orphan operators', () => {
    const d = dir();
    const ak = file(d, 'authorized_keys', `${alice.public}\n`);
    const ops = file(d, 'operators', `${alice.public}\n${fp(bob.public)}\n`);
    const { ring, warnings } = loadKeyRing({ authorizedKeysFile: ak, operatorsFile: ops });
    expect(ring.size).toBe(1);
    expect(ring.roleOf(fp(alice.public))).toBe('operator');
    expect(warnings).toEqual([expect.stringContaining(fp(bob.public))]);
  });

  it('refuses a file others can write, a missing file and a file with no usable key', () => {
    const d = dir();
    const loose = file(d, 'loose', `${alice.public}\n`, 0o666);
    expect(thrown(() => loadKeyRing({ authorizedKeysFile: loose })).message).toMatch(/writable by other users \(mode 0666\)/);
    expect(thrown(() => loadKeyRing({ authorizedKeysFile: join(d, 'absent') })).kind).toBe('not-found');
    const useless = file(d, 'useless', `# nothing\ncommand="x" ${alice.public}\n`);
    const err = thrown(() => loadKeyRing({ authorizedKeysFile: useless }));
    expect(err.message).toMatch(/no usable public key/);
    expect(err.hint).toMatch(/forced command/);
    // world-readable is fine (public keys), as for sshd
    expect(loadKeyRing({ authorizedKeysFile: file(d, 'readable', `${alice.public}\n`, 0o644) }).ring.size).toBe(1);
  });
});
