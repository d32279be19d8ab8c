/**
 * Compare a parsed compose configuration (docker-compose.yml itself, or the normalised
 * output of `docker-compose config` / `docker compose config`) with what sfpipe expects of
 * the stack. Returns every difference, so a test or `doctor` can show them all at once.
 */
import { CONFLUENT_CLI_VERSION, BOUNCY_CASTLE_FIPS, CONFLUENT_PLATFORM_VERSION, CONNECT_PLUGINS } from './versions.js';
import { HOST_ENDPOINTS, IN_NETWORK, ROLE_LABEL, STACK_SERVICES } from './services.js';
import type { StackService } from './services.js';

export interface ComposeMismatch {
  /** where in the compose document, e.g. services.connect.labels */
  path: string;
  expected: string;
  actual: string;
}

/** Build arguments docker-compose.yml must pass to docker/connect/Dockerfile. */
export const CONNECT_BUILD_ARGS: Readonly<Record<string, string>> = {
  CP_VERSION: CONFLUENT_PLATFORM_VERSION,
  CONFLUENT_CLI_VERSION,
  DATAGEN_VERSION: CONNECT_PLUGINS.datagen.version,
  SNOWFLAKE_CONNECTOR_VERSION: CONNECT_PLUGINS.snowflake.version,
  BC_FIPS_VERSION: BOUNCY_CASTLE_FIPS.bcFips,
  BCPKIX_FIPS_VERSION: BOUNCY_CASTLE_FIPS.bcpkixFips,
};

/** Environment values other parts of sfpipe depend on (connector files, default endpoints). */
const REQUIRED_ENV: Readonly<Record<string, Readonly<Record<string, (v: string) => boolean>>>> = {
  broker: {
    KAFKA_PROCESS_ROLES: (v) => v.split(',').sort().join(',') === 'broker,controller',
    KAFKA_ADVERTISED_LISTENERS: (v) => v.split(',').some((l) => l.endsWith(`://${HOST_ENDPOINTS.kafkaBrokers}`)),
  },
  connect: {
    CONNECT_BOOTSTRAP_SERVERS: (v) => v === IN_NETWORK.kafkaBootstrap,
    CONNECT_VALUE_CONVERTER_SCHEMA_REGISTRY_URL: (v) => v === IN_NETWORK.schemaRegistryUrl,
  },
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (v === undefined ? '(missing)' : typeof v === 'string' ? v : JSON.stringify(v));

/** "127.0.0.1:9092->9092/tcp" from either the short string or the long (v2) object syntax. */
export function normalisePort(entry: unknown): string {
  if (typeof entry === 'string' || typeof entry === 'number') {
    const [spec = '', proto = 'tcp'] = String(entry).split('/');
    const parts = spec.split(':');
    const target = parts.pop() ?? '';
    const published = parts.pop() ?? '';
    const ip = parts.join(':') || '0.0.0.0';
    return `${ip}:${published || '(any)'}->${target}/${proto}`;
  }
  if (isObj(entry)) {
    const ip = typeof entry.host_ip === 'string' && entry.host_ip !== '' ? entry.host_ip : '0.0.0.0';
    return `${ip}:${show(entry.published)}->${show(entry.target)}/${typeof entry.protocol === 'string' ? entry.protocol : 'tcp'}`;
  }
  return show(entry);
}

/** Environment as a map whether written as a mapping or as a KEY=VALUE list. */
function envOf(service: Obj): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((e) => {
        const text = String(e);
        const eq = text.indexOf('=');
        return eq < 0 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
    );
  }
  if (isObj(env)) return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
  return {};
}

function checkService(want: StackService, got: Obj, out: ComposeMismatch[]): void {
  const at = `services.${want.service}`;
  const expect = (path: string, expected: string, actual: unknown) => {
    if (show(actual) !== expected) out.push({ path: `${at}.${path}`, expected, actual: show(actual) });
  };
  expect('container_name', want.containerName, got.container_name);
  expect('image', want.image, got.image);
  expect(`labels.${ROLE_LABEL}`, want.role, isObj(got.labels) ? got.labels[ROLE_LABEL] : undefined);
  expect('restart', 'unless-stopped', got.restart);

  const ports = Array.isArray(got.ports) ? got.ports.map(normalisePort).sort() : [];
  const wantPorts = want.ports.map((p) => `127.0.0.1:${p.host}->${p.container}/tcp`).sort();
  expect('ports', wantPorts.join(', ') || '(none)', ports.join(', ') || '(none)');

  const profiles = Array.isArray(got.profiles) ? got.profiles.map(String) : [];
  expect('profiles', want.profile ?? '(none)', profiles.join(', ') || '(none)');

  const hc = got.healthcheck;
  const hasHealthcheck = isObj(hc) && hc.disable !== true && Array.isArray(hc.test) && hc.test.length > 1 && hc.test[0] !== 'NONE';
  expect('healthcheck', 'a test command', hasHealthcheck ? 'a test command' : show(hc));

  if (want.buildContext !== undefined) {
    const build = isObj(got.build) ? got.build : {};
    const context = typeof build.context === 'string' ? build.context.replace(/\\/g, '/').replace(/\/$/, '') : '';
    expect('build.context', `…/${want.buildContext}`, context.endsWith(want.buildContext) ? `…/${want.buildContext}` : context);
    const args = isObj(build.args) ? build.args : {};
    for (const [name, value] of Object.entries(CONNECT_BUILD_ARGS)) expect(`build.args.${name}`, value, args[name] === undefined ? undefined : String(args[name]));
  }

  const env = envOf(got);
  for (const [name, ok] of Object.entries(REQUIRED_ENV[want.service] ?? {})) {
    const value = env[name];
    if (value === undefined || !ok(value)) out.push({ path: `${at}.environment.${name}`, expected: 'the value sfpipe relies on (see src/stack/composeCheck.ts)', actual: show(value) });
  }
}

export function compareComposeConfig(doc: unknown): ComposeMismatch[] {
  const out: ComposeMismatch[] = [];
  const services = isObj(doc) && isObj(doc.services) ? doc.services : undefined;
  if (!services) return [{ path: 'services', expected: 'a mapping of services', actual: show(isObj(doc) ? doc.services : doc) }];
  for (const want of STACK_SERVICES) {
    const got = services[want.service];
    if (!isObj(got)) out.push({ path: `services.${want.service}`, expected: 'present', actual: '(missing)' });
    else checkService(want, got, out);
  }
  for (const name of Object.keys(services)) {
    if (!STACK_SERVICES.some((s) => s.service === name)) out.push({ path: `services.${name}`, expected: '(no such service)', actual: 'present' });
  }
  return out;
}
