/**
 * Filling placeholders with the caller's values (taken from sfpipe's configuration at deploy
 * time) to produce the config to PUT to /connectors/<name>/config. Errors name the file and
 * key, never a value. Keys filled from a secret placeholder are remembered for redaction.
 */
import { SfpipeError, toSfpipeError } from '../domain/errors.js';
import { configPath } from './jsonPath.js';
import type { ConnectorSpec } from './load.js';
import { isSecretPlaceholder, isWholePlaceholder, knownPlaceholder, placeholdersIn, replacePlaceholders } from './placeholders.js';
import { REDACTED, redactConfig } from './secrets.js';

export interface RenderedConnector {
  name: string;
  /** the body of PUT /connectors/<name>/config */
  config: Record<string, string>;
  /** keys whose value came from a secret placeholder, whatever their name */
  secretKeys: string[];
}

export type PlaceholderValues = Readonly<Record<string, string>>;

/** The REST path the rendered config goes to. */
export function connectorConfigPath(name: string): string {
  return `/connectors/${encodeURIComponent(name)}/config`;
}

/**
 * The Snowflake connector wants the key's base64 body on one line: drop the PEM armour
 * (-----BEGIN … KEY-----) and every line break, so a key file can be passed as read.
 */
export function privateKeyBody(pem: string): string {
  return pem
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith('-----'))
    .join('')
    .replace(/\s+/g, '');
}

export interface RenderOptions {
  /** deploy under another connector name (sfpipe.toml connect.sink_connector for the sink) */
  name?: string;
}

const CONNECTOR_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function renderConnector(spec: ConnectorSpec, values: PlaceholderValues, options: RenderOptions = {}): RenderedConnector {
  try {
    const rendered = renderUnsafe(spec, values);
    if (options.name === undefined || options.name === spec.name) return rendered;
    if (!CONNECTOR_NAME.test(options.name)) throw new SfpipeError('invalid-input', 'connect', `"${options.name}" is not a usable connector name`, { location: spec.file, hint: 'use letters, digits, ".", "_" and "-"' });
    // Connect rejects a config whose "name" differs from the one in the URL
    if (rendered.config.name !== undefined) rendered.config.name = options.name;
    return { ...rendered, name: options.name };
  } catch (err) {
    // anything unexpected still leaves as the one error type
    throw toSfpipeError(err, 'connect', 'internal');
  }
}

function renderUnsafe(spec: ConnectorSpec, values: PlaceholderValues): RenderedConnector {
  if (typeof values !== 'object' || values === null) throw new SfpipeError('internal', 'connect', 'renderConnector needs an object of placeholder values', { location: spec.file });
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, template] of Object.entries(spec.config)) {
    const where = `${spec.file}: ${configPath(key)}`;
    const names = placeholdersIn(template);
    if (names.length === 0) {
      config[key] = template;
      continue;
    }
    const missingOptional = names.find((n) => knownPlaceholder(n)?.optional && !hasValue(values, n));
    if (missingOptional !== undefined && isWholePlaceholder(template)) continue; // e.g. no passphrase for an unencrypted key
    const rendered = replacePlaceholders(template, (name) => valueFor(values, name, where));
    if (placeholdersIn(rendered).length > 0) {
      throw new SfpipeError('invalid-input', 'connect', 'the filled-in value still contains a ${…} placeholder', { location: where, hint: 'a value must not itself look like ${name}' });
    }
    config[key] = rendered;
    if (names.some(isSecretPlaceholder)) secretKeys.push(key);
  }
  return { name: spec.name, config, secretKeys };
}

function hasValue(values: PlaceholderValues, name: string): boolean {
  return Object.hasOwn(values, name) && typeof values[name] === 'string' && values[name] !== '';
}

function valueFor(values: PlaceholderValues, name: string, where: string): string {
  const spec = knownPlaceholder(name);
  if (!spec) throw new SfpipeError('invalid-input', 'connect', `unknown placeholder \${${name}}`, { location: where, hint: 'only the placeholders listed in connectors/README.md are filled' });
  if (!hasValue(values, name)) throw new SfpipeError('invalid-input', 'connect', `no value for \${${name}}`, { location: where, hint: `set ${spec.source}` });
  const value = values[name] as string;
  if (placeholdersIn(value).length > 0) throw new SfpipeError('invalid-input', 'connect', `the value given for \${${name}} itself looks like a placeholder`, { location: where });
  if (name !== 'snowflake.private.key') return value;
  const body = privateKeyBody(value);
  if (body === '') throw new SfpipeError('invalid-input', 'connect', 'the private key is empty once its PEM armour is removed', { location: where, hint: 'pass the contents of rsa_key.p8' });
  return body;
}

/** What may be logged, printed in a dry run or shown in the UI. */
export function redactRendered(rendered: RenderedConnector): { name: string; config: Record<string, string> } {
  return { name: rendered.name, config: redactConfig(rendered.config, rendered.secretKeys) };
}

export { REDACTED };
