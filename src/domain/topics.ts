/**
 * The one source of truth for the six demo topics: the Kafka topic, the Snowflake objects
 * built for it, the datagen quickstart that feeds it and the columns extracted from its
 * RECORD_CONTENT. The SQL scripts (src/sql/generate.ts), the connector configs, the
 * monitoring queries, the tests and the UI all read this table, so they cannot drift.
 */

export const TOPIC_NAMES = ['pageviews', 'orders', 'ratings', 'stock_trades', 'users', 'clickstream'] as const;
export type TopicName = (typeof TOPIC_NAMES)[number];

/** Snowflake types the extracted columns use (names valid both in DDL and in `::` casts). */
export type ExtractedColumnType = 'STRING' | 'INT' | 'FLOAT';

export interface ExtractedColumn {
  /** column name in `<TOPIC>_EXTRACTED` and `<TOPIC>_VW` (upper case, as in the original demo) */
  name: string;
  /** path inside RECORD_CONTENT, one element per level: ['address', 'city'] is RECORD_CONTENT:address:city */
  path: readonly string[];
  type: ExtractedColumnType;
}

export interface TopicSpec {
  /** Kafka topic name, also the datagen `kafka.topic` */
  topic: TopicName;
  /** default raw table the sink connector writes (RECORD_METADATA, RECORD_CONTENT); configurable */
  rawTable: string;
  extractedTable: string;
  stream: string;
  task: string;
  procedure: string;
  view: string;
  /** kafka-connect-datagen `quickstart` value */
  quickstart: string;
  /** field of the datagen record used as the message key */
  keyField: string;
  columns: readonly ExtractedColumn[];
}

/** Every extracted table and view starts with the record's Kafka timestamp (epoch ms in RECORD_METADATA). */
export const CREATE_TIME_COLUMN = {
  name: 'CREATE_TIME',
  expression: "DATEADD(MS, RECORD_METADATA:CreateTime, '1970-01-01')",
  type: 'TIMESTAMP_NTZ',
} as const;

/** Default names of the account-level objects (the original demo's); all are configurable. */
export const DEFAULT_PIPELINE_OBJECTS = {
  database: 'KAFKA_DB',
  schema: 'PUBLIC',
  role: 'KAFKA_CONNECTOR_ROLE',
  user: 'KAFKA_DEMO',
  adminWarehouse: 'KAFKA_ADMIN_WAREHOUSE',
  taskWarehouse: 'KAFKA_TASK_WH',
} as const;

/** How often each extraction task wakes up (it runs only when its stream has data). */
export const TASK_SCHEDULE = '1 minute';

const col = (name: string, path: string, type: ExtractedColumnType): ExtractedColumn => ({ name, path: path.split(':'), type });

/** Derives the object names from the topic, so no name is typed twice. */
function topic(name: TopicName, keyField: string, columns: ExtractedColumn[]): TopicSpec {
  const upper = name.toUpperCase();
  return {
    topic: name,
    rawTable: upper,
    extractedTable: `${upper}_EXTRACTED`,
    stream: `STREAM_${upper}`,
    task: `TASK_EXTRACT_AVRO_FROM_${upper}`,
    procedure: `SP_EXTRACT_AVRO_${upper}`,
    view: `${upper}_VW`,
    quickstart: name,
    keyField,
    columns,
  };
}

export const TOPICS: readonly TopicSpec[] = [
  topic('pageviews', 'viewtime', [col('PAGEID', 'pageid', 'STRING'), col('USERID', 'userid', 'STRING'), col('VIEWTIME', 'viewtime', 'STRING')]),
  topic('orders', 'orderid', [
    col('CITY', 'address:city', 'STRING'),
    col('STATE', 'address:state', 'STRING'),
    col('ZIPCODE', 'address:zipcode', 'INT'),
    col('ITEMID', 'itemid', 'STRING'),
    col('ORDERID', 'orderid', 'INT'),
    col('ORDERTIME', 'ordertime', 'INT'),
    col('ORDERUNITS', 'orderunits', 'FLOAT'),
  ]),
  topic('ratings', 'rating_id', [
    col('CHANNEL', 'channel', 'STRING'),
    col('MESSAGE', 'message', 'STRING'),
    col('RATINGID', 'rating_id', 'INT'),
    col('RATINGTIME', 'rating_time', 'INT'),
    col('ROUTEID', 'route_id', 'INT'),
    col('STARS', 'stars', 'INT'),
    col('USERID', 'user_id', 'INT'),
  ]),
  topic('stock_trades', 'symbol', [
    col('ACCOUNT', 'account', 'STRING'),
    col('PRICE', 'price', 'INT'),
    col('QUANTITY', 'quantity', 'INT'),
    col('SIDE', 'side', 'STRING'),
    col('SYMBOL', 'symbol', 'STRING'),
    col('USERID', 'userid', 'STRING'),
  ]),
  topic('users', 'userid', [
    col('GENDER', 'gender', 'STRING'),
    col('REGIONID', 'regionid', 'STRING'),
    col('REGISTERTIME', 'registertime', 'INT'),
    col('USERID', 'userid', 'STRING'),
  ]),
  topic('clickstream', 'ip', [
    col('_TIME', '_time', 'STRING'),
    col('AGENT', 'agent', 'STRING'),
    col('BYTES', 'bytes', 'STRING'),
    col('IP', 'ip', 'STRING'),
    col('REFERRER', 'referrer', 'STRING'),
    col('REMOTE_USER', 'remote_user', 'STRING'),
    col('REQUEST', 'request', 'STRING'),
    col('STATUS', 'status', 'STRING'),
    col('TIME', 'time', 'STRING'),
    col('USERID', 'userid', 'STRING'),
  ]),
];

export function isTopicName(value: string): value is TopicName {
  return (TOPIC_NAMES as readonly string[]).includes(value);
}

/** The spec of a topic; total over TopicName, so no lookup can fail. */
export function topicSpec(name: TopicName): TopicSpec {
  return TOPICS.find((t) => t.topic === name) as TopicSpec;
}
