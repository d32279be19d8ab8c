/**
 * The real pipeline's inputs, from configuration: docker-compose.yml, connectors/, sql/ (taken
 * from the working directory when it has them, else the ones shipped with sfpipe), the datagen
 * and Snowflake plugin classes, the topics and the tasks of the topic catalog.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SfpipeConfig } from '../config/schema.js';
import { Secret } from '../config/secret.js';
import { DATAGEN_CLASS, SNOWFLAKE_V3_CLASS, SNOWFLAKE_V4_CLASS } from '../connectors/classes.js';
import { loadConnectorDir, selectConnectors } from '../connectors/load.js';
import { isTopicName, topicSpec } from '../domain/topics.js';
import { defaultVariableValues } from '../sql/variables.js';
import type { Deployable, PipelineInputs } from './env.js';

/** A file of the project: in the working directory if there, else the copy shipped with sfpipe. */
export function projectFile(name: string, cwd: string): string {
  const local = join(cwd, name);
  return existsSync(local) ? local : fileURLToPath(new URL(`../../${name}`, import.meta.url));
}

export function sqlVariablesOf(config: SfpipeConfig): Record<string, string> {
  const o = config.snowflake.objects;
  return {
    ...defaultVariableValues(),
    database: o.database,
    schema: o.schema,
    role: o.role,
    user: o.user,
    admin_warehouse: o.adminWarehouse,
    task_warehouse: o.taskWarehouse,
  };
}

export function passphraseOf(config: SfpipeConfig, env: NodeJS.ProcessEnv): Secret | undefined {
  const fromConn = config.snowflake.pipeline?.privateKeyPassphrase ?? config.snowflake.admin?.privateKeyPassphrase;
  if (fromConn) return fromConn;
  const v = env.PRIVATE_KEY_PASSPHRASE || env.SNOWFLAKE_PRIVATE_KEY_PASSPHRASE;
  return v ? new Secret(v) : undefined;
}

export function defaultInputs(config: SfpipeConfig, opts: { cwd: string; env: NodeJS.ProcessEnv }): PipelineInputs {
  const variant = config.connect.connectorVersion;
  const topics = config.kafka.topics;
  const connectorsDir = projectFile('connectors', opts.cwd);
  const sql = (name: string) => join(projectFile('sql', opts.cwd), name);
  return {
    compose: { file: projectFile('docker-compose.yml', opts.cwd), project: config.docker.composeProject },
    keysDir: config.keys.dir,
    requiredPlugins: [DATAGEN_CLASS, variant === 'v4' ? SNOWFLAKE_V4_CLASS : SNOWFLAKE_V3_CLASS],
    async connectors(): Promise<Deployable[]> {
      const chosen = selectConnectors(await loadConnectorDir(connectorsDir), variant);
      return chosen
        .filter((s) => s.kind !== 'datagen' || topics.includes(s.config['kafka.topic'] ?? ''))
        .map((spec) => ({ spec, name: spec.kind === 'snowflake-v4' || spec.kind === 'snowflake-v3' ? config.connect.sinkConnector : spec.name }));
    },
    setupScripts: ['01-setup.sql', '02-views.sql', '03-streams-and-tasks.sql'].map(sql),
    cleanupScripts: [sql('05-cleanup.sql')],
    sqlVariables: sqlVariablesOf(config),
    topics: topics.map((name) => ({ name, partitions: 1, replicationFactor: 1 })),
    tasks: topics.filter(isTopicName).map((t) => topicSpec(t).task),
    flow: { timeoutMs: 3 * 60_000, checkWindowMs: 15_000, maxLag: 10_000 },
    drainTimeoutMs: 5 * 60_000,
    healthyTimeoutMs: 5 * 60_000,
    passphrase: passphraseOf(config, opts.env),
  };
}
