/**
 * Pinned versions of everything the compose stack runs or installs. docker-compose.yml and
 * docker/connect/Dockerfile carry the same values; test/integration/compose-config.test.ts
 * proves they agree, and `doctor` can compare them with what the Connect worker reports.
 */

/** Confluent Platform 8.3 (Kafka 4.x, KRaft only). */
export const CONFLUENT_PLATFORM_VERSION = '8.3.1';

/** Control Center (next generation) is versioned apart from the platform; Prometheus and Alertmanager share its tag. */
export const CONTROL_CENTER_VERSION = '2.5.0';

/** Image that runs `confluent connect plugin install` (the successor of confluent-hub) while building the Connect image. */
export const CONFLUENT_CLI_VERSION = '4.53.0';

/** Connector plugins installed into the Connect image, as Confluent Hub `owner/name` and pinned version. */
export const CONNECT_PLUGINS = {
  datagen: { hubId: 'confluentinc/kafka-connect-datagen', version: '0.7.1' },
  snowflake: { hubId: 'snowflakeinc/snowflake-kafka-connector', version: '4.1.0' },
} as const;

/**
 * Bouncy Castle FIPS jars Snowflake documents next to its connector for encrypted key-pair auth;
 * the Dockerfile adds them only when the installed plugin does not already carry them.
 */
export const BOUNCY_CASTLE_FIPS = { bcFips: '2.1.0', bcpkixFips: '2.1.8' } as const;
