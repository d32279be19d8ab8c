/** An encrypted PKCS#8 RSA 2048 key pair, as Snowflake key-pair authentication expects. */
import { generateKeyPair as generateKeyPairCb } from 'node:crypto';
import { promisify } from 'node:util';
import { SfpipeError } from '../domain/errors.js';

const generateKeyPairAsync = promisify(generateKeyPairCb);

export interface KeyPairPem {
  /** "-----BEGIN ENCRYPTED PRIVATE KEY-----" PKCS#8, AES-256-CBC */
  privatePem: string;
  /** "-----BEGIN PUBLIC KEY-----" SPKI */
  publicPem: string;
}

export async function generateKeyPair(passphrase: string): Promise<KeyPairPem> {
  if (passphrase.length === 0) throw new SfpipeError('invalid-input', 'keys', 'the passphrase must not be empty', { hint: 'set PRIVATE_KEY_PASSPHRASE or type one when asked' });
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase },
  });
  return { privatePem: privateKey, publicPem: publicKey };
}
