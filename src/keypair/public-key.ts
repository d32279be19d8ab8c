/** The public half as Snowflake wants it: the bare base64 body for ALTER USER, and its fingerprint. */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { SfpipeError } from '../domain/errors.js';

/** The base64 body of an SPKI public key PEM, without armour or line breaks. */
export function publicKeyBody(publicPem: string): string {
  const key = toPublicKey(publicPem);
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** RSA_PUBLIC_KEY_FP as DESCRIBE USER shows it: "SHA256:" + base64(sha256(DER of the SPKI key)). */
export function publicKeyFingerprint(key: string | KeyObject): string {
  const der = toPublicKey(key).export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(der).digest('base64')}`;
}

/** The statement that registers the key; `user` must already be a validated identifier. */
export function alterUserStatement(user: string, publicPem: string): string {
  return `ALTER USER ${user} SET RSA_PUBLIC_KEY='${publicKeyBody(publicPem)}';`;
}

function toPublicKey(key: string | KeyObject): KeyObject {
  try {
    // createPublicKey also derives the public key from a (decrypted) private key.
    return createPublicKey(key);
  } catch (err) {
    throw new SfpipeError('invalid-input', 'keys', 'not a PEM public key', { cause: err });
  }
}
