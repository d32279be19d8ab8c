/**
 * Value parsers for configuration: each takes an untrusted value and where it came from
 * (`file:key`, `$ENV_VAR`, `--flag`) and returns a typed value or throws one clear
 * invalid-input SfpipeError naming that place. Echoed values are quoted and shortened, and
 * URL credentials are masked, so an error never carries more than it needs.
 */
import { SfpipeError } from '../domain/errors.js';
import { MASK } from './secret.js';

export type Parser<T> = (value: unknown, where: string) => T;

export function invalid(where: string, message: string, hint?: string): SfpipeError {
  return new SfpipeError('invalid-input', 'config', message, { location: where, hint });
}

/** A short, quoted, single-line rendering of a value for an error message. */
export function show(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(maskUrlCredentials(value.length > 80 ? `${value.slice(0, 77)}…` : value));
  else if (typeof value === 'bigint') text = `${value}`;
  else if (Array.isArray(value)) text = 'an array';
  else if (value !== null && typeof value === 'object') text = value instanceof Date ? 'a date' : 'a table';
  else text = String(value);
  return text;
}

export function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'a table';
  if (typeof value === 'bigint') return 'an integer';
  return `a ${typeof value}`;
}

function maskUrlCredentials(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, `$1${MASK}@`);
}

export const string: Parser<string> = (value, where) => {
  if (typeof value !== 'string') throw invalid(where, `expected a string, got ${typeName(value)}`);
  if (value.trim() === '') throw invalid(where, 'must not be empty');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(value)) throw invalid(where, `must not contain control characters, got ${show(value)}`);
  return value;
};

export const boolean: Parser<boolean> = (value, where) => {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false|1|0)$/i.test(value.trim())) return /^(true|1)$/i.test(value.trim());
  throw invalid(where, `expected true or false, got ${show(value)}`);
};

export function pattern(re: RegExp, what: string, example: string, maxLength = 255): Parser<string> {
  return (value, where) => {
    const s = string(value, where);
    if (s.length > maxLength || !re.test(s)) throw invalid(where, `${show(s)} is not a valid ${what} (e.g. ${example})`);
    return s;
  };
}

export function oneOf<T extends string>(choices: readonly T[]): Parser<T> {
  return (value, where) => {
    const s = string(value, where);
    if (!(choices as readonly string[]).includes(s)) throw invalid(where, `expected one of ${choices.join(', ')}, got ${show(s)}`);
    return s as T;
  };
}

/** Seconds as a number; `allowZero` for "0 = only on demand". */
export function seconds(opts: { min: number; max: number; allowZero: boolean }): Parser<number> {
  return (value, where) => {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : typeof value === 'bigint' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw invalid(where, `expected a number of seconds, got ${show(value)}`);
    if (n === 0 && opts.allowZero) return 0;
    if (n < opts.min || n > opts.max) {
      throw invalid(where, `must be ${opts.allowZero ? '0 or ' : ''}between ${opts.min} and ${opts.max} seconds, got ${n}`);
    }
    return n;
  };
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;

export function isHostname(host: string): boolean {
  return HOSTNAME.test(host) || IPV6.test(host);
}

export function port(value: unknown, where: string): number {
  const n = typeof value === 'string' && /^\d{1,5}$/.test(value.trim()) ? Number(value) : typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) throw invalid(where, `expected a port number 1–65535, got ${show(value)}`);
  return n;
}

/** host:port (IPv6 in brackets). */
export const hostPort: Parser<string> = (value, where) => {
  const s = string(value, where).trim();
  const m = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(s);
  if (!m || !isHostname(m[1]!)) throw invalid(where, `${show(s)} is not host:port (e.g. 127.0.0.1:9092)`);
  port(m[2], where);
  return s;
};

/** A comma-separated string or an array of host:port. */
export const brokerList: Parser<string[]> = (value, where) => {
  const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
  if (!Array.isArray(items)) throw invalid(where, `expected "host:port,…" or an array of them, got ${typeName(value)}`);
  if (items.length === 0 || items.every((s) => s === '')) throw invalid(where, 'needs at least one broker (e.g. 127.0.0.1:9092)');
  return items.map((item, i) => hostPort(item, Array.isArray(value) ? `${where}[${i}]` : where));
};

/** An http(s) URL without credentials, query or fragment; returned without a trailing slash. */
export const httpUrl: Parser<string> = (value, where) => {
  const s = string(value, where).trim();
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw invalid(where, `${show(s)} is not a URL (e.g. http://127.0.0.1:8083)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(where, `${show(s)} must start with http:// or https://`);
  if (!url.hostname) throw invalid(where, `${show(s)} has no host`);
  if (url.username || url.password) throw invalid(where, `${show(s)} contains credentials`, 'remove user:password@ from the URL');
  if (url.search || url.hash) throw invalid(where, `${show(s)} must not have a query or fragment`);
  return url.href.replace(/\/+$/, '');
};

/** DOCKER_HOST forms: unix:///path, tcp://host:port, http(s)://host:port, ssh://[user@]host[:port], npipe:////./pipe/name. */
export const dockerHost: Parser<string> = (value, where) => {
  const s = string(value, where).trim();
  const unix = /^unix:\/\/(\/[^\s]*)$/.exec(s);
  if (unix) return s;
  if (/^npipe:\/\/\S+$/.test(s)) return s;
  let url: URL | undefined;
  try {
    url = new URL(s);
  } catch {
    url = undefined;
  }
  if (url && ['tcp:', 'http:', 'https:'].includes(url.protocol) && url.hostname && (url.pathname === '' || url.pathname === '/')) {
    if (url.password) throw invalid(where, `${show(s)} contains a password`, 'use ssh keys or a socket instead');
    return s;
  }
  if (url && url.protocol === 'ssh:' && url.hostname && !url.password) return s;
  throw invalid(where, `${show(s)} is not a Docker host (e.g. unix:///var/run/docker.sock or tcp://127.0.0.1:2375)`);
};

/** An array of unique strings, each checked by `item`. */
export function uniqueList(item: Parser<string>, what: string): Parser<string[]> {
  return (value, where) => {
    const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
    if (!Array.isArray(items)) throw invalid(where, `expected an array of ${what}, got ${typeName(value)}`);
    if (items.length === 0) throw invalid(where, `needs at least one ${what}`);
    const out = items.map((v, i) => item(v, Array.isArray(value) ? `${where}[${i}]` : where));
    const dup = out.find((v, i) => out.findIndex((o) => o.toLowerCase() === v.toLowerCase()) !== i);
    if (dup !== undefined) throw invalid(where, `${show(dup)} is listed twice`);
    return out;
  };
}

/** Unquoted Snowflake identifier: sfpipe quotes nothing it did not validate. */
export const snowflakeIdentifier = pattern(/^[A-Za-z_][A-Za-z0-9_$]*$/, 'Snowflake identifier (letters, digits, _ and $, not starting with a digit)', 'KAFKA_DB');

/** Topic names double as table names (upper-cased), so they follow both rule sets. */
export const topicName = pattern(/^[A-Za-z][A-Za-z0-9_]*$/, 'topic name (letters, digits and _, starting with a letter)', 'pageviews', 200);

export const connectorName = pattern(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'connector name', 'snowflake-sink', 200);

export const composeProject = pattern(/^[a-z0-9][a-z0-9_-]*$/, 'compose project name (lower-case letters, digits, _ and -)', 'sfpipe', 100);

export const connectionName = pattern(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'connection name', 'kafka_demo', 200);

export const pathString: Parser<string> = (value, where) => string(value, where);
