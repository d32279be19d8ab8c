import { describe, expect, it } from 'vitest';
import { connector, down, err, healthyState, ok, stale, T0 } from '../test-utils/fixtures.js';
import { renderInConsole } from '../test-utils/render.js';
import { ConnectorsPane } from './ConnectorsPane.js';

const pane = <ConnectorsPane width={100} height={14} focused />;

describe('Connectors pane', () => {
  it('healthy: connector and task states, type and worker', async () => {
    const r = await renderInConsole(pane, { state: healthyState() });
    expect(r.lines().find((l) => l.includes('snowflake-sink'))).toMatch(/snowflake-sink\s+sink\s+● RUNNING\s+● 1\/1 RUNNING\s+127\.0\.0\.1:8083/);
    expect(r.lines().filter((l) => l.includes('datagen-'))).toHaveLength(6);
  });

  it('shows an unknown future state as it is, and a failure with the first line of its trace', async () => {
    const failed = connector('snowflake-sink', 'RUNNING', {
      tasks: [{ id: 0, state: 'FAILED', workerId: 'w1', trace: 'org.apache.kafka.connect.errors.ConnectException: auth failed\n\tat a.b(C.java:1)' }],
    });
    const r = await renderInConsole(pane, { state: healthyState({ connect: ok([connector('datagen-odd', 'DEGRADED'), failed]) }) });
    expect(r.frame()).toContain('? DEGRADED');
    expect(r.frame()).toContain('✗ 1/1 FAILED');
    // the first row (datagen-odd) has no trace; move to the sink to see its footer
    expect(r.frame()).not.toContain('auth failed');
  });

  it('the selected failed connector’s trace summary shows under the table', async () => {
    const failed = connector('snowflake-sink', 'FAILED', { trace: 'org.apache.kafka.connect.errors.ConnectException: auth failed\n\tat a.b(C.java:1)' });
    const r = await renderInConsole(pane, { state: healthyState({ connect: ok([failed]) }) });
    expect(r.frame()).toContain('✗ org.apache.kafka.connect.errors.ConnectException: auth failed');
    expect(r.frame()).not.toContain('C.java');
  });

  it('worker down with last-known data keeps rows; at first run explains what is missing', async () => {
    const s = await renderInConsole(pane, { state: healthyState({ connect: stale([connector('datagen-orders')], T0 - 90_000, err('unreachable', 'connect', 'ECONNREFUSED 127.0.0.1:8083')) }) });
    expect(s.frame()).toContain('datagen-orders');
    expect(s.frame()).toContain('showing data from 1m ago');
    const d = await renderInConsole(pane, { state: healthyState({ connect: down(err('unreachable', 'connect', 'connect ECONNREFUSED 127.0.0.1:8083')) }) });
    expect(d.frame()).toContain('Kafka Connect worker unreachable: connect ECONNREFUSED 127.0.0.1:8083');
  });

  it('no connectors deployed: says so and how to deploy them', async () => {
    const r = await renderInConsole(pane, { state: healthyState({ connect: ok([]) }) });
    expect(r.frame()).toContain('No connectors deployed');
  });
});
