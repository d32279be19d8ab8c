import { describe, expect, it } from 'vitest';
import { healthyState, kafka, ok, snowflake, snowflakeTopic, T0, topic } from '../test-utils/fixtures.js';
import { renderInConsole } from '../test-utils/render.js';
import { PipelinePane } from './PipelinePane.js';

const pane = <PipelinePane width={110} height={14} focused />;

describe('Pipeline pane', () => {
  it('healthy: the funnel per topic from produced to extracted', async () => {
    const r = await renderInConsole(pane, { state: healthyState(), columns: 120 });
    expect(r.lines().find((l) => l.includes('orders'))).toMatch(/orders\s+12,000\s+11,850\s+11,850\s+150\s+11,700\s+● flowing/);
  });

  it('points at the stage where records wait, and explains the selected topic', async () => {
    // The sink committed nothing while 5,000 records were produced long ago: they wait at "produced".
    const s = healthyState({ kafka: ok(kafka([topic('orders', 5_000, 0)])), snowflake: ok(snowflake([snowflakeTopic('orders', { rawRows: 0, extractedRows: 0 })])) });
    s.pipelineTopics = ['orders'];
    s.funnelWaits = { orders: { produced: { since: T0 - 600_000, target: 5_000 } } };
    const r = await renderInConsole(pane, { state: s, columns: 120 });
    const row = r.lines().find((l) => l.includes('orders'))!;
    expect(row).toContain('◀ 5,000');
    expect(row).toMatch(/◀ produced 5,000 for 10m/);
    expect(r.lines().at(-2)).toContain('5,000 records produced but not yet committed by the sink for 10m');
  });
});
