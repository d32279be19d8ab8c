/**
 * The doctor's checks: each a small function of the configuration and the probes, returning
 * results (✓ ok, ! warn, ✗ fail, - skip) with what to do. Only `fail` makes the exit code
 * non-zero: it marks something the pipeline needs and does not have.
 */
import type { ConnectionOptions } from 'snowflake-sdk';
import { DATAGEN_CLASS, SNOWFLAKE_V3_CLASS, SNOWFLAKE_V4_CLASS } from '../../connectors/classes.js';
import type { SfpipeConfig, SnowflakeConnection } from '../../config/schema.js';
import { toConnectionOptions } from '../../config/snowflake-options.js';
import { SfpipeError, toSfpipeError } from '../../domain/errors.js';
import { loadPrivateKey } from '../../keypair/load.js';
import { publicKeyFingerprint } from '../../keypair/public-key.js';
import { CONNECT_PLUGINS } from '../../stack/versions.js';
import type { HttpTarget, Probes } from './probes.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  id: string;
  status: CheckStatus;
  detail: string;
  /** what to do, when status is not ok */
  fix?: string;
}

export const TIMEOUTS = { http: 3000, tcp: 2000, compose: 5000, login: 10_000 } as const;
export const MIN_NODE_MAJOR = 20;

const ok = (id: string, detail: string): CheckResult => ({ id, status: 'ok', detail });
const fail = (id: string, detail: string, fix?: string): CheckResult => ({ id, status: 'fail', detail, ...(fix ? { fix } : {}) });
const warn = (id: string, detail: string, fix?: string): CheckResult => ({ id, status: 'warn', detail, ...(fix ? { fix } : {}) });
const skip = (id: string, detail: string): CheckResult => ({ id, status: 'skip', detail });

function errorText(err: unknown, source: Parameters<typeof toSfpipeError>[1]): SfpipeError {
  return toSfpipeError(err, source);
}

// ---- Node -------------------------------------------------------------------

export function checkNode(probes: Pick<Probes, 'nodeVersion'>): CheckResult {
  const version = probes.nodeVersion();
  const major = Number(version.split('.')[0]);
  return Number.isInteger(major) && major >= MIN_NODE_MAJOR
    ? ok('node', `Node.js ${version}`)
    : fail('node', `Node.js ${version} is too old`, `install Node.js ${MIN_NODE_MAJOR} or newer`);
}

// ---- configuration ----------------------------------------------------------

export function checkConfig(loaded: { config: SfpipeConfig } | { error: SfpipeError }): CheckResult {
  if ('error' in loaded) return fail('config', loaded.error.describe().replace(/^config: /, ''), loaded.error.hint ?? 'fix the file or value named above');
  const files = loaded.config.files;
  return ok('config', files.length ? `loaded ${files.join(', ')}` : 'no sfpipe.toml: defaults, environment and flags');
}

// ---- Docker -----------------------------------------------------------------

/** How to reach the Docker API at a DOCKER_HOST value, or why the doctor cannot. */
export function dockerTarget(host: string): HttpTarget | { unsupported: string } {
  if (host.startsWith('unix://')) return { url: 'http://localhost/version', socketPath: host.slice('unix://'.length) };
  if (/^(tcp|http):\/\//.test(host)) return { url: `${host.replace(/^tcp:/, 'http:').replace(/\/$/, '')}/version` };
  return { unsupported: `${host.split(':')[0]} Docker hosts are not checked by doctor` };
}

export async function checkDocker(config: SfpipeConfig, probes: Pick<Probes, 'httpJson' | 'compose'>): Promise<CheckResult[]> {
  const target = dockerTarget(config.docker.host);
  let engine: CheckResult;
  if ('unsupported' in target) {
    engine = warn('docker', target.unsupported, 'check with `docker version` yourself');
  } else {
    try {
      const { status, body } = await probes.httpJson(target, 'docker', TIMEOUTS.http);
      const version = (body as { Version?: unknown } | null)?.Version;
      engine = status === 200 && typeof version === 'string'
        ? ok('docker', `Docker Engine ${version} at ${config.docker.host}`)
        : fail('docker', `${config.docker.host} answered HTTP ${status} but not as a Docker Engine`, 'point DOCKER_HOST / --docker-host at the Docker Engine');
    } catch (err) {
      const e = errorText(err, 'docker');
      engine = fail('docker', `no Docker Engine at ${config.docker.host} (${e.kind}: ${e.message})`, 'start Docker (e.g. `sudo systemctl start docker`) or set DOCKER_HOST / --docker-host');
    }
  }
  const composeFound = await probes.compose(TIMEOUTS.compose);
  const composeResult = composeFound
    ? ok('compose', `${composeFound.command} ${composeFound.version}`)
    : fail('compose', 'neither `docker compose` nor `docker-compose` runs', 'install Docker Compose (the docker-compose-plugin package, or docker-compose)');
  return [engine, composeResult];
}

// ---- ports --------------------------------------------------------------------

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

interface PortSpec {
  id: string;
  what: string;
  host: string;
  port: number;
  setting: string;
  /** does the listener answer as the service the stack would put there? */
  identify: () => Promise<string | undefined>;
}

function splitHostPort(hostPort: string): { host: string; port: number } {
  const i = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(hostPort.slice(i + 1)) };
}

function urlHostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)) };
}

export async function checkPorts(config: SfpipeConfig, probes: Pick<Probes, 'tcp' | 'speaksKafka' | 'httpJson'>): Promise<CheckResult[]> {
  const broker = splitHostPort(config.kafka.brokers[0]!);
  const specs: PortSpec[] = [
    {
      id: 'port kafka',
      what: 'Kafka',
      ...broker,
      setting: 'SFPIPE_KAFKA_BROKERS / --brokers',
      identify: async () => ((await probes.speaksKafka(broker.host, broker.port, TIMEOUTS.tcp)) ? 'a Kafka broker' : undefined),
    },
    {
      id: 'port schema-registry',
      what: 'Schema Registry',
      ...urlHostPort(config.schemaRegistry.url),
      setting: 'SFPIPE_SCHEMA_REGISTRY_URL / --schema-registry-url',
      identify: async () => {
        const r = await probes.httpJson({ url: `${config.schemaRegistry.url}/subjects` }, 'schema-registry', TIMEOUTS.http).catch(() => undefined);
        return r?.status === 200 && Array.isArray(r.body) ? 'a Schema Registry' : undefined;
      },
    },
    {
      id: 'port connect',
      what: 'Kafka Connect',
      ...urlHostPort(config.connect.url),
      setting: 'SFPIPE_CONNECT_URL / --connect-url',
      identify: async () => {
        const r = await probes.httpJson({ url: `${config.connect.url}/` }, 'connect', TIMEOUTS.http).catch(() => undefined);
        const v = (r?.body as { version?: unknown } | undefined)?.version;
        return r?.status === 200 && typeof v === 'string' ? `Kafka Connect ${v}` : undefined;
      },
    },
  ];
  return Promise.all(
    specs.map(async (s): Promise<CheckResult> => {
      const id = `${s.id} ${s.port}`;
      if (!LOOPBACK.has(s.host)) return skip(id, `${s.host} is not this machine: not checked`);
      let state: 'open' | 'closed';
      try {
        state = await probes.tcp(s.host, s.port, TIMEOUTS.tcp);
      } catch (err) {
        const e = errorText(err, 'cli');
        return warn(id, `${s.host}:${s.port} neither accepts nor refuses connections (${e.kind})`, 'check what holds the port (`ss -ltnp`)');
      }
      if (state === 'closed') return ok(id, `${s.host}:${s.port} is free for the stack's ${s.what}`);
      const who = await s.identify();
      return who
        ? ok(id, `${s.host}:${s.port} answers as ${who}`)
        : fail(id, `${s.host}:${s.port} is taken by something that is not ${s.what}`, `stop whatever listens there (\`ss -ltnp\`) or point sfpipe elsewhere (${s.setting})`);
    }),
  );
}

// ---- Snowflake ----------------------------------------------------------------

export interface SnowflakeCheckDeps {
  probes: Pick<Probes, 'snowflakeLogin'>;
  /** injectable for tests; defaults to the real loader */
  loadKey?: typeof loadPrivateKey;
  toOptions?: (c: SnowflakeConnection) => ConnectionOptions;
}

export async function checkSnowflake(config: SfpipeConfig, deps: SnowflakeCheckDeps): Promise<CheckResult[]> {
  const { pipeline, admin } = config.snowflake;
  // One set of lines when both roles use the same connection (or neither has one).
  const same = pipeline?.name === admin?.name;
  const roles: Array<[string, SnowflakeConnection | undefined]> = same ? [['pipeline+admin', pipeline]] : [['pipeline', pipeline], ['admin', admin]];
  const results: CheckResult[] = [];
  for (const [role, conn] of roles) results.push(...(await checkOneConnection(role, conn, config, deps)));
  return results;
}

async function checkOneConnection(role: string, conn: SnowflakeConnection | undefined, config: SfpipeConfig, deps: SnowflakeCheckDeps): Promise<CheckResult[]> {
  const id = (what: string) => `snowflake ${what} (${role})`;
  if (!conn) {
    const known = config.snowflake.knownConnections;
    return [
      fail(
        id('connection'),
        known.length ? `none chosen (known: ${known.join(', ')})` : `no connection configured (looked in ${config.snowflake.home || '~/.snowflake'} and SNOWFLAKE_* variables)`,
        role === 'admin'
          ? 'name one with --admin-connection or [snowflake] admin_connection, or set default_connection_name'
          : 'add one to ~/.snowflake/connections.toml (account, user, private_key_file; mode 0600) and name it with --connection or [snowflake] connection',
      ),
    ];
  }
  const out: CheckResult[] = [ok(id('connection'), `"${conn.name}": ${conn.user ?? '(no user)'} @ ${conn.account}${conn.host ? ` via ${conn.protocol ?? 'https'}://${conn.host}:${conn.port ?? ''}` : ''}`)];
  if (conn.privateKeyFile) {
    try {
      const key = (deps.loadKey ?? loadPrivateKey)(conn.privateKeyFile, conn.privateKeyPassphrase);
      out.push(ok(id('key'), `${conn.privateKeyFile}: 0600, ${key.encrypted ? 'decrypts' : 'NOT encrypted'}, ${publicKeyFingerprint(key.key)}`));
    } catch (err) {
      const e = errorText(err, 'keys');
      out.push(fail(id('key'), e.message, e.hint ?? 'fix the key file named above'));
      out.push(skip(id('login'), 'not tried: the key is not usable'));
      return out;
    }
  } else if (conn.password) {
    out.push(warn(id('key'), 'password authentication (no private_key_file)', 'key-pair authentication is recommended: `sfpipe keys`'));
  }
  let options: ConnectionOptions;
  try {
    options = (deps.toOptions ?? toConnectionOptions)(conn);
  } catch (err) {
    const e = errorText(err, 'config');
    out.push(fail(id('login'), e.message, e.hint));
    return out;
  }
  try {
    await deps.probes.snowflakeLogin(options, TIMEOUTS.login);
    out.push(ok(id('login'), `logged in as ${conn.user ?? '?'}`));
  } catch (err) {
    const e = errorText(err, 'snowflake');
    out.push(
      fail(
        id('login'),
        `${e.kind}: ${e.message}`,
        e.kind === 'auth' ? `check that the user's RSA_PUBLIC_KEY matches the key (run \`sfpipe keys\` and the ALTER USER it prints)` : 'check account, host and network access to Snowflake',
      ),
    );
  }
  return out;
}

// ---- Kafka Connect --------------------------------------------------------------

export async function checkConnect(config: SfpipeConfig, probes: Pick<Probes, 'httpJson'>): Promise<CheckResult[]> {
  const url = config.connect.url;
  let version: string;
  try {
    const { status, body } = await probes.httpJson({ url: `${url}/` }, 'connect', TIMEOUTS.http);
    const v = (body as { version?: unknown } | null)?.version;
    if (status !== 200 || typeof v !== 'string') {
      return [fail('connect', `${url} answered HTTP ${status} but not as a Kafka Connect worker`, 'point SFPIPE_CONNECT_URL / --connect-url at the worker')];
    }
    version = v;
  } catch (err) {
    const e = errorText(err, 'connect');
    return [
      warn('connect', `no Kafka Connect worker at ${url} (${e.kind}: ${e.message})`, 'start the stack (`sfpipe setup`), or set SFPIPE_CONNECT_URL / --connect-url'),
      skip('connect plugins', 'not checked: no worker to ask'),
    ];
  }
  const results: CheckResult[] = [ok('connect', `Kafka Connect ${version} at ${url}`)];
  let classes: string[];
  try {
    const { status, body } = await probes.httpJson({ url: `${url}/connector-plugins` }, 'connect', TIMEOUTS.http);
    if (status !== 200 || !Array.isArray(body)) throw new SfpipeError('bad-response', 'connect', `GET /connector-plugins answered HTTP ${status} without a list`);
    classes = body.map((p) => (p as { class?: unknown } | null)?.class).filter((c): c is string => typeof c === 'string');
  } catch (err) {
    const e = errorText(err, 'connect');
    results.push(fail('connect plugins', `could not list plugins (${e.kind}: ${e.message})`, 'check the worker log'));
    return results;
  }
  const sinkClass = config.connect.connectorVersion === 'v3' ? SNOWFLAKE_V3_CLASS : SNOWFLAKE_V4_CLASS;
  // The pinned Snowflake plugin is a v4 release; the v3 class lives in the 3.x releases.
  const sinkPlugin = config.connect.connectorVersion === 'v3' ? { hubId: CONNECT_PLUGINS.snowflake.hubId, version: '<a 3.x version>' } : CONNECT_PLUGINS.snowflake;
  const wanted: Array<[string, string, { hubId: string; version: string }]> = [
    ['datagen', DATAGEN_CLASS, CONNECT_PLUGINS.datagen],
    [`snowflake ${config.connect.connectorVersion}`, sinkClass, sinkPlugin],
  ];
  for (const [name, cls, hub] of wanted) {
    const id = `connect plugin ${name}`;
    results.push(
      classes.includes(cls)
        ? ok(id, `${cls} installed`)
        : fail(
            id,
            `${cls} is not installed in the worker at ${url}`,
            `use the stack's Connect image (\`sfpipe setup\` builds it with ${hub.hubId}:${hub.version}), or install it into your worker: \`confluent connect plugin install ${hub.hubId}:${hub.version}\` and restart it`,
          ),
    );
  }
  return results;
}
