/** Setup step: the pipeline user's key pair, generated only when there is none. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { SfpipeError } from '../../domain/errors.js';
import { generateKeyPair } from '../../keypair/generate.js';
import { existingKeyFiles, keyPairPaths, writeKeyPair } from '../../keypair/files.js';
import { publicKeyFingerprint } from '../../keypair/public-key.js';
import type { RunbookEnv } from '../env.js';
import type { RunbookStep } from '../types.js';

export function keyPairStep(env: RunbookEnv): RunbookStep {
  const paths = keyPairPaths(env.inputs.keysDir);
  return {
    id: 'keys',
    title: 'key pair',
    async check() {
      const found = existingKeyFiles(paths.dir);
      if (found.length === 2) return { done: true, detail: `key pair in ${paths.dir} (${fingerprint(paths.publicKey)})` };
      if (found.length === 1) return { done: false, detail: `only ${found[0]} exists` };
      return { done: false, detail: `no key pair in ${paths.dir}` };
    },
    async plan() {
      return [{ kind: 'file', text: `generate an encrypted RSA 2048 key pair: ${paths.privateKey} (0600) and ${paths.publicKey}` }];
    },
    async apply(ctx) {
      const passphrase = env.inputs.passphrase?.reveal();
      if (!passphrase) {
        throw new SfpipeError('invalid-input', 'keys', 'no passphrase for the new private key', {
          hint: 'set PRIVATE_KEY_PASSPHRASE (or run `sfpipe keys`, which asks for one), then re-run',
        });
      }
      ctx.progress('generating an RSA 2048 key pair');
      // refuses (conflict, nothing written) when half a pair is there
      writeKeyPair(paths.dir, await generateKeyPair(passphrase), false);
      return `wrote ${paths.privateKey} and ${paths.publicKey} (${fingerprint(paths.publicKey)})`;
    },
  };
}

/** Cleanup step (--purge-keys): delete the pair; the folder's README and .gitignore stay. */
export function purgeKeysStep(env: RunbookEnv): RunbookStep {
  const paths = keyPairPaths(env.inputs.keysDir);
  return {
    id: 'purge-keys',
    title: 'delete the key pair',
    async check() {
      const found = existingKeyFiles(paths.dir);
      return found.length === 0 ? { done: true, detail: `no key pair in ${paths.dir}` } : { done: false, detail: `${found.length} key file(s) in ${paths.dir}` };
    },
    async plan() {
      return [{ kind: 'file', text: `delete ${paths.privateKey} and ${paths.publicKey}` }];
    },
    async apply() {
      const found = existingKeyFiles(paths.dir);
      for (const f of found) rmSync(f, { force: true });
      return `deleted ${found.length} key file(s)`;
    },
  };
}

function fingerprint(publicKeyFile: string): string {
  if (!existsSync(publicKeyFile)) return 'no public key';
  try {
    return publicKeyFingerprint(readFileSync(publicKeyFile, 'utf8'));
  } catch {
    return 'unreadable public key';
  }
}
