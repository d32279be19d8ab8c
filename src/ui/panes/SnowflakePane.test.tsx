import { describe, expect, it } from 'vitest';
import { healthyState, ok, snowflake, snowflakeTopic, T0, unconfigured } from '../test-utils/fixtures.js';
import { renderInConsole } from '../test-utils/render.js';
import { SnowflakePane } from './SnowflakePane.js';

const pane = <SnowflakePane width={110} height={14} focused />;

describe('Snowflake pane', () => {
  it('healthy: counts, stream backlog with its age, task state, schedule, countdown and last run', async () => {
    const r = await renderInConsole(pane, { state: healthyState(), columns: 120 });
    expect(r.frame()).toContain('Snowflake KAFKA_DB.PUBLIC');
    expect(r.lines().find((l) => l.includes('orders'))).toMatch(/orders\s+11,850\s+11,700\s+150 \(30s\)\s+● started\s+1 MINUTE\s+in 40s\s+● SUCCEEDED 20s/);
  });

  it('the countdown and ages move with the one clock tick', async () => {
    const r = await renderInConsole(pane, { state: healthyState(), columns: 120 });
    await r.tick(5_000);
    expect(r.frame()).toContain('in 35s');
    expect(r.frame()).toContain('SUCCEEDED 25s');
    await r.tick(40_000);
    expect(r.frame()).toContain('late 5s');
  });

  it('a stale stream, a suspended task and a failed run are marked and explained', async () => {
    const t = snowflakeTopic('orders', {
      stream: { name: 'STREAM_ORDERS', stale: true, staleAfter: undefined, mode: 'DEFAULT', hasData: undefined, backlog: undefined, backlogAt: undefined },
      task: { name: 'TASK_EXTRACT_AVRO_FROM_ORDERS', state: 'suspended', schedule: '1 MINUTE', condition: undefined, lastSuspendedReason: undefined, lastRun: { state: 'FAILED', at: T0 - 60_000, error: 'Object does not exist' }, nextRunAt: undefined },
    });
    const r = await renderInConsole(pane, { state: healthyState({ snowflake: ok(snowflake([t])) }), columns: 120 });
    expect(r.frame()).toContain('✗ STALE');
    expect(r.frame()).toContain('‖ suspended');
    expect(r.frame()).toContain('✗ FAILED 1m');
    expect(r.frame()).toContain('✗ TASK_EXTRACT_AVRO_FROM_ORDERS: Object does not exist');
  });

  it('no connection: says so, with the poller’s hint', async () => {
    const r = await renderInConsole(pane, { state: healthyState({ snowflake: unconfigured('snowflake', 'no Snowflake connection configured', 'add one to ~/.snowflake/connections.toml') }), columns: 120 });
    expect(r.frame()).toContain('○ not configured');
    expect(r.frame()).toContain('No Snowflake connection configured.');
    expect(r.frame()).toContain('Add one to ~/.snowflake/connections.toml.');
  });
});
