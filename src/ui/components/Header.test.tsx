import { describe, expect, it } from 'vitest';
import { down, err, healthyState, stale, T0, unconfigured } from '../test-utils/fixtures.js';
import { renderInConsole } from '../test-utils/render.js';
import { Header } from './Header.js';

describe('Header', () => {
  it('one line on wide terminals: every source with its data’s age, refresh, mode and clock', async () => {
    const r = await renderInConsole(<Header width={150} height={1} />, { state: healthyState(), columns: 150 });
    const line = r.lines()[0]!;
    for (const s of ['● docker ok 2s', '● kafka ok 2s', '● connect ok 2s', '● snowflake ok 2s', 'refresh 2s', 'OPERATOR', '12:00:00']) expect(line).toContain(s);
  });

  it('ages and the clock move with the tick', async () => {
    const r = await renderInConsole(<Header width={150} height={1} />, { state: healthyState(), columns: 150 });
    await r.tick(3_000);
    expect(r.frame()).toContain('● kafka ok 5s');
    expect(r.frame()).toContain('12:00:03');
  });

  it('problems say so in words and symbols: stale with age, down with the error kind, not configured', async () => {
    const state = healthyState({
      kafka: stale(undefined as never, T0 - 45_000, err('timeout', 'kafka', 'slow')),
      connect: down(err('unreachable', 'connect', 'refused')),
      snowflake: unconfigured('snowflake', 'no connection'),
    });
    const wide = await renderInConsole(<Header width={200} height={1} />, { state, columns: 200 });
    expect(wide.frame()).toContain('▲ kafka stale 45s old (timeout)');
    expect(wide.frame()).toContain('✗ connect down (unreachable)');
    expect(wide.frame()).toContain('○ snowflake not configured');
    // Narrower: compact words rather than cutting the last source off.
    const narrow = await renderInConsole(<Header width={150} height={1} />, { state, columns: 150 });
    expect(narrow.frame()).toContain('▲ kafka stale  ✗ connect down  ○ snowflake not set');
    expect(narrow.frame()).toContain('12:00:00');
  });

  it('two compact lines at 80 columns, and READ-ONLY when operations are off', async () => {
    const r = await renderInConsole(<Header width={80} height={2} />, { state: healthyState({ connect: down(err('unreachable', 'connect', 'refused')) }), columns: 80, mode: { readOnly: true } });
    const [info, sources] = r.lines();
    expect(info).toContain('READ-ONLY');
    expect(sources).toContain('● docker ok 2s  ● kafka ok 2s  ✗ connect down (unreachable)  ● snowflake ok 2s');
    const state = healthyState({ connect: down(err('unreachable', 'connect', 'refused')), snowflake: unconfigured('snowflake', 'none') });
    const tight = await renderInConsole(<Header width={80} height={2} />, { state, columns: 80 });
    expect(tight.lines()[1]).toContain('● docker 2s  ● kafka 2s  ✗ connect down  ○ snowflake not set');
  });
});
