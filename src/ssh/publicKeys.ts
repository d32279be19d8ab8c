/**
 * OpenSSH public key lines, as authorized_keys holds them: `[options] type base64 [comment]`.
 * Pure parsing: a malformed line is an SfpipeError naming the file and line; a well-formed
 * line sfpipe cannot honour (a forced command, a certificate authority, an unknown option,
 * a key type ssh2 cannot verify) is returned as a warning so the key is left out, never
 * silently granted more than its line says.
 */
import { createHash } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { SfpipeError } from '../domain/errors.js';

const KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ssh-dss',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);
const CERT_SUFFIX = '-cert-v01@openssh.com';

/** Restrictions from the options field that sfpipe enforces. */
export interface KeyRestrictions {
  /** from="…" patterns: the client address must match one and none of the negated ones */
  from: string[] | undefined;
  /** no-pty (or restrict without pty): the session gets the status text, never the console */
  noPty: boolean;
  /** expiry-time="…", epoch ms */
  expiresAt: number | undefined;
}

export interface PublicKeyEntry {
  type: string;
  /** the key blob (what the client sends) */
  blob: Buffer;
  /** SHA256:… as `ssh-keygen -l` prints it */
  fingerprint: string;
  comment: string;
  /** file:line */
  location: string;
  restrictions: KeyRestrictions;
  /** ssh2's key object, used to verify signatures */
  key: ParsedKey;
}

export type LineOutcome = { entry: PublicKeyEntry } | { warning: string } | undefined;

/** SHA256 of the key blob, base64 without padding: the form OpenSSH prints. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Options end at the first unquoted blank; quotes may contain blanks and \" escapes. */
function splitOptions(line: string): [string, string] {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ' ' || c === '\t')) return [line.slice(0, i), line.slice(i).trimStart()];
  }
  return [line, ''];
}

/** `a,b="x,y",c` → [['a'], ['b','x,y'], ['c']] */
function parseOptionList(text: string, location: string): [string, string | undefined][] {
  const out: [string, string | undefined][] = [];
  let i = 0;
  while (i < text.length) {
    let name = '';
    while (i < text.length && text[i] !== ',' && text[i] !== '=') name += text[i++];
    let value: string | undefined;
    if (text[i] === '=') {
      i++;
      if (text[i] !== '"') throw new SfpipeError('invalid-input', 'ssh', `option ${name} needs a quoted value`, { location, hint: `write it as ${name}="…"` });
      i++;
      value = '';
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && text[i + 1] === '"') i++;
        value += text[i++];
      }
      if (text[i] !== '"') throw new SfpipeError('invalid-input', 'ssh', `option ${name} has an unterminated quote`, { location });
      i++;
    }
    if (name === '') throw new SfpipeError('invalid-input', 'ssh', 'empty option in the options field', { location });
    out.push([name.toLowerCase(), value]);
    if (i < text.length) {
      if (text[i] !== ',') throw new SfpipeError('invalid-input', 'ssh', `unexpected "${text[i]}" after option ${name}`, { location });
      i++;
    }
  }
  return out;
}

// Options that only govern what sfpipe never grants anyway (forwarding, agent, X11, rc, env, FIDO touch).
const MOOT_OPTIONS = new Set([
  'no-agent-forwarding',
  'agent-forwarding',
  'no-port-forwarding',
  'port-forwarding',
  'no-x11-forwarding',
  'x11-forwarding',
  'no-user-rc',
  'user-rc',
  'environment',
  'permitopen',
  'permitlisten',
  'tunnel',
  'no-touch-required',
  'touch-required',
  'verify-required',
]);

/** OpenSSH's expiry-time: YYYYMMDD[HHMM[SS]], local time unless it ends in Z. */
export function parseExpiry(text: string, location: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?(Z)?$/i.exec(text);
  if (!m) throw new SfpipeError('invalid-input', 'ssh', `expiry-time "${text}" is not YYYYMMDD[HHMM[SS]][Z]`, { location });
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const at = m[7] ? Date.UTC(y, mo - 1, d, h, mi, s) : new Date(y, mo - 1, d, h, mi, s).getTime();
  if (!Number.isFinite(at)) throw new SfpipeError('invalid-input', 'ssh', `expiry-time "${text}" is not a date`, { location });
  return at;
}

function restrictionsFrom(options: [string, string | undefined][], location: string): KeyRestrictions | { warning: string } {
  let noPty = false;
  let pty = false;
  let from: string[] | undefined;
  let expiresAt: number | undefined;
  for (const [name, value] of options) {
    if (name === 'command') return { warning: `${location}: key has a forced command; sfpipe never runs commands, so the key is not accepted here` };
    if (name === 'cert-authority' || name === 'principals') return { warning: `${location}: certificate authorities are not supported; line skipped` };
    if (name === 'restrict' || name === 'no-pty') noPty = true;
    else if (name === 'pty') pty = true;
    else if (name === 'from') {
      if (value === undefined) throw new SfpipeError('invalid-input', 'ssh', 'from needs a quoted pattern list', { location });
      from = value.split(',').map((p) => p.trim()).filter(Boolean);
    } else if (name === 'expiry-time') {
      if (value === undefined) throw new SfpipeError('invalid-input', 'ssh', 'expiry-time needs a quoted date', { location });
      expiresAt = parseExpiry(value, location);
    } else if (!MOOT_OPTIONS.has(name)) return { warning: `${location}: unknown option "${name}"; line skipped (as OpenSSH does)` };
  }
  // `restrict,pty` re-enables the terminal; a plain no-pty does not.
  const explicitNoPty = options.some(([n]) => n === 'no-pty');
  return { from, noPty: explicitNoPty || (noPty && !pty), expiresAt };
}

function decodeBlob(type: string, base64: string, location: string): Buffer {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new SfpipeError('invalid-input', 'ssh', `the ${type} key is not base64`, { location, hint: 'paste the whole line of the .pub file' });
  const blob = Buffer.from(base64, 'base64');
  // The blob starts with its own type name: a truncated or mislabelled key is caught here.
  const len = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  const inner = len > 0 && 4 + len <= blob.length ? blob.subarray(4, 4 + len).toString('latin1') : undefined;
  if (inner !== type) throw new SfpipeError('invalid-input', 'ssh', `the key data does not hold a ${type} key${inner ? ` (it holds ${inner})` : ''}`, { location, hint: 'paste the whole line of the .pub file' });
  return blob;
}

const NO_RESTRICTIONS: KeyRestrictions = { from: undefined, noPty: false, expiresAt: undefined };

/**
 * One line of an authorized_keys (or operators) file; undefined for blank lines and comments.
 * `ignoreOptions` is for files that only name keys (operators): their options mean nothing there.
 */
export function parsePublicKeyLine(raw: string, location: string, { ignoreOptions = false } = {}): LineOutcome {
  const line = raw.trim();
  if (line === '' || line.startsWith('#')) return undefined;
  let optionsText = '';
  let rest = line;
  const firstWord = line.split(/\s/, 1)[0]!;
  const looksLikeType = /^(ssh|ecdsa|sk)-/.test(firstWord); // no option name starts like a key type
  if (looksLikeType && !KEY_TYPES.has(firstWord) && !firstWord.endsWith(CERT_SUFFIX)) {
    throw new SfpipeError('invalid-input', 'ssh', `unknown key type "${firstWord}"`, { location, hint: `one of ${[...KEY_TYPES].join(', ')}` });
  }
  if (!looksLikeType) [optionsText, rest] = splitOptions(line);
  const [type, base64, ...commentWords] = rest.split(/\s+/);
  if (type === undefined || type === '' || base64 === undefined) {
    throw new SfpipeError('invalid-input', 'ssh', 'not a public key line (expected "[options] type base64 [comment]")', { location, hint: 'paste the whole line of the .pub file' });
  }
  if (type.endsWith(CERT_SUFFIX)) return { warning: `${location}: certificates are not supported; line skipped` };
  if (!KEY_TYPES.has(type)) throw new SfpipeError('invalid-input', 'ssh', `unknown key type "${type}"`, { location, hint: `one of ${[...KEY_TYPES].join(', ')}` });
  const blob = decodeBlob(type, base64, location);
  const restrictions = ignoreOptions ? NO_RESTRICTIONS : restrictionsFrom(optionsText ? parseOptionList(optionsText, location) : [], location);
  if ('warning' in restrictions) return restrictions;
  // ssh2 verifies RSA, DSA, ECDSA and Ed25519 signatures, not security-key (sk-…) ones.
  if (type.startsWith('sk-')) return { warning: `${location}: ${type} keys cannot be verified by this server; line skipped` };
  const parsed = ssh2.utils.parseKey(`${type} ${base64}`);
  if (parsed instanceof Error) throw new SfpipeError('invalid-input', 'ssh', `the ${type} key is damaged or truncated`, { location, hint: 'paste the whole line of the .pub file' });
  return { entry: { type, blob, fingerprint: fingerprintOf(blob), comment: commentWords.join(' '), location, restrictions, key: parsed } };
}

function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(text);
}

function patternMatches(pattern: string, address: string): boolean {
  const slash = pattern.indexOf('/');
  if (slash > 0) {
    const net = pattern.slice(0, slash);
    const bits = Number(pattern.slice(slash + 1));
    const family = isIP(net);
    if (family === 0 || !Number.isInteger(bits) || family !== isIP(address)) return false;
    const list = new BlockList();
    list.addSubnet(net, bits, family === 4 ? 'ipv4' : 'ipv6');
    return list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
  // Host name patterns never match: sfpipe does no reverse DNS, which is also what makes them spoofable.
  return globMatch(pattern, address);
}

/** OpenSSH from="…" semantics: a negated match refuses, otherwise any positive match allows. */
export function addressAllowed(patterns: readonly string[], rawAddress: string): boolean {
  const address = normalizeAddress(rawAddress);
  let allowed = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (patternMatches(p.slice(1), address)) return false;
    } else if (patternMatches(p, address)) allowed = true;
  }
  return allowed;
}
