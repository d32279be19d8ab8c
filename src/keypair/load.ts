/**
 * Reading the private key for a login: the file must exist and be 0600, and a wrong
 * passphrase is one clear auth error that carries no key material.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SfpipeError } from '../domain/errors.js';
import { assertOwnerOnly } from '../config/permissions.js';
import type { Secret } from '../config/secret.js';

export interface LoadedPrivateKey {
  /** unencrypted PKCS#8 PEM, for snowflake-sdk's `privateKey` (keep in memory only) */
  pem: string;
  key: KeyObject;
  encrypted: boolean;
}

export function loadPrivateKey(file: string, passphrase: Secret | string | undefined, platform: NodeJS.Platform = process.platform): LoadedPrivateKey {
  assertOwnerOnly(file, 'keys', 'private key file', platform);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SfpipeError('auth', 'keys', `cannot read private key file ${file}`, { location: file, cause: err });
  }
  return decryptPrivateKey(text, file, passphrase);
}

export function decryptPrivateKey(text: string, file: string, passphrase: Secret | string | undefined): LoadedPrivateKey {
  const pass = typeof passphrase === 'string' ? passphrase : passphrase?.reveal();
  const encrypted = text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type:\s*4,ENCRYPTED/.test(text);
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new SfpipeError('invalid-input', 'keys', `${file} is not a PEM private key`, { location: file, hint: 'generate one with `sfpipe keys`' });
  }
  if (encrypted && !pass) {
    throw new SfpipeError('auth', 'keys', `${file} is encrypted and no passphrase is set`, {
      location: file,
      hint: 'set PRIVATE_KEY_PASSPHRASE or private_key_passphrase in the connection',
    });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem', ...(pass ? { passphrase: pass } : {}) });
  } catch {
    // No cause attached on purpose: OpenSSL errors may quote parts of the input.
    if (!encrypted) throw new SfpipeError('invalid-input', 'keys', `could not read ${file} as a private key`, { location: file, hint: 'generate a new pair with `sfpipe keys`' });
    throw new SfpipeError('auth', 'keys', `could not decrypt ${file}: wrong passphrase?`, {
      location: file,
      hint: 'check PRIVATE_KEY_PASSPHRASE / private_key_passphrase',
    });
  }
  if (key.asymmetricKeyType !== 'rsa') throw new SfpipeError('invalid-input', 'keys', `${file} is not an RSA key`, { location: file, hint: 'Snowflake key-pair auth needs RSA 2048 or larger' });
  return { pem: key.export({ type: 'pkcs8', format: 'pem' }).toString(), key, encrypted };
}
