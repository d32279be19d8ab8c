/**
 * Which Snowflake objects belong to each Kafka topic: the catalog's names (src/domain/topics.ts)
 * for the demo's topics, the same naming rule for any other topic the config lists.
 */
import { isTopicName, topicSpec } from '../../domain/topics.js';

export interface SnowflakeTopicObjects {
  topic: string;
  rawTable: string;
  extractedTable: string;
  stream: string;
  task: string;
}

export function topicObjects(topics: readonly string[]): SnowflakeTopicObjects[] {
  return topics.map((topic) => {
    if (isTopicName(topic)) {
      const spec = topicSpec(topic);
      return { topic, rawTable: spec.rawTable, extractedTable: spec.extractedTable, stream: spec.stream, task: spec.task };
    }
    const upper = topic.toUpperCase().replace(/[^A-Z0-9_$]/g, '_');
    return { topic, rawTable: upper, extractedTable: `${upper}_EXTRACTED`, stream: `STREAM_${upper}`, task: `TASK_EXTRACT_AVRO_FROM_${upper}` };
  });
}
