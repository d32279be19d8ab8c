/**
 * Which connector settings are secret, and how they look in logs, dry-run output and the UI.
 * Redaction is by key name (anything that looks like a key, passphrase, password, secret or
 * token) plus the keys a render filled from a secret placeholder, whatever their name.
 */
export const REDACTED = '***';

const SECRET_KEY = /private\.key|passphrase|password|secret|token/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A copy of the config with every secret value replaced by ***. */
export function redactConfig(config: Readonly<Record<string, string>>, alsoSecret: Iterable<string> = []): Record<string, string> {
  const extra = new Set(alsoSecret);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) out[key] = isSecretKey(key) || extra.has(key) ? REDACTED : value;
  return out;
}
