/**
 * The shape of sfpipe's configuration: every setting as data (its key in sfpipe.toml, its
 * parser, its environment variable and flag, its default), so loading, unknown-key
 * suggestions and documentation all come from one table.
 */
import type { Secret } from './secret.js';
import * as v from './validate.js';

export const TOPICS = ['pageviews', 'orders', 'ratings', 'stock_trades', 'users', 'clickstream'] as const;

export type ConnectorVersion = 'v4' | 'v3';

export interface SnowflakeObjects {
  database: string;
  schema: string;
  role: string;
  /** the pipeline user the sink connector and monitoring log in as */
  user: string;
  adminWarehouse: string;
  taskWarehouse: string;
}

/** A Snowflake connection resolved from connections.toml / config.toml / environment. */
export interface SnowflakeConnection {
  name: string;
  /** why this connection: named by a flag, by sfpipe.toml, or the default connection */
  chosenBy: 'flag' | 'config' | 'default';
  /** where values came from (file paths and variable names, never values) */
  origins: string[];
  account: string;
  user: string | undefined;
  authenticator: string | undefined;
  privateKeyFile: string | undefined;
  privateKeyPassphrase: Secret | undefined;
  password: Secret | undefined;
  warehouse: string | undefined;
  role: string | undefined;
  database: string | undefined;
  schema: string | undefined;
  host: string | undefined;
  port: number | undefined;
  protocol: 'http' | 'https' | undefined;
}

export interface SfpipeConfig {
  kafka: { brokers: string[]; topics: string[] };
  connect: { url: string; sinkConnector: string; connectorVersion: ConnectorVersion };
  schemaRegistry: { url: string };
  docker: { host: string; composeProject: string };
  console: { refreshMs: number; slowRefreshMs: number; readOnly: boolean };
  snowflake: {
    objects: SnowflakeObjects;
    /** connection used for monitoring (the pipeline user), undefined = unconfigured */
    pipeline: SnowflakeConnection | undefined;
    /** connection used for setup and cleanup, undefined = unconfigured */
    admin: SnowflakeConnection | undefined;
    /** every connection name found in files and environment */
    knownConnections: string[];
    /** the Snowflake config directory that was searched */
    home: string;
  };
  keys: { dir: string };
  /** sfpipe.toml files that were read, lowest precedence first */
  files: string[];
}

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** A setting: where it lives in sfpipe.toml and how it may also be given. */
export interface FieldSpec {
  key: string;
  parse: v.Parser<unknown>;
  default: unknown;
  env?: string;
  flag?: string;
  /** relative paths resolve against the file that set them */
  isPath?: boolean;
  doc: string;
}

export const FIELDS: readonly FieldSpec[] = [
  { key: 'kafka.brokers', parse: v.brokerList, default: ['127.0.0.1:9092'], env: 'SFPIPE_KAFKA_BROKERS', flag: 'brokers', doc: 'Kafka bootstrap servers' },
  { key: 'kafka.topics', parse: v.uniqueList(v.topicName, 'topic'), default: [...TOPICS], doc: 'topics the datagen connectors write and the sink reads' },
  { key: 'connect.url', parse: v.httpUrl, default: 'http://127.0.0.1:8083', env: 'SFPIPE_CONNECT_URL', flag: 'connect-url', doc: 'Kafka Connect REST URL' },
  { key: 'connect.sink_connector', parse: v.connectorName, default: 'snowflake-sink', doc: 'name of the Snowflake sink connector' },
  { key: 'connect.connector_version', parse: v.oneOf<ConnectorVersion>(['v4', 'v3']), default: 'v4', doc: 'Snowflake connector generation: v4 (Snowpipe Streaming) or v3' },
  { key: 'schema_registry.url', parse: v.httpUrl, default: 'http://127.0.0.1:8081', env: 'SFPIPE_SCHEMA_REGISTRY_URL', flag: 'schema-registry-url', doc: 'Schema Registry URL' },
  { key: 'docker.host', parse: v.dockerHost, default: DEFAULT_DOCKER_HOST, env: 'DOCKER_HOST', flag: 'docker-host', doc: 'Docker engine' },
  { key: 'docker.compose_project', parse: v.composeProject, default: 'sfpipe', env: 'SFPIPE_COMPOSE_PROJECT', flag: 'compose-project', doc: 'compose project of the stack' },
  { key: 'console.refresh', parse: v.seconds({ min: 0.25, max: 3600, allowZero: false }), default: 2, flag: 'refresh', doc: 'metadata refresh interval, seconds' },
  { key: 'console.slow_refresh', parse: v.seconds({ min: 5, max: 86400, allowZero: true }), default: 0, flag: 'slow-refresh', doc: 'warehouse-bound query interval, seconds (0 = on demand)' },
  { key: 'console.read_only', parse: v.boolean, default: false, flag: 'read-only', doc: 'disable every operation' },
  { key: 'snowflake.connection', parse: v.connectionName, default: undefined, flag: 'connection', doc: 'connection for monitoring (default: the default connection)' },
  { key: 'snowflake.admin_connection', parse: v.connectionName, default: undefined, flag: 'admin-connection', doc: 'connection for setup and cleanup (default: the default connection)' },
  { key: 'snowflake.database', parse: v.snowflakeIdentifier, default: 'KAFKA_DB', doc: 'database' },
  { key: 'snowflake.schema', parse: v.snowflakeIdentifier, default: 'PUBLIC', doc: 'schema' },
  { key: 'snowflake.role', parse: v.snowflakeIdentifier, default: 'KAFKA_CONNECTOR_ROLE', doc: 'role of the pipeline user' },
  { key: 'snowflake.user', parse: v.snowflakeIdentifier, default: 'KAFKA_DEMO', doc: 'pipeline user (key-pair auth)' },
  { key: 'snowflake.admin_warehouse', parse: v.snowflakeIdentifier, default: 'KAFKA_ADMIN_WAREHOUSE', doc: 'warehouse for setup and monitoring queries' },
  { key: 'snowflake.task_warehouse', parse: v.snowflakeIdentifier, default: 'KAFKA_TASK_WH', doc: 'warehouse the extraction tasks run on' },
  { key: 'keys.dir', parse: v.pathString, default: 'keys', isPath: true, doc: 'where `sfpipe keys` writes rsa_key.p8 / rsa_key.pub' },
];

export const SECTIONS: readonly string[] = [...new Set(FIELDS.map((f) => f.key.split('.')[0]!))];
