/** A printable summary of the configuration: every setting, and for connections only whether a secret is set. */
import { MASK } from './secret.js';
import type { SfpipeConfig, SnowflakeConnection } from './schema.js';

export function describeConnection(c: SnowflakeConnection | undefined): Record<string, unknown> | 'unconfigured' {
  if (!c) return 'unconfigured';
  const out: Record<string, unknown> = {
    name: c.name,
    chosenBy: c.chosenBy,
    account: c.account,
    user: c.user,
    authenticator: c.authenticator,
    privateKeyFile: c.privateKeyFile,
    privateKeyPassphrase: c.privateKeyPassphrase ? MASK : undefined,
    password: c.password ? MASK : undefined,
    warehouse: c.warehouse,
    role: c.role,
    database: c.database,
    schema: c.schema,
    host: c.host,
    port: c.port,
    protocol: c.protocol,
    origins: c.origins,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

export function describeConfig(c: SfpipeConfig): Record<string, unknown> {
  return {
    files: c.files,
    kafka: { ...c.kafka },
    connect: { ...c.connect },
    schemaRegistry: { ...c.schemaRegistry },
    docker: { ...c.docker },
    console: { ...c.console },
    snowflake: {
      objects: { ...c.snowflake.objects },
      pipeline: describeConnection(c.snowflake.pipeline),
      admin: describeConnection(c.snowflake.admin),
      knownConnections: c.snowflake.knownConnections,
      home: c.snowflake.home,
    },
    keys: { ...c.keys },
  };
}
