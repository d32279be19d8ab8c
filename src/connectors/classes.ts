/** The connector classes sfpipe ships configs for, and which Snowflake sink generation is which. */
export const DATAGEN_CLASS = 'io.confluent.kafka.connect.datagen.DatagenConnector';
/** v4: Snowpipe Streaming high-performance architecture only, standard converters. */
export const SNOWFLAKE_V4_CLASS = 'com.snowflake.kafka.connector.SnowflakeStreamingSinkConnector';
/** v3 "classic": Snowpipe or Snowpipe Streaming, buffer.* settings, Snowflake converters. */
export const SNOWFLAKE_V3_CLASS = 'com.snowflake.kafka.connector.SnowflakeSinkConnector';

export const AVRO_CONVERTER = 'io.confluent.connect.avro.AvroConverter';
export const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';
export const SNOWFLAKE_CONVERTER_PREFIX = 'com.snowflake.kafka.connector.records.';

export type ConnectorKind = 'datagen' | 'snowflake-v4' | 'snowflake-v3' | 'other';

export function kindOfClass(connectorClass: string): ConnectorKind {
  switch (connectorClass) {
    case DATAGEN_CLASS:
      return 'datagen';
    case SNOWFLAKE_V4_CLASS:
      return 'snowflake-v4';
    case SNOWFLAKE_V3_CLASS:
      return 'snowflake-v3';
    default:
      return 'other';
  }
}

export type SinkVariant = 'v4' | 'v3';
export const DEFAULT_SINK_VARIANT: SinkVariant = 'v4';

export const SINK_KIND: Readonly<Record<SinkVariant, ConnectorKind>> = { v4: 'snowflake-v4', v3: 'snowflake-v3' };

/** File in connectors/ that holds each sink generation. */
export const SINK_FILES: Readonly<Record<SinkVariant, string>> = { v4: 'snowflake-sink.json', v3: 'snowflake-sink-v3.json' };
