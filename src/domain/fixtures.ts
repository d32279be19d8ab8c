/**
 * Builders of plausible model objects for tests and benchmarks (fakes and hand-built store
 * states): sensible defaults, overridable field by field. Pure data, no behaviour.
 */
import type { ConnectorInfo, ContainerInfo, SnowflakeTopicState } from './model.js';

export function fakeContainer(name: string, overrides: Partial<ContainerInfo> = {}): ContainerInfo {
  return {
    id: `id-${name}`,
    name,
    service: name,
    image: `sfpipe-test/${name}:latest`,
    state: 'running',
    health: 'none',
    startedAt: 0,
    restartCount: 0,
    exitCode: undefined,
    cpuPercent: 0.5,
    memoryBytes: 64 * 1024 * 1024,
    memoryLimitBytes: undefined,
    ...overrides,
  };
}

export function fakeConnector(name: string, overrides: Partial<ConnectorInfo> = {}): ConnectorInfo {
  return {
    name,
    type: 'source',
    className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    state: 'RUNNING',
    workerId: '127.0.0.1:8083',
    trace: undefined,
    tasks: [{ id: 0, state: 'RUNNING', workerId: '127.0.0.1:8083', trace: undefined }],
    config: {},
    topics: [],
    ...overrides,
  };
}

export function fakeSnowflakeTopic(topic: string, overrides: Partial<SnowflakeTopicState> = {}): SnowflakeTopicState {
  const upper = topic.toUpperCase();
  return {
    topic,
    rawTable: upper,
    rawRows: 0,
    extractedTable: `${upper}_EXTRACTED`,
    extractedRows: 0,
    stream: { name: `STREAM_${upper}`, stale: false, staleAfter: undefined, mode: 'DEFAULT', hasData: false, backlog: undefined, backlogAt: undefined },
    task: {
      name: `TASK_EXTRACT_AVRO_FROM_${upper}`,
      state: 'started',
      schedule: '1 minute',
      condition: `SYSTEM$STREAM_HAS_DATA('STREAM_${upper}')`,
      lastSuspendedReason: undefined,
      lastRun: undefined,
      nextRunAt: undefined,
    },
    ...overrides,
  };
}
