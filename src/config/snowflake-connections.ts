/**
 * Snowflake connections, read the way Snowflake's own tools read them:
 *   directory  SNOWFLAKE_HOME, else ~/.snowflake, else the platform config dir (~/.config/snowflake)
 *   files      connections.toml ([name] sections; used alone when it defines any) or
 *              config.toml ([connections.name], default_connection_name); both must be 0600
 *   precedence flags > SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> > file > SNOWFLAKE_<KEY>,
 *              and PRIVATE_KEY_PASSPHRASE overrides the passphrase
 *   default    default_connection_name, else SNOWFLAKE_DEFAULT_CONNECTION_NAME, else "default"
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { SfpipeError } from '../domain/errors.js';
import { assertOwnerOnly } from './permissions.js';
import type { SnowflakeConnection } from './schema.js';
import { Secret } from './secret.js';
import { invalid, isHostname, port as parsePort, show, typeName } from './validate.js';

/** Connection keys sfpipe understands, with the aliases Snowflake's tools accept. */
const KEYS = {
  account: [],
  user: ['username'],
  authenticator: [],
  private_key_file: ['private_key_path'],
  private_key_passphrase: ['private_key_file_pwd'],
  password: [],
  warehouse: [],
  role: [],
  database: [],
  schema: [],
  host: [],
  port: [],
  protocol: [],
} as const satisfies Record<string, readonly string[]>;

export type ConnectionKey = keyof typeof KEYS;
export const CONNECTION_KEYS = Object.keys(KEYS) as ConnectionKey[];
const SECRET_KEYS: ReadonlySet<ConnectionKey> = new Set(['password', 'private_key_passphrase']);

/** Raw values as given (strings, or a number for port), by canonical key. */
export type RawConnection = Partial<Record<ConnectionKey, string | number>>;

interface Section {
  values: Record<string, unknown>;
  /** e.g. "/home/u/.snowflake/connections.toml:[name]" */
  where: string;
}

export interface ConnectionFiles {
  home: string;
  /** files actually read */
  files: string[];
  sections: Map<string, Section>;
  /** default_connection_name from config.toml (or connections.toml), with its location */
  defaultName: { name: string; where: string } | undefined;
}

export function snowflakeHome(env: NodeJS.ProcessEnv, homedir: string, platform: NodeJS.Platform = process.platform): string {
  if (env.SNOWFLAKE_HOME) return resolve(expandHome(env.SNOWFLAKE_HOME, homedir));
  const legacy = join(homedir, '.snowflake');
  if (existsSync(legacy)) return legacy;
  const platformDir =
    platform === 'darwin'
      ? join(homedir, 'Library', 'Application Support', 'snowflake')
      : platform === 'win32'
        ? join(env.LOCALAPPDATA ?? join(homedir, 'AppData', 'Local'), 'snowflake')
        : join(env.XDG_CONFIG_HOME || join(homedir, '.config'), 'snowflake');
  return existsSync(platformDir) ? platformDir : legacy;
}

export function expandHome(path: string, homedir: string): string {
  return path === '~' ? homedir : path.startsWith('~/') ? join(homedir, path.slice(2)) : path;
}

export function readConnectionFiles(env: NodeJS.ProcessEnv, homedir: string, platform: NodeJS.Platform = process.platform): ConnectionFiles {
  const home = snowflakeHome(env, homedir, platform);
  const result: ConnectionFiles = { home, files: [], sections: new Map(), defaultName: undefined };
  const connectionsFile = join(home, 'connections.toml');
  const configFile = join(home, 'config.toml');

  let fromConnections = new Map<string, Section>();
  if (existsSync(connectionsFile)) {
    const doc = readToml(connectionsFile, platform);
    result.files.push(connectionsFile);
    fromConnections = tablesOf(doc, connectionsFile, (n) => `${connectionsFile}:[${n}]`);
    const d = doc.default_connection_name;
    if (d !== undefined) result.defaultName = { name: defaultNameValue(d, `${connectionsFile}:default_connection_name`), where: `${connectionsFile}:default_connection_name` };
  }
  let fromConfig = new Map<string, Section>();
  if (existsSync(configFile)) {
    const doc = readToml(configFile, platform);
    result.files.push(configFile);
    const conns = doc.connections;
    if (conns !== undefined) {
      if (!isTable(conns)) throw invalid(`${configFile}:connections`, `expected a table [connections.<name>], got ${typeName(conns)}`);
      fromConfig = tablesOf(conns, configFile, (n) => `${configFile}:[connections.${n}]`);
    }
    const d = doc.default_connection_name;
    if (d !== undefined) result.defaultName = { name: defaultNameValue(d, `${configFile}:default_connection_name`), where: `${configFile}:default_connection_name` };
  }
  // As Snowflake's tools do: connections.toml, when it defines any, replaces config.toml's [connections].
  result.sections = fromConnections.size > 0 ? fromConnections : fromConfig;
  return result;
}

function readToml(file: string, platform: NodeJS.Platform): Record<string, unknown> {
  assertOwnerOnly(file, 'config', 'Snowflake config file', platform);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SfpipeError('invalid-input', 'config', `cannot read ${file}`, { location: file, cause: err });
  }
  try {
    return parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      const first = err.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
      throw new SfpipeError('invalid-input', 'config', `TOML syntax error: ${first}`, { location: `${file}:${err.line}:${err.column}`, cause: err });
    }
    throw new SfpipeError('invalid-input', 'config', 'could not parse the file as TOML', { location: file, cause: err });
  }
}

function isTable(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

function tablesOf(doc: Record<string, unknown>, _file: string, where: (name: string) => string): Map<string, Section> {
  const out = new Map<string, Section>();
  for (const [name, body] of Object.entries(doc)) if (isTable(body)) out.set(name, { values: body, where: where(name) });
  return out;
}

function defaultNameValue(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(where, `expected a connection name, got ${show(value)}`);
  return value;
}

// ---- environment ------------------------------------------------------------

const envToken = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/** SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> variables, by upper-cased NAME. */
function envConnections(env: NodeJS.ProcessEnv): Map<string, Map<ConnectionKey, { value: string; where: string }>> {
  const suffixes = CONNECTION_KEYS.flatMap((k) => [k, ...KEYS[k]].map((s) => ({ key: k, token: `_${envToken(s)}` })));
  suffixes.sort((a, b) => b.token.length - a.token.length);
  const out = new Map<string, Map<ConnectionKey, { value: string; where: string }>>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('SNOWFLAKE_CONNECTIONS_') || value === undefined) continue;
    const rest = name.slice('SNOWFLAKE_CONNECTIONS_'.length);
    const match = suffixes.find((s) => rest.endsWith(s.token) && rest.length > s.token.length);
    if (!match) continue;
    const conn = rest.slice(0, rest.length - match.token.length);
    const entry = out.get(conn) ?? new Map();
    // A canonical name beats its alias when both are set.
    if (!entry.has(match.key) || match.token === `_${envToken(match.key)}`) entry.set(match.key, { value, where: `$${name}` });
    out.set(conn, entry);
  }
  return out;
}

function genericEnv(env: NodeJS.ProcessEnv): Map<ConnectionKey, { value: string; where: string }> {
  const out = new Map<ConnectionKey, { value: string; where: string }>();
  for (const key of CONNECTION_KEYS) {
    for (const name of [key, ...KEYS[key]].reverse()) {
      const v = env[`SNOWFLAKE_${envToken(name)}`];
      if (v !== undefined && v !== '') out.set(key, { value: v, where: `$SNOWFLAKE_${envToken(name)}` });
    }
  }
  return out;
}

// ---- resolution -------------------------------------------------------------

export interface ResolveOptions {
  env: NodeJS.ProcessEnv;
  homedir: string;
  cwd: string;
  /** highest precedence, e.g. from command-line flags */
  overrides?: RawConnection;
}

/** Every connection name defined in the files or by SNOWFLAKE_CONNECTIONS_<NAME>_* variables. */
export function knownConnectionNames(files: ConnectionFiles, env: NodeJS.ProcessEnv): string[] {
  const names = [...files.sections.keys()];
  for (const token of envConnections(env).keys()) {
    if (!names.some((n) => envToken(n) === token)) names.push(token.toLowerCase());
  }
  return names.sort();
}

export function connectionExists(files: ConnectionFiles, env: NodeJS.ProcessEnv, name: string): boolean {
  return files.sections.has(name) || envConnections(env).has(envToken(name));
}

export interface DefaultConnectionName {
  name: string;
  /** where it was set; undefined for the built-in "default" */
  where: string | undefined;
}

export function defaultConnectionName(files: ConnectionFiles, env: NodeJS.ProcessEnv): DefaultConnectionName {
  if (files.defaultName) return files.defaultName;
  if (env.SNOWFLAKE_DEFAULT_CONNECTION_NAME) return { name: env.SNOWFLAKE_DEFAULT_CONNECTION_NAME, where: '$SNOWFLAKE_DEFAULT_CONNECTION_NAME' };
  return { name: 'default', where: undefined };
}

export function unknownConnection(files: ConnectionFiles, env: NodeJS.ProcessEnv, name: string, where: string): SfpipeError {
  const known = knownConnectionNames(files, env);
  const list = known.length ? `known connections: ${known.join(', ')}` : `no connections are defined in ${files.home}`;
  return new SfpipeError('invalid-input', 'config', `unknown Snowflake connection ${show(name)} (${list})`, {
    location: where,
    hint: `add a [${name}] section to ${join(files.home, 'connections.toml')} or name one of the known connections`,
  });
}

/**
 * One connection with every key merged by precedence. `name` must exist (see connectionExists)
 * unless it is the default connection built from generic SNOWFLAKE_* variables only.
 */
export function resolveConnection(
  files: ConnectionFiles,
  name: string,
  chosenBy: SnowflakeConnection['chosenBy'],
  opts: ResolveOptions,
): SnowflakeConnection {
  const section = files.sections.get(name);
  const envOverrides = envConnections(opts.env).get(envToken(name));
  const generic = genericEnv(opts.env);
  const picked = new Map<ConnectionKey, { value: unknown; where: string }>();
  for (const key of CONNECTION_KEYS) {
    const fromFile = section ? fileValue(section, key) : undefined;
    const candidates = [
      opts.overrides?.[key] !== undefined ? { value: opts.overrides[key], where: `--${key.replace(/_/g, '-')}` } : undefined,
      key === 'private_key_passphrase' && opts.env.PRIVATE_KEY_PASSPHRASE ? { value: opts.env.PRIVATE_KEY_PASSPHRASE, where: '$PRIVATE_KEY_PASSPHRASE' } : undefined,
      envOverrides?.get(key),
      fromFile,
      generic.get(key),
    ];
    const hit = candidates.find((c) => c !== undefined);
    if (hit) picked.set(key, hit);
  }
  const sectionWhere = section?.where ?? `connection ${show(name)}`;
  const str = (key: ConnectionKey): string | undefined => {
    const p = picked.get(key);
    if (!p) return undefined;
    if (typeof p.value !== 'string') throw invalid(p.where, `expected a string, got ${SECRET_KEYS.has(key) ? 'another type' : typeName(p.value)}`);
    // Secrets keep their exact bytes; anything else is trimmed.
    return SECRET_KEYS.has(key) ? p.value : p.value.trim() || undefined;
  };
  const account = str('account');
  if (!account) {
    throw invalid(sectionWhere, `Snowflake connection ${show(name)} has no account`, `set account in ${sectionWhere} or SNOWFLAKE_CONNECTIONS_${envToken(name)}_ACCOUNT`);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(account)) throw invalid(picked.get('account')!.where, `${show(account)} is not a Snowflake account identifier (e.g. myorg-myaccount)`);
  const host = str('host');
  if (host !== undefined && !isHostname(host)) throw invalid(picked.get('host')!.where, `${show(host)} is not a host name`);
  const protocol = str('protocol')?.toLowerCase();
  if (protocol !== undefined && protocol !== 'http' && protocol !== 'https') throw invalid(picked.get('protocol')!.where, `expected http or https, got ${show(protocol)}`);
  const portPick = picked.get('port');
  const port = portPick ? parsePort(portPick.value, portPick.where) : undefined;
  const keyFile = str('private_key_file');
  const privateKeyFile = keyFile === undefined ? undefined : resolveKeyPath(keyFile, opts);
  const passphrase = str('private_key_passphrase');
  const password = str('password');
  const authenticator = str('authenticator') ?? (privateKeyFile ? 'SNOWFLAKE_JWT' : undefined);
  return {
    name,
    chosenBy,
    origins: [...new Set([...picked.values()].map((p) => p.where.replace(/:\[.*$/, '')))],
    account,
    user: str('user'),
    authenticator,
    privateKeyFile,
    privateKeyPassphrase: passphrase === undefined || passphrase === '' ? undefined : new Secret(passphrase),
    password: password === undefined || password === '' ? undefined : new Secret(password),
    warehouse: str('warehouse'),
    role: str('role'),
    database: str('database'),
    schema: str('schema'),
    host,
    port,
    protocol,
  };
}

function fileValue(section: Section, key: ConnectionKey): { value: unknown; where: string } | undefined {
  for (const name of [key, ...KEYS[key]]) {
    if (section.values[name] !== undefined) {
      const value = section.values[name];
      return { value: typeof value === 'bigint' ? Number(value) : value, where: `${section.where}.${name}` };
    }
  }
  return undefined;
}

function resolveKeyPath(path: string, opts: ResolveOptions): string {
  const expanded = expandHome(path, opts.homedir);
  return isAbsolute(expanded) ? expanded : resolve(opts.cwd, expanded);
}

/** True when generic SNOWFLAKE_* variables alone describe a connection (an account at least). */
export function hasGenericConnection(env: NodeJS.ProcessEnv): boolean {
  return genericEnv(env).has('account');
}
