/**
 * The harness's own key pair for SNOWFLAKE_JWT logins to the stand-in: an encrypted PKCS#8
 * RSA 2048 private key (0600, in a 0700 dir under the harness home) and its public key,
 * which the stand-in uses to verify the harness user's JWT signatures.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A harness-only test value (it protects a throwaway key for a local stand-in), not a secret. */
export const HARNESS_KEY_PASSPHRASE = 'sfpipe-harness-test-only';

export interface HarnessKeyFiles {
  privateKeyFile: string;
  publicKeyFile: string;
}

export function harnessKeyFiles(home: string): HarnessKeyFiles {
  const dir = join(home, 'snowflake', 'keys');
  return { privateKeyFile: join(dir, 'harness_rsa_key.p8'), publicKeyFile: join(dir, 'harness_rsa_key.pub') };
}

/**
 * Generate the key pair once; later calls reuse it. Both files are written into a fresh
 * directory that is then renamed into place, so a crash or a concurrent caller never leaves
 * half a pair, or a private key that does not match its public key.
 */
export function ensureHarnessKey(home: string): HarnessKeyFiles {
  const files = harnessKeyFiles(home);
  if (isMatchingPair(files)) return files;
  const dir = dirname(files.privateKeyFile);
  mkdirSync(dirname(dir), { recursive: true });
  // a pair is only ever renamed into place whole, so a damaged or half pair was touched by hand
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  const tmp = `${dir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: HARNESS_KEY_PASSPHRASE },
  });
  writeFileSync(join(tmp, basename(files.publicKeyFile)), publicKey, { mode: 0o644 });
  writeFileSync(join(tmp, basename(files.privateKeyFile)), privateKey, { mode: 0o600 });
  chmodSync(join(tmp, basename(files.privateKeyFile)), 0o600); // exact, whatever the umask
  chmodSync(tmp, 0o700);
  try {
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    // another process put its pair in place first: use that one
    if (!isMatchingPair(files)) throw err;
  }
  return files;
}

/** Both files there, the private key decrypts with the harness passphrase, and the public key is its own. */
function isMatchingPair(files: HarnessKeyFiles): boolean {
  try {
    const privateKey = createPrivateKey({ key: readFileSync(files.privateKeyFile), format: 'pem', passphrase: HARNESS_KEY_PASSPHRASE });
    const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' });
    const stored = createPublicKey(readFileSync(files.publicKeyFile)).export({ type: 'spki', format: 'pem' });
    return derived === stored;
  } catch {
    return false;
  }
}
