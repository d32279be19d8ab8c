/**
 * Placeholders in connector files: `${name}` where name is one of KNOWN_PLACEHOLDERS.
 * The name never contains ':', so Kafka Connect's own config-provider references
 * (`${file:/path:key}`, `${env:VAR}`) are left alone and reach the worker unchanged.
 */
import { isSecretKey } from './secrets.js';

export interface PlaceholderSpec {
  name: string;
  /** what the user sets to fill it, for error hints */
  source: string;
  /** when no value is given, the config key holding it is dropped instead of failing */
  optional: boolean;
}

export const KNOWN_PLACEHOLDERS: readonly PlaceholderSpec[] = [
  { name: 'snowflake.url.name', source: 'the pipeline connection (account URL, e.g. myorg-myaccount.snowflakecomputing.com:443)', optional: false },
  { name: 'snowflake.user.name', source: 'the pipeline connection user', optional: false },
  { name: 'snowflake.private.key', source: 'the pipeline connection private_key_file (sfpipe keys writes keys/rsa_key.p8)', optional: false },
  { name: 'snowflake.private.key.passphrase', source: 'the key passphrase (PRIVATE_KEY_PASSPHRASE or private_key_passphrase); omitted for an unencrypted key', optional: true },
  { name: 'snowflake.database.name', source: 'the pipeline database (default KAFKA_DB)', optional: false },
  { name: 'snowflake.schema.name', source: 'the pipeline schema (default PUBLIC)', optional: false },
  { name: 'snowflake.role.name', source: 'the connector role (default KAFKA_CONNECTOR_ROLE)', optional: false },
];

/** One placeholder occurrence; global so every match in a value is found. */
const PLACEHOLDER = /\$\{([A-Za-z0-9_.-]+)\}/g;

export function placeholdersIn(value: string): string[] {
  return [...value.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

export function knownPlaceholder(name: string): PlaceholderSpec | undefined {
  return KNOWN_PLACEHOLDERS.find((p) => p.name === name);
}

export function isSecretPlaceholder(name: string): boolean {
  return isSecretKey(name);
}

/** The whole value is exactly one placeholder, e.g. "${snowflake.private.key}". */
export function isWholePlaceholder(value: string): boolean {
  return /^\$\{[A-Za-z0-9_.-]+\}$/.test(value);
}

/** A Kafka Connect config-provider reference such as ${file:/secrets/sf.properties:key}. */
export function isConfigProviderReference(value: string): boolean {
  return /^\$\{[A-Za-z0-9_.-]+:[^}]*\}$/.test(value);
}

/** Replace every placeholder with what `fill` returns for its name. */
export function replacePlaceholders(value: string, fill: (name: string) => string): string {
  return value.replace(PLACEHOLDER, (_match, name: string) => fill(name));
}
