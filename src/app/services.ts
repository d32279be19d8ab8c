/**
 * Composition: configuration → services, one adapter per source. Snowflake is 'unconfigured'
 * when no connection is set up. Bad settings (a remote DOCKER_HOST, a loose or undecryptable
 * private key …) are thrown here as one clear SfpipeError, before anything is polled.
 */
import type { SfpipeConfig } from '../config/schema.js';
import { toConnectionOptions } from '../config/snowflake-options.js';
import { log } from '../log/fileLog.js';
import { createConnectService } from '../services/connect/adapter.js';
import { createDockerService } from '../services/docker/adapter.js';
import { createKafkaService } from '../services/kafka/adapter.js';
import { createSnowflakeService } from '../services/snowflake/adapter.js';
import { topicObjects } from '../services/snowflake/objects.js';
import { unconfigured, type Services } from '../services/types.js';
import { configSecrets } from './pipeline.js';

export function buildServices(config: SfpipeConfig): Services {
  const pipeline = config.snowflake.pipeline;
  // The key file is checked now (exists, 0600, the passphrase opens it): a bad one is one clear
  // error at startup rather than a Snowflake pane that fails every refresh. It is read again at
  // each login, so a fixed file takes effect without a restart.
  if (pipeline) toConnectionOptions(pipeline);
  const docker = createDockerService({ host: config.docker.host, project: config.docker.composeProject });
  const connect = createConnectService({ url: config.connect.url });
  // kafkajs's own warnings go to sfpipe's log file, never the terminal.
  const kafka = createKafkaService({ brokers: config.kafka.brokers, log: (level, message) => log(level, message) });
  const snowflake = pipeline
    ? createSnowflakeService({
        connectionOptions: () => toConnectionOptions(pipeline),
        database: config.snowflake.objects.database,
        schema: config.snowflake.objects.schema,
        warehouse: config.snowflake.objects.adminWarehouse,
        topics: topicObjects(config.kafka.topics),
        ...(pipeline.privateKeyFile ? { keyFile: pipeline.privateKeyFile } : {}),
        secrets: configSecrets(config),
      })
    : unconfigured('no Snowflake connection configured', 'add one to ~/.snowflake/connections.toml or set SNOWFLAKE_ACCOUNT …; `sfpipe doctor` checks it');
  const adapters = [docker, connect, kafka, ...('close' in snowflake ? [snowflake] : [])];
  return {
    docker,
    kafka,
    connect,
    snowflake,
    close: async () => {
      await Promise.allSettled(adapters.map((a) => a.close()));
    },
  };
}
