export { generateKeyPair, type KeyPairPem } from './generate.js';
export { decryptPrivateKey, loadPrivateKey, type LoadedPrivateKey } from './load.js';
export { alterUserStatement, publicKeyBody, publicKeyFingerprint } from './public-key.js';
export { assertCanWrite, ensureKeysDir, existingKeyFiles, keyPairPaths, writeKeyPair, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, type KeyPairPaths } from './files.js';
