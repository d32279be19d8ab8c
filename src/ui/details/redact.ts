/**
 * Belt and braces: the Connect adapter already redacts secrets, but a config shown on
 * screen (and maybe projected at a demo) gets secret-looking keys masked again here.
 */
const SECRET_KEY = /(password|passphrase|private[._-]?key|secret|token|credential|api[._-]?key|jaas)/i;
export const REDACTED = '•••••• (redacted)';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function redactConfig(config: Readonly<Record<string, string>>): Array<[string, string]> {
  return Object.keys(config)
    .sort()
    .map((k) => [k, isSecretKey(k) ? REDACTED : config[k]!]);
}
