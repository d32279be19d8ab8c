/**
 * loadConfig: defaults, then sfpipe.toml files (user config dir, then the project dir, or
 * only --config), then environment variables, then flags — each value validated where it
 * enters, so any error names the file and key, variable or flag it came from.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { SfpipeError, toSfpipeError } from '../domain/errors.js';
import { describeConfig } from './describe.js';
import { FIELDS, type SfpipeConfig, type SnowflakeConnection } from './schema.js';
import { readSfpipeFile, type Setting } from './sfpipe-file.js';
import {
  connectionExists,
  defaultConnectionName,
  hasGenericConnection,
  knownConnectionNames,
  readConnectionFiles,
  resolveConnection,
  unknownConnection,
  type ConnectionFiles,
  type RawConnection,
} from './snowflake-connections.js';
import { expandHome } from './snowflake-connections.js';

export interface LoadConfigOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** parsed command-line flags; only the config flags are read, others are ignored */
  flags?: Record<string, unknown>;
  homedir: string;
  platform?: NodeJS.Platform;
  /** per-key connection values that beat every other source (flags of a future command) */
  connectionOverrides?: RawConnection;
  /** skip Snowflake connection files (commands that never log in, such as `keys`) */
  skipConnections?: boolean;
  /** read no sfpipe.toml (doctor's fallback when a file is broken) */
  ignoreFiles?: boolean;
}

export interface LoadedConfig extends SfpipeConfig {
  /** a summary that is safe to print or serialise: no secret in it */
  describe(): Record<string, unknown>;
  toJSON(): Record<string, unknown>;
}

export const PROJECT_FILE = 'sfpipe.toml';

/** The user-level sfpipe.toml: $XDG_CONFIG_HOME/sfpipe/sfpipe.toml or ~/.config/sfpipe/sfpipe.toml. */
export function userConfigFile(env: NodeJS.ProcessEnv, homedir: string): string {
  return join(env.XDG_CONFIG_HOME || join(homedir, '.config'), 'sfpipe', PROJECT_FILE);
}

export function loadConfig(opts: LoadConfigOptions): LoadedConfig {
  try {
    return load(opts);
  } catch (err) {
    // Never let a raw exception out: a bug here still becomes one clear line.
    throw err instanceof SfpipeError ? err : toSfpipeError(err, 'config', 'invalid-input');
  }
}

function load(opts: LoadConfigOptions): LoadedConfig {
  const flags = opts.flags ?? {};
  const settings = new Map<string, Setting>();
  const files: string[] = [];

  const explicit = flags.config;
  if (explicit !== undefined) {
    if (typeof explicit !== 'string' || explicit.trim() === '') throw new SfpipeError('invalid-input', 'config', 'needs a file name', { location: '--config' });
    const file = resolve(opts.cwd, expandHome(explicit, opts.homedir));
    mergeInto(settings, readSfpipeFile(file));
    files.push(file);
  } else if (!opts.ignoreFiles) {
    for (const file of [userConfigFile(opts.env, opts.homedir), join(opts.cwd, PROJECT_FILE)]) {
      if (!existsSync(file)) continue;
      mergeInto(settings, readSfpipeFile(file));
      files.push(file);
    }
  }

  for (const field of FIELDS) {
    const raw = field.env ? opts.env[field.env] : undefined;
    if (field.env && raw !== undefined && raw !== '') {
      settings.set(field.key, { value: field.parse(raw, `$${field.env}`), where: `$${field.env}`, baseDir: opts.cwd });
    }
  }
  for (const field of FIELDS) {
    const raw = field.flag ? flags[field.flag] : undefined;
    if (field.flag && raw !== undefined) {
      settings.set(field.key, { value: field.parse(raw, `--${field.flag}`), where: `--${field.flag}`, baseDir: opts.cwd });
    }
  }

  const get = <T>(key: string): T => {
    const field = FIELDS.find((f) => f.key === key)!;
    const s = settings.get(key);
    if (!s) return (field.isPath ? resolve(opts.cwd, field.default as string) : field.default) as T;
    if (field.isPath) {
      const p = expandHome(s.value as string, opts.homedir);
      return (isAbsolute(p) ? p : resolve(s.baseDir, p)) as T;
    }
    return s.value as T;
  };

  const connFiles: ConnectionFiles = opts.skipConnections
    ? { home: '', files: [], sections: new Map(), defaultName: undefined }
    : readConnectionFiles(opts.env, opts.homedir, opts.platform);
  const resolveOpts = { env: opts.env, homedir: opts.homedir, cwd: opts.cwd, overrides: opts.connectionOverrides };
  const pickConnection = (key: 'snowflake.connection' | 'snowflake.admin_connection'): SnowflakeConnection | undefined => {
    const s = settings.get(key);
    if (s && !opts.skipConnections) {
      const name = s.value as string;
      if (!connectionExists(connFiles, opts.env, name)) throw unknownConnection(connFiles, opts.env, name, s.where);
      return resolveConnection(connFiles, name, s.where.startsWith('--') ? 'flag' : 'config', resolveOpts);
    }
    return opts.skipConnections ? undefined : defaultConnection(connFiles, opts.env, resolveOpts);
  };

  const config: SfpipeConfig = {
    kafka: { brokers: get('kafka.brokers'), topics: get('kafka.topics') },
    connect: { url: get('connect.url'), sinkConnector: get('connect.sink_connector'), connectorVersion: get('connect.connector_version') },
    schemaRegistry: { url: get('schema_registry.url') },
    docker: { host: get('docker.host'), composeProject: get('docker.compose_project') },
    console: {
      refreshMs: Math.round(get<number>('console.refresh') * 1000),
      slowRefreshMs: Math.round(get<number>('console.slow_refresh') * 1000),
      readOnly: get('console.read_only'),
    },
    snowflake: {
      objects: {
        database: get('snowflake.database'),
        schema: get('snowflake.schema'),
        role: get('snowflake.role'),
        user: get('snowflake.user'),
        adminWarehouse: get('snowflake.admin_warehouse'),
        taskWarehouse: get('snowflake.task_warehouse'),
      },
      pipeline: pickConnection('snowflake.connection'),
      admin: pickConnection('snowflake.admin_connection'),
      knownConnections: knownConnectionNames(connFiles, opts.env),
      home: connFiles.home,
    },
    keys: { dir: get('keys.dir') },
    files,
  };
  return Object.assign(config, {
    describe: () => describeConfig(config),
    toJSON: () => describeConfig(config),
  });
}

function mergeInto(target: Map<string, Setting>, source: Map<string, Setting>): void {
  for (const [k, v] of source) target.set(k, v);
}

/** The default connection, or undefined when nothing is configured (a valid state). */
function defaultConnection(files: ConnectionFiles, env: NodeJS.ProcessEnv, opts: Parameters<typeof resolveConnection>[3]): SnowflakeConnection | undefined {
  const d = defaultConnectionName(files, env);
  if (connectionExists(files, env, d.name)) return resolveConnection(files, d.name, 'default', opts);
  // Someone named it on purpose: a missing one is a mistake, not "unconfigured".
  if (d.where !== undefined) throw unknownConnection(files, env, d.name, d.where);
  if (hasGenericConnection(env)) return resolveConnection(files, d.name, 'default', opts);
  return undefined;
}
