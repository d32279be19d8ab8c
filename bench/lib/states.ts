/**
 * Synthetic pipeline states for the frame-cost and responsiveness metrics: the 6-topic demo
 * and the large case (1,000 topics, 200 connectors, 50 containers), built from the same
 * fixtures the UI tests use, and "refreshes" of them (offsets and rates moved on), so every
 * rendered frame differs from the last the way a live refresh does.
 */
import type { PipelineState, TopicRate } from '../../src/store/state.js';
import { DEMO_TOPICS, T0, connector, container, kafka, ok, snowflake, snowflakeTopic, topic } from '../../src/ui/test-utils/fixtures.js';

export interface Scale {
  topics: number;
  connectors: number;
  containers: number;
}

export const DEMO: Scale = { topics: 6, connectors: 7, containers: 5 };
export const LARGE: Scale = { topics: 1_000, connectors: 200, containers: 50 };

const DEMO_SERVICES = ['broker', 'connect', 'schema-registry', 'controller', 'datagen'];

export function topicNames(n: number): string[] {
  if (n <= DEMO_TOPICS.length) return DEMO_TOPICS.slice(0, n);
  return [...DEMO_TOPICS, ...Array.from({ length: n - DEMO_TOPICS.length }, (_, i) => `bench-topic-${String(i).padStart(4, '0')}`)];
}

function connectorNames(n: number): string[] {
  const demo = [...DEMO_TOPICS.map((t) => `datagen-${t}`), 'snowflake-sink'];
  if (n <= demo.length) return demo.slice(0, n);
  return [...demo, ...Array.from({ length: n - demo.length }, (_, i) => `bench-source-${String(i).padStart(3, '0')}`)];
}

function containerNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => DEMO_SERVICES[i] ?? `bench-${String(i).padStart(2, '0')}`);
}

/** The state after `refresh` refreshes: offsets grew by each topic's rate over 2 s, and the clock moved with them. */
export function syntheticState(scale: Scale, refresh = 0): Partial<PipelineState> {
  const names = topicNames(scale.topics);
  const at = T0 + refresh * 2_000;
  const rateOf = (i: number) => 10 + (i % 50) + (refresh % 7);
  const endOf = (i: number) => 12_000 + refresh * 2 * rateOf(i) + i;
  const rates: Record<string, TopicRate> = Object.fromEntries(
    names.map((n, i) => [n, { topic: n, perSecond: rateOf(i), history: Array.from({ length: 30 }, (_, k) => rateOf(i + k + refresh)) }]),
  );
  const connectors = connectorNames(scale.connectors).map((n, i) =>
    connector(n, i % 17 === 5 ? 'PAUSED' : 'RUNNING', { topics: [names[i % names.length]!] }),
  );
  return {
    sources: {
      docker: ok(containerNames(scale.containers).map((n, i) => container(n, { cpuPercent: ((i + refresh) % 40) / 10 })), at),
      kafka: ok(kafka(names.map((n, i) => topic(n, endOf(i), endOf(i) - 150))), at),
      connect: ok(connectors, at),
      snowflake: ok(snowflake(DEMO_TOPICS.map((t, i) => snowflakeTopic(t, { rawRows: 11_850 + refresh * 20 + i, extractedRows: 11_700 + refresh * 20 }))), at),
    },
    rates,
    pipelineTopics: [...DEMO_TOPICS],
  };
}
