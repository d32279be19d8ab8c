import { describe, expect, it } from 'vitest';
import { down, err, healthyState, kafka, manyTopicsState, ok, topic } from '../test-utils/fixtures.js';
import { KEYS, renderInConsole } from '../test-utils/render.js';
import { TopicsPane } from './TopicsPane.js';

const HEIGHT = 14; // frame 3 + column header 1 → 10 visible rows
const VISIBLE = HEIGHT - 4;
const pane = <TopicsPane width={90} height={HEIGHT} focused />;
const topicLines = (lines: string[]) => lines.filter((l) => /topic-\d{4}/.test(l));

describe('Topics pane', () => {
  it('healthy: partitions, end offset, sink lag, rate and trend; internal topics hidden', async () => {
    const s = healthyState({ kafka: ok(kafka([topic('orders', 12_000, 11_850, 3), topic('__consumer_offsets')])) });
    const r = await renderInConsole(pane, { state: s });
    expect(r.lines().find((l) => l.includes('orders'))).toMatch(/orders\s+3\s+36,000\s+450\s+11\/s\s+▂▄▇█/);
    expect(r.frame()).not.toContain('__consumer_offsets');
  });

  it('broker unreachable at first run: says so with its address', async () => {
    const r = await renderInConsole(pane, { state: healthyState({ kafka: down(err('unreachable', 'kafka', 'connect ECONNREFUSED 127.0.0.1:9092')) }) });
    expect(r.frame()).toContain('Kafka broker unreachable: connect ECONNREFUSED 127.0.0.1:9092');
  });

  it('1,000 topics: renders only the visible rows, and scrolling shows later ones', async () => {
    const r = await renderInConsole(pane, { state: manyTopicsState(1000) });
    expect(topicLines(r.lines())).toHaveLength(VISIBLE);
    expect(r.frame()).toContain('topic-0000');
    expect(r.frame()).toContain('1/1000');
    await r.press(KEYS.pageDown, KEYS.pageDown);
    expect(r.frame()).not.toContain('topic-0000');
    await r.press(KEYS.end);
    expect(topicLines(r.lines())).toHaveLength(VISIBLE);
    expect(r.frame()).toContain('› topic-0999');
    expect(r.frame()).toContain('1000/1000');
    await r.press('k', 'k');
    expect(r.frame()).toContain('› topic-0997');
    expect(r.frame()).toContain('topic-0999'); // window did not jump
  });

  it('filters with / and shows how many match', async () => {
    const r = await renderInConsole(pane, { state: manyTopicsState(1000) });
    await r.press('/', '0', '9', '9');
    expect(r.frame()).toContain('/099▏');
    expect(topicLines(r.lines())).toHaveLength(VISIBLE);
    await r.press('9');
    expect(topicLines(r.lines())).toEqual([expect.stringContaining('topic-0999')]);
    expect(r.frame()).toContain('1/1 of 1000');
    await r.press(KEYS.enter);
    expect(r.frame()).toContain('filter "0999"');
    await r.press('/', KEYS.escape);
    expect(topicLines(r.lines())).toHaveLength(VISIBLE);
    await r.press('/', 'z', 'z');
    expect(r.frame()).toContain('Nothing matches "zz"');
  });
});
