import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { SfpipeError } from '../domain/errors.js';
import { findOnPath } from '../../harness/apt.js';
import { addressAllowed, fingerprintOf, parseExpiry, parsePublicKeyLine, type PublicKeyEntry } from './publicKeys.js';

const ed = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'alice@laptop' });
const ecdsa = ssh2.utils.generateKeyPairSync('ecdsa', { bits: 256, comment: 'bob' });
const edLine = ed.public; // "ssh-ed25519 AAAA… alice@laptop"
const [edType, edBase64] = edLine.split(' ') as [string, string];

function entry(line: string): PublicKeyEntry {
  const out = parsePublicKeyLine(line, 'keys:1');
  if (!out || !('entry' in out)) throw new Error(`expected a key, got ${JSON.stringify(out)}`);
  return out.entry;
}

function warning(line: string): string {
  const out = parsePublicKeyLine(line, 'keys:7');
  if (!out || !('warning' in out)) throw new Error(`expected a warning, got ${JSON.stringify(out)}`);
  return out.warning;
}

function errorOf(line: string): SfpipeError {
  try {
    parsePublicKeyLine(line, 'authorized_keys:3');
  } catch (err) {
    if (err instanceof SfpipeError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('public key lines', () => {
  it('reads type, blob, comment and the SHA256 fingerprint of a plain line', () => {
    const e = entry(edLine);
    expect(e.type).toBe('ssh-ed25519');
    expect(e.comment).toBe('alice@laptop');
    expect(e.blob.equals(Buffer.from(edBase64, 'base64'))).toBe(true);
    expect(e.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(e.restrictions).toEqual({ from: undefined, noPty: false, expiresAt: undefined });
    expect(entry(ecdsa.public).type).toBe('ecdsa-sha2-nistp256');
  });

  it('computes the fingerprint OpenSSH prints', { skip: !findOnPath('ssh-keygen') }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfpipe-fp-'));
    writeFileSync(join(dir, 'k.pub'), `${edLine}\n`);
    const printed = execFileSync('ssh-keygen', ['-lf', join(dir, 'k.pub')], { encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    expect(printed.split(' ')[1]).toBe(fingerprintOf(Buffer.from(edBase64, 'base64')));
  });

  it('skips blank lines and comments', () => {
    expect(parsePublicKeyLine('', 'f:1')).toBeUndefined();
    expect(parsePublicKeyLine('   # a comment', 'f:1')).toBeUndefined();
  });

  it('honours from=, no-pty, restrict (unless pty) and expiry-time', () => {
    const e = entry(`from="10.0.0.0/8,!10.1.2.3",no-pty ${edLine}`);
    expect(e.restrictions.from).toEqual(['10.0.0.0/8', '!10.1.2.3']);
    expect(e.restrictions.noPty).toBe(true);
    expect(entry(`restrict ${edLine}`).restrictions.noPty).toBe(true);
    expect(entry(`restrict,pty ${edLine}`).restrictions.noPty).toBe(false);
    expect(entry(`expiry-time="20300101Z" ${edLine}`).restrictions.expiresAt).toBe(Date.UTC(2030, 0, 1));
    // options about forwarding are moot (sfpipe forwards nothing) and do not cost the key
    expect(entry(`no-port-forwarding,no-agent-forwarding,permitopen="h:1" ${edLine}`).type).toBe('ssh-ed25519');
  });

  it('keeps quoted blanks and escaped quotes inside options', () => {
    const e = entry(`from="127.0.0.1, ::1",environment="A=\\"b c\\"" ${edLine}`);
    expect(e.restrictions.from).toEqual(['127.0.0.1', '::1']);
    expect(e.comment).toBe('alice@laptop');
  });

  it('leaves out keys whose options it cannot honour, saying why and where', () => {
    expect(warning(`command="/usr/bin/backup" ${edLine}`)).toMatch(/^keys:7: .*forced command/);
    expect(warning(`cert-authority ${edLine}`)).toMatch(/certificate/);
    expect(warning(`frobnicate ${edLine}`)).toMatch(/unknown option "frobnicate"/);
    expect(warning(`ssh-ed25519-cert-v01@openssh.com AAAA comment`)).toMatch(/certificates are not supported/);
    expect(warning(`sk-ssh-ed25519@openssh.com ${Buffer.concat([Buffer.from([0, 0, 0, 26]), Buffer.from('sk-ssh-ed25519@openssh.com')]).toString('base64')}`)).toMatch(/cannot be verified/);
  });

  it('rejects malformed lines with the file and line', () => {
    const notKey = errorOf('hello world');
    expect(notKey.kind).toBe('invalid-input');
    expect(notKey.location).toBe('authorized_keys:3');
    expect(errorOf('ssh-ed25519').message).toMatch(/not a public key line/);
    expect(errorOf(`ssh-ed25519 ${edBase64.slice(0, 20)}`).message).toMatch(/damaged or truncated/);
    expect(errorOf(`ssh-ed25519 ${edBase64.slice(0, 8)}`).message).toMatch(/does not hold a ssh-ed25519 key/);
    expect(errorOf(`ssh-rsa ${edBase64}`).message).toMatch(/holds ssh-ed25519/);
    expect(errorOf(`ssh-ed25519 not*base64`).message).toMatch(/not base64/);
    expect(errorOf(`ssh-foo ${edBase64}`).message).toMatch(/unknown key type/);
    expect(errorOf(`from="10.0.0.1 ${edType} ${edBase64}`).message).toMatch(/unterminated quote|not a public key/);
    expect(errorOf(`from=10.0.0.1 ${edLine}`).message).toMatch(/quoted value/);
  });

  it('ignores options for files that only name keys', () => {
    const out = parsePublicKeyLine(`command="x" ${edLine}`, 'operators:1', { ignoreOptions: true });
    expect(out && 'entry' in out && out.entry.fingerprint).toBe(entry(edLine).fingerprint);
  });

  it('parses expiry times as OpenSSH does', () => {
    expect(parseExpiry('203001021530Z', 'f:1')).toBe(Date.UTC(2030, 0, 2, 15, 30));
    expect(parseExpiry('20300102', 'f:1')).toBe(new Date(2030, 0, 2).getTime());
    expect(() => parseExpiry('2030-01-02', 'f:1')).toThrow(/YYYYMMDD/);
  });
});

describe('from= address patterns', () => {
  it('matches globs, CIDR blocks and IPv4-mapped addresses', () => {
    expect(addressAllowed(['127.0.0.*'], '127.0.0.1')).toBe(true);
    expect(addressAllowed(['127.0.0.?'], '127.0.0.12')).toBe(false);
    expect(addressAllowed(['10.0.0.0/8'], '10.200.1.1')).toBe(true);
    expect(addressAllowed(['10.0.0.0/8'], '11.0.0.1')).toBe(false);
    expect(addressAllowed(['127.0.0.1'], '::ffff:127.0.0.1')).toBe(true);
    expect(addressAllowed(['fd00::/8'], 'fd12::1')).toBe(true);
    expect(addressAllowed(['fd00::/8'], '10.0.0.1')).toBe(false);
  });

  it('refuses on any negated match, and never matches host names (no reverse DNS)', () => {
    expect(addressAllowed(['10.0.0.0/8', '!10.1.2.3'], '10.1.2.3')).toBe(false);
    expect(addressAllowed(['10.0.0.0/8', '!10.1.2.3'], '10.1.2.4')).toBe(true);
    expect(addressAllowed(['*.example.com'], '127.0.0.1')).toBe(false);
    expect(addressAllowed([], '127.0.0.1')).toBe(false);
  });
});
