/**
 * Schema check of a connector file: the `{name, config}` body Kafka Connect takes, with
 * string values only, a connector class, the keys each known class needs, known placeholders
 * only and no literal secret. Every problem names its JSON path; messages never quote a
 * secret value.
 */
import { AVRO_CONVERTER, SNOWFLAKE_CONVERTER_PREFIX, kindOfClass } from './classes.js';
import type { ConnectorKind } from './classes.js';
import { childPath, configPath } from './jsonPath.js';
import { KNOWN_PLACEHOLDERS, isConfigProviderReference, isWholePlaceholder, knownPlaceholder, placeholdersIn } from './placeholders.js';
import { isSecretKey } from './secrets.js';

export interface ConnectorIssue {
  /** JSON path inside the file, e.g. $.config["kafka.topic"] */
  path: string;
  message: string;
  hint?: string;
}

export interface CheckedConnector {
  name: string;
  config: Record<string, string>;
  connectorClass: string;
  kind: ConnectorKind;
}

const CONNECTOR_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Check a parsed JSON document; returns the connector when there are no issues. */
export function checkConnector(doc: unknown): { connector: CheckedConnector | undefined; issues: ConnectorIssue[] } {
  const issues: ConnectorIssue[] = [];
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    issues.push({ path: '$', message: `expected an object {"name": …, "config": {…}}, got ${typeName(doc)}` });
    return { connector: undefined, issues };
  }
  const top = doc as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (key !== 'name' && key !== 'config') issues.push({ path: childPath('$', key), message: 'unknown key', hint: 'a connector file has only "name" and "config"' });
  }

  const name = top.name;
  if (typeof name !== 'string') issues.push({ path: '$.name', message: name === undefined ? 'missing' : `expected string, got ${typeName(name)}` });
  else if (!CONNECTOR_NAME.test(name)) issues.push({ path: '$.name', message: `"${name}" is not a usable connector name`, hint: 'use letters, digits, ".", "_" and "-" (it becomes part of the REST URL)' });

  const rawConfig = top.config;
  if (typeof rawConfig !== 'object' || rawConfig === null || Array.isArray(rawConfig)) {
    issues.push({ path: '$.config', message: rawConfig === undefined ? 'missing' : `expected object, got ${typeName(rawConfig)}` });
    return { connector: undefined, issues };
  }

  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawConfig as Record<string, unknown>)) {
    if (typeof value !== 'string') issues.push({ path: configPath(key), message: `expected string, got ${typeName(value)}`, hint: 'Kafka Connect takes every setting as a string: write "100", not 100' });
    else config[key] = value;
  }

  const connectorClass = config['connector.class'];
  const rawClass = (rawConfig as Record<string, unknown>)['connector.class'];
  // a non-string class was reported above as "expected string"
  if (rawClass === undefined) issues.push({ path: configPath('connector.class'), message: 'missing', hint: "name the connector's Java class" });
  else if (connectorClass !== undefined && connectorClass.trim() === '') issues.push({ path: configPath('connector.class'), message: 'empty', hint: "name the connector's Java class" });
  if (typeof name === 'string' && config.name !== undefined && config.name !== name) {
    issues.push({ path: configPath('name'), message: `"${config.name}" differs from $.name "${name}"`, hint: 'drop it or make both the same' });
  }
  checkPlaceholdersAndSecrets(config, issues);

  const kind = kindOfClass(connectorClass ?? '');
  if (kind === 'datagen') checkDatagen(config, issues);
  if (kind === 'snowflake-v4' || kind === 'snowflake-v3') checkSnowflake(config, kind, issues);

  if (issues.length > 0 || typeof name !== 'string' || connectorClass === undefined) return { connector: undefined, issues };
  return { connector: { name, config, connectorClass, kind }, issues };
}

function checkPlaceholdersAndSecrets(config: Record<string, string>, issues: ConnectorIssue[]): void {
  const known = KNOWN_PLACEHOLDERS.map((p) => '${' + p.name + '}').join(', ');
  for (const [key, value] of Object.entries(config)) {
    for (const name of placeholdersIn(value)) {
      if (!knownPlaceholder(name)) issues.push({ path: configPath(key), message: `unknown placeholder \${${name}}`, hint: `known placeholders: ${known}` });
    }
    if (isSecretKey(key) && !isWholePlaceholder(value) && !isConfigProviderReference(value)) {
      // never echo the value: it may be the very secret we are refusing to keep in a file
      const instead = knownPlaceholder(key) ? `\${${key}} (sfpipe fills it at deploy time)` : `a Kafka Connect config-provider reference such as \${file:/secrets/connector.properties:${key}}`;
      issues.push({ path: configPath(key), message: 'holds a literal secret', hint: `write ${instead}; never the secret itself` });
    }
  }
}

function requireKeys(config: Record<string, string>, keys: readonly string[], issues: ConnectorIssue[], why: string): void {
  for (const key of keys) {
    if (config[key] === undefined || config[key].trim() === '') issues.push({ path: configPath(key), message: 'missing', hint: why });
  }
}

function requireInteger(config: Record<string, string>, key: string, min: number, issues: ConnectorIssue[]): void {
  const value = config[key];
  if (value === undefined) return;
  if (!/^-?\d+$/.test(value.trim()) || Number(value) < min) issues.push({ path: configPath(key), message: `expected an integer ≥ ${min} as a string, got "${value}"` });
}

function requireUrl(config: Record<string, string>, key: string, issues: ConnectorIssue[]): void {
  const value = config[key];
  if (value === undefined) return;
  for (const one of value.split(',')) {
    // the value is not echoed: a URL may carry credentials
    if (!/^https?:\/\/[^\s/]+/.test(one.trim())) issues.push({ path: configPath(key), message: 'expected http(s) URL(s), comma separated', hint: 'e.g. http://schema-registry:8081' });
  }
}

function checkDatagen(config: Record<string, string>, issues: ConnectorIssue[]): void {
  requireKeys(config, ['kafka.topic', 'key.converter', 'value.converter'], issues, 'the datagen connector needs its topic and converters');
  if (config.quickstart === undefined && config['schema.string'] === undefined && config['schema.filename'] === undefined) {
    issues.push({ path: configPath('quickstart'), message: 'missing', hint: 'name a datagen quickstart (pageviews, orders, …) or give schema.string / schema.filename' });
  }
  requireInteger(config, 'max.interval', 0, issues);
  requireInteger(config, 'iterations', 1, issues);
  requireInteger(config, 'tasks.max', 1, issues);
  if (config['value.converter'] === AVRO_CONVERTER) {
    requireKeys(config, ['value.converter.schema.registry.url'], issues, 'the Avro converter needs the Schema Registry URL');
    requireUrl(config, 'value.converter.schema.registry.url', issues);
  }
}

const SNOWFLAKE_REQUIRED = [
  'snowflake.url.name',
  'snowflake.user.name',
  'snowflake.private.key',
  'snowflake.database.name',
  'snowflake.schema.name',
  'snowflake.role.name',
] as const;

function checkSnowflake(config: Record<string, string>, kind: 'snowflake-v4' | 'snowflake-v3', issues: ConnectorIssue[]): void {
  requireKeys(config, SNOWFLAKE_REQUIRED, issues, 'the Snowflake sink needs the account, user, key, database, schema and role (as placeholders)');
  if (config.topics === undefined && config['topics.regex'] === undefined) issues.push({ path: configPath('topics'), message: 'missing', hint: 'list the topics to sink (comma separated)' });
  requireInteger(config, 'tasks.max', 1, issues);
  checkTopicToTable(config, issues);

  // The streams, views and procedures read RECORD_METADATA / RECORD_CONTENT VARIANT columns.
  const schematization = config['snowflake.enable.schematization'];
  const hint = 'set "snowflake.enable.schematization": "false" so raw tables keep RECORD_METADATA / RECORD_CONTENT, which the streams and procedures read';
  if (kind === 'snowflake-v4' && schematization === undefined) issues.push({ path: configPath('snowflake.enable.schematization'), message: 'missing (v4 defaults to true)', hint });
  if (schematization !== undefined && schematization.trim().toLowerCase() !== 'false') issues.push({ path: configPath('snowflake.enable.schematization'), message: `must be "false", got "${schematization}"`, hint });

  if (kind === 'snowflake-v3') {
    const method = (config['snowflake.ingestion.method'] ?? 'SNOWPIPE').trim().toUpperCase();
    if (method !== 'SNOWPIPE' && method !== 'SNOWPIPE_STREAMING') {
      issues.push({ path: configPath('snowflake.ingestion.method'), message: `expected SNOWPIPE or SNOWPIPE_STREAMING, got "${config['snowflake.ingestion.method']}"` });
    }
    for (const key of ['buffer.count.records', 'buffer.flush.time', 'buffer.size.bytes']) requireInteger(config, key, 1, issues);
    if (method === 'SNOWPIPE_STREAMING' && (config['value.converter'] ?? '').startsWith(SNOWFLAKE_CONVERTER_PREFIX)) {
      issues.push({ path: configPath('value.converter'), message: 'Snowflake converters do not work with SNOWPIPE_STREAMING', hint: `use ${AVRO_CONVERTER} with Snowpipe Streaming` });
    }
  } else if ((config['value.converter'] ?? '').startsWith(SNOWFLAKE_CONVERTER_PREFIX)) {
    issues.push({ path: configPath('value.converter'), message: 'v4 takes standard converters, not Snowflake converters', hint: `use ${AVRO_CONVERTER}` });
  }
  if (config['value.converter']?.includes('Avro') && !config['value.converter'].endsWith('WithoutSchemaRegistry')) {
    requireKeys(config, ['value.converter.schema.registry.url'], issues, 'the Avro converter needs the Schema Registry URL');
    requireUrl(config, 'value.converter.schema.registry.url', issues);
  }
}

function checkTopicToTable(config: Record<string, string>, issues: ConnectorIssue[]): void {
  const map = config['snowflake.topic2table.map'];
  if (map === undefined) return;
  const topics = config.topics?.split(',').map((t) => t.trim()).filter(Boolean);
  const path = configPath('snowflake.topic2table.map');
  for (const entry of map.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [topic, table, ...rest] = entry.split(':').map((p) => p.trim());
    if (!topic || !table || rest.length > 0) {
      issues.push({ path, message: `"${entry}" is not topic:TABLE`, hint: 'write "topic1:TABLE1,topic2:TABLE2"' });
    } else if (topics && !topics.includes(topic)) {
      issues.push({ path, message: `maps topic "${topic}", which is not in topics`, hint: 'add it to topics or drop it from the map' });
    }
  }
}
