/**
 * Composition: configuration → services. Until the real adapters land, every source is
 * reported 'unconfigured' with the reason, rather than pretending to have data. Each adapter
 * replaces its line here when it exists (and returns `unconfigured(...)` when its settings are missing).
 */
import type { SfpipeConfig } from '../config/schema.js';
import { unconfigured, type Services } from '../services/types.js';

export function buildServices(config: SfpipeConfig): Services {
  return {
    docker: unconfigured(`no Docker adapter in this build yet (engine ${config.docker.host})`),
    kafka: unconfigured(`no Kafka adapter in this build yet (brokers ${config.kafka.brokers.join(',')})`),
    connect: unconfigured(`no Kafka Connect adapter in this build yet (${config.connect.url})`),
    snowflake: config.snowflake.pipeline
      ? unconfigured(`no Snowflake adapter in this build yet (connection ${config.snowflake.pipeline.name})`)
      : unconfigured('no Snowflake connection configured', 'add one to ~/.snowflake/connections.toml or set SNOWFLAKE_ACCOUNT …; `sfpipe doctor` checks it'),
    close: () => Promise.resolve(),
  };
}
