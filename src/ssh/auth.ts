/**
 * Who may connect, and as what: the keys of an authorized_keys file may connect; those an
 * operators file names (by key line or SHA256 fingerprint) may run operations; every other
 * key is a read-only viewer. Files are read once at start; a file others can write is
 * refused, like sshd's StrictModes, since anyone who can edit it can let themselves in.
 */
import { readFileSync, statSync } from 'node:fs';
import { SfpipeError } from '../domain/errors.js';
import { addressAllowed, fingerprintOf, parsePublicKeyLine, type PublicKeyEntry } from './publicKeys.js';

export type Role = 'operator' | 'viewer';

export interface KeyFile {
  keys: PublicKeyEntry[];
  /** lines left out (forced commands, certificates, unknown options): logged at start */
  warnings: string[];
}

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** Read a key file sfpipe trusts: it must exist and not be writable by group or others. */
export function readTrustedFile(file: string, what: string, platform: NodeJS.Platform = process.platform): string {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new SfpipeError('not-found', 'ssh', `${what} ${file} does not exist`, { location: file, hint: `create it, or name another file with --${what}` });
    throw new SfpipeError('auth', 'ssh', `cannot read ${what} ${file} (${code ?? 'error'})`, { location: file, cause: err });
  }
  if (platform !== 'win32' && (mode & 0o022) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw new SfpipeError('invalid-input', 'ssh', `${what} ${file} is writable by other users (mode ${octal})`, { location: file, hint: `run \`chmod go-w ${file}\`` });
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new SfpipeError('auth', 'ssh', `cannot read ${what} ${file}`, { location: file, cause: err });
  }
}

export function parseAuthorizedKeys(text: string, file: string): KeyFile {
  const keys: PublicKeyEntry[] = [];
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const outcome = parsePublicKeyLine(line, `${file}:${i + 1}`);
    if (!outcome) return;
    if ('warning' in outcome) warnings.push(outcome.warning);
    else keys.push(outcome.entry);
  });
  return { keys, warnings };
}

/** Operators: key lines (options ignored) or `SHA256:…` fingerprints, one per line, # comments. */
export function parseOperators(text: string, file: string): Set<string> {
  const fingerprints = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    const location = `${file}:${i + 1}`;
    if (line === '' || line.startsWith('#')) return;
    const first = line.split(/\s+/, 1)[0]!;
    if (first.startsWith('SHA256:')) {
      if (!FINGERPRINT.test(first)) throw new SfpipeError('invalid-input', 'ssh', `"${first}" is not a SHA256 key fingerprint`, { location, hint: 'copy it from `ssh-keygen -lf key.pub`' });
      fingerprints.add(first);
      return;
    }
    const outcome = parsePublicKeyLine(line, location, { ignoreOptions: true });
    if (outcome && 'entry' in outcome) fingerprints.add(outcome.entry.fingerprint);
    else if (outcome) throw new SfpipeError('invalid-input', 'ssh', outcome.warning.slice(location.length + 2), { location, hint: 'name the operator by a plain key line or its SHA256 fingerprint' });
  });
  return fingerprints;
}

export type AuthDecision =
  | { ok: true; key: PublicKeyEntry; role: Role }
  | { ok: false; reason: string; fingerprint: string };

/** The keys sfpipe accepts and their roles. */
export class KeyRing {
  private readonly byBlob = new Map<string, PublicKeyEntry>();

  constructor(
    keys: readonly PublicKeyEntry[],
    private readonly operators: ReadonlySet<string> = new Set(),
  ) {
    for (const k of keys) if (!this.byBlob.has(k.blob.toString('base64'))) this.byBlob.set(k.blob.toString('base64'), k);
  }

  get size(): number {
    return this.byBlob.size;
  }

  /** Operator fingerprints with no authorized key: they can never connect (worth a warning). */
  orphanOperators(): string[] {
    const known = new Set([...this.byBlob.values()].map((k) => k.fingerprint));
    return [...this.operators].filter((f) => !known.has(f));
  }

  roleOf(fingerprint: string): Role {
    return this.operators.has(fingerprint) ? 'operator' : 'viewer';
  }

  /** May this key, offered from this address now, log in? (The signature is checked separately.) */
  check(blob: Buffer, address: string, now: number): AuthDecision {
    const key = this.byBlob.get(blob.toString('base64'));
    if (!key) return { ok: false, reason: 'key not in authorized_keys', fingerprint: fingerprintOf(blob) };
    const { from, expiresAt } = key.restrictions;
    if (expiresAt !== undefined && now >= expiresAt) return { ok: false, reason: `key expired (${key.location})`, fingerprint: key.fingerprint };
    if (from !== undefined && !addressAllowed(from, address)) return { ok: false, reason: `address not allowed by from="${from.join(',')}" (${key.location})`, fingerprint: key.fingerprint };
    return { ok: true, key, role: this.roleOf(key.fingerprint) };
  }

  /** Did the holder of the key sign this session's data? */
  verify(key: PublicKeyEntry, data: Buffer, signature: Buffer, hashAlgo: string | undefined): boolean {
    try {
      return key.key.verify(data, signature, hashAlgo) === true;
    } catch {
      return false;
    }
  }
}

export interface LoadKeysOptions {
  authorizedKeysFile: string;
  operatorsFile?: string;
  platform?: NodeJS.Platform;
}

/** Read and check both files; throws with file and line on bad input, changes nothing. */
export function loadKeyRing(options: LoadKeysOptions): { ring: KeyRing; warnings: string[] } {
  const { authorizedKeysFile: file, operatorsFile, platform } = options;
  const parsed = parseAuthorizedKeys(readTrustedFile(file, 'authorized-keys', platform), file);
  if (parsed.keys.length === 0) {
    throw new SfpipeError('invalid-input', 'ssh', `${file} holds no usable public key`, {
      location: file,
      hint: parsed.warnings.length ? parsed.warnings[0] : 'add a line from a .pub file (ssh-ed25519 AAAA… comment)',
    });
  }
  const operators = operatorsFile ? parseOperators(readTrustedFile(operatorsFile, 'operators', platform), operatorsFile) : new Set<string>();
  const ring = new KeyRing(parsed.keys, operators);
  const warnings = [...parsed.warnings, ...ring.orphanOperators().map((f) => `operator ${f} (${operatorsFile}) is not in ${file}, so it cannot connect`)];
  return { ring, warnings };
}
