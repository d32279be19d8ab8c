/**
 * Secret scrubbing for anything that leaves the process: objects (connector configs, JSON
 * output, audit records) and free text (errors, logs, dry-run plans).
 */
import { MASK, Secret } from './secret.js';

export { MASK } from './secret.js';

const ALWAYS_SECRET = /(password|passphrase|passwd|pwd|pass|secret|token)$/;
const PATH_LIKE = /(file|path|dir|url)$/;
const SECRET_WORD = /(password|passphrase|passwd|secret|token|privatekey)/;

/**
 * True for keys whose value is a secret: password, private_key_passphrase, privateKeyPass,
 * snowflake.private.key, snowflake.private.key.passphrase … but not private_key_file (a path).
 */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (ALWAYS_SECRET.test(k)) return true;
  if (PATH_LIKE.test(k)) return false;
  return SECRET_WORD.test(k);
}

const PEM_PRIVATE = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----[\s\S]*?(?:-----END \1-----|$)/g;

/** Deep copy with secret-named values replaced by *** and private PEM blocks removed from strings. */
export function redact<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubPem(value);
  if (value instanceof Secret) return MASK;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretKey(k) && v !== undefined && v !== null && v !== '' ? MASK : redactValue(v, seen);
  }
  return out;
}

function scrubPem(text: string): string {
  return text.replace(PEM_PRIVATE, MASK);
}

export const MIN_SECRET_LENGTH = 4;

/**
 * Free text with private PEM blocks and every given secret removed. For a PEM secret the
 * base64 body is removed too, whole and line by line, since a body without its armour is
 * just as secret. Values shorter than MIN_SECRET_LENGTH are left alone.
 */
export function redactText(text: string, secrets: Iterable<string | Secret | undefined> = []): string {
  let out = scrubPem(text);
  const needles: string[] = [];
  for (const s of secrets) {
    const v = s instanceof Secret ? s.reveal() : s;
    // Shorter values cannot be told apart from ordinary text; no real secret is that short.
    if (!v || v.length < MIN_SECRET_LENGTH) continue;
    needles.push(v);
    // …and as it appears inside a JSON string
    const escaped = JSON.stringify(v).slice(1, -1);
    if (escaped !== v) needles.push(escaped);
    const body = pemBody(v);
    if (body) {
      needles.push(body);
      for (const line of v.split(/\r?\n/)) if (line.length >= 16 && !line.startsWith('-----')) needles.push(line.trim());
    }
  }
  // Longest first, so a body is removed before the lines it contains.
  for (const n of [...new Set(needles)].sort((a, b) => b.length - a.length)) out = out.split(n).join(MASK);
  return out;
}

/** The base64 body of a PEM document without armour or line breaks, if it is one. */
export function pemBody(pem: string): string | undefined {
  const m = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/.exec(pem);
  return m ? m[1]!.replace(/\s+/g, '') : undefined;
}
