/**
 * Where the key pair lives and how it is written: a 0700 directory with a README and a
 * .gitignore, the private key 0600 from the first byte (never chmod-ed after the fact), and
 * each file renamed into place so a crash leaves either the old pair or the new one.
 */
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SfpipeError } from '../domain/errors.js';
import type { KeyPairPem } from './generate.js';

export const PRIVATE_KEY_FILE = 'rsa_key.p8';
export const PUBLIC_KEY_FILE = 'rsa_key.pub';

export const KEYS_README = `# keys/

\`sfpipe keys\` writes the pipeline user's key pair here: \`rsa_key.p8\` (encrypted PKCS#8, mode 0600)
and \`rsa_key.pub\`. Everything in this folder except this README is git-ignored: a private key
must never be committed.
`;

const KEYS_GITIGNORE = '# a private key must never be committed\n*\n!README.md\n!.gitignore\n';

export interface KeyPairPaths {
  dir: string;
  privateKey: string;
  publicKey: string;
}

export function keyPairPaths(dir: string): KeyPairPaths {
  return { dir, privateKey: join(dir, PRIVATE_KEY_FILE), publicKey: join(dir, PUBLIC_KEY_FILE) };
}

/** Files of a pair that already exist in dir. */
export function existingKeyFiles(dir: string): string[] {
  const p = keyPairPaths(dir);
  return [p.privateKey, p.publicKey].filter((f) => existsSync(f));
}

/** Throws a conflict when a pair (or half of one) is already there and force is not set; changes nothing. */
export function assertCanWrite(dir: string, force: boolean): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new SfpipeError('invalid-input', 'keys', `${dir} exists and is not a directory`, { location: dir, hint: 'choose another --out' });
  }
  const existing = existingKeyFiles(dir);
  if (existing.length > 0 && !force) {
    throw new SfpipeError('conflict', 'keys', `a key pair already exists (${existing.map((f) => basename(f)).join(', ')})`, {
      location: dir,
      hint: 'nothing was changed; use --force to replace it (the user must then be given the new public key)',
    });
  }
}

/** Creates dir (0700) with a README and .gitignore if it does not exist yet. */
export function ensureKeysDir(dir: string): { created: boolean } {
  if (existsSync(dir)) return { created: false };
  mkdirSync(dirname(dir), { recursive: true });
  mkdirSync(dir, { mode: 0o700 });
  chmodSync(dir, 0o700); // mkdir's mode is filtered by the umask
  writeFileSync(join(dir, 'README.md'), KEYS_README, { mode: 0o644 });
  writeFileSync(join(dir, '.gitignore'), KEYS_GITIGNORE, { mode: 0o644 });
  return { created: true };
}

export function writeKeyPair(dir: string, pair: KeyPairPem, force: boolean): KeyPairPaths {
  assertCanWrite(dir, force);
  ensureKeysDir(dir);
  const paths = keyPairPaths(dir);
  writeAtomically(paths.privateKey, pair.privatePem, 0o600);
  writeAtomically(paths.publicKey, pair.publicPem, 0o644);
  return paths;
}

function writeAtomically(file: string, content: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, content, { mode, flag: 'wx' });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new SfpipeError('internal', 'keys', `could not write ${file}`, { location: file, cause: err });
  }
}
