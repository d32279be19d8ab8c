import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CONNECT_BUILD_ARGS, compareComposeConfig, normalisePort } from './composeCheck.js';
import { CORE_SERVICES, ROLE_LABEL, STACK_SERVICES } from './services.js';

// js-yaml arrives with eslint; good enough to read our own YAML in a test (no YAML parser in src/).
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

const COMPOSE = new URL('../../docker-compose.yml', import.meta.url);
const DOCKERFILE = new URL('../../docker/connect/Dockerfile', import.meta.url);
const DOTENV = new URL('../../.env', import.meta.url);

type Doc = { services: Record<string, Record<string, unknown>> } & Record<string, unknown>;
const load = () => yaml.load(readFileSync(COMPOSE, 'utf8')) as Doc;

describe('docker-compose.yml as written', () => {
  it('matches what src/stack expects: services, names, images, labels, ports, profiles, health, restart, build args', () => {
    expect(compareComposeConfig(load())).toEqual([]);
  });

  it('works for compose v1: no top-level name (v1 ignores it), project name from .env', () => {
    const doc = load();
    expect(Object.keys(doc).sort()).toEqual(['services', 'volumes']);
    expect(readFileSync(DOTENV, 'utf8')).toMatch(/^COMPOSE_PROJECT_NAME=sfpipe$/m);
  });

  it('starts each core service only after what it needs is healthy', () => {
    const doc = load();
    expect(doc.services['schema-registry']?.depends_on).toEqual({ broker: { condition: 'service_healthy' } });
    expect(doc.services.connect?.depends_on).toEqual({ broker: { condition: 'service_healthy' }, 'schema-registry': { condition: 'service_healthy' } });
    for (const s of CORE_SERVICES) expect(doc.services[s.service]?.profiles).toBeUndefined();
  });

  it('the Dockerfile defaults pin the same versions as the compose build args', () => {
    const dockerfile = readFileSync(DOCKERFILE, 'utf8');
    const defaults = Object.fromEntries([...dockerfile.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
    expect(defaults).toEqual(CONNECT_BUILD_ARGS);
    expect(dockerfile).toContain('confluent connect plugin install "confluentinc/kafka-connect-datagen:${DATAGEN_VERSION}"');
    expect(dockerfile).toContain('confluent connect plugin install "snowflakeinc/snowflake-kafka-connector:${SNOWFLAKE_CONNECTOR_VERSION}"');
  });
});

describe('compareComposeConfig', () => {
  it('reports each drift with its path', () => {
    const doc = load();
    delete (doc.services.broker?.labels as Record<string, string>)[ROLE_LABEL];
    doc.services['schema-registry'] = { ...doc.services['schema-registry'], ports: ['8081:8081'] };
    doc.services.connect = { ...doc.services.connect, healthcheck: { disable: true }, restart: 'always' };
    (doc.services.connect?.build as { args: Record<string, string> }).args.SNOWFLAKE_CONNECTOR_VERSION = '3.5.3';
    delete doc.services.prometheus?.profiles;
    doc.services.extra = { image: 'busybox' };
    delete doc.services.alertmanager;
    expect(compareComposeConfig(doc).map((m) => `${m.path}: ${m.actual}`)).toEqual([
      'services.broker.labels.io.sfpipe.role: (missing)',
      'services.schema-registry.ports: 0.0.0.0:8081->8081/tcp',
      'services.connect.restart: always',
      'services.connect.healthcheck: {"disable":true}',
      'services.connect.build.args.SNOWFLAKE_CONNECTOR_VERSION: 3.5.3',
      'services.prometheus.profiles: (none)',
      'services.alertmanager: (missing)',
      'services.extra: present',
    ]);
  });

  it('checks the environment the connector files and default endpoints rely on', () => {
    const doc = load();
    (doc.services.connect?.environment as Record<string, string>).CONNECT_VALUE_CONVERTER_SCHEMA_REGISTRY_URL = 'http://localhost:8081';
    (doc.services.broker?.environment as Record<string, string>).KAFKA_ADVERTISED_LISTENERS = 'PLAINTEXT://broker:29092,PLAINTEXT_HOST://0.0.0.0:9092';
    expect(compareComposeConfig(doc).map((m) => m.path)).toEqual(['services.broker.environment.KAFKA_ADVERTISED_LISTENERS', 'services.connect.environment.CONNECT_VALUE_CONVERTER_SCHEMA_REGISTRY_URL']);
  });

  it('accepts the long port syntax and list-form environment of `docker compose config` v2', () => {
    const doc = load();
    for (const s of STACK_SERVICES) {
      const svc = doc.services[s.service] as Record<string, unknown>;
      svc.ports = s.ports.map((p) => ({ mode: 'ingress', host_ip: '127.0.0.1', target: p.container, published: String(p.host), protocol: 'tcp' }));
      svc.environment = Object.entries((svc.environment as Record<string, unknown> | undefined) ?? {}).map(([k, v]) => `${k}=${String(v)}`);
    }
    expect(compareComposeConfig(doc)).toEqual([]);
  });

  it('says so when there is no services mapping at all', () => {
    expect(compareComposeConfig('version: 3')).toEqual([{ path: 'services', expected: 'a mapping of services', actual: 'version: 3' }]);
  });

  it('normalisePort reads short and long forms', () => {
    expect(normalisePort('127.0.0.1:9092:9092')).toBe('127.0.0.1:9092->9092/tcp');
    expect(normalisePort('127.0.0.1:9092:9092/tcp')).toBe('127.0.0.1:9092->9092/tcp');
    expect(normalisePort('9092')).toBe('0.0.0.0:(any)->9092/tcp');
    expect(normalisePort({ target: 8083, published: 8083, protocol: 'tcp' })).toBe('0.0.0.0:8083->8083/tcp');
  });
});
