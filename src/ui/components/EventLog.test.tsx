import { describe, expect, it } from 'vitest';
import type { PipelineEvent } from '../../store/state.js';
import { healthyState, T0 } from '../test-utils/fixtures.js';
import { renderInConsole } from '../test-utils/render.js';
import { EventLog } from './EventLog.js';

const event = (i: number, level: PipelineEvent['level'] = 'info'): PipelineEvent => ({ at: T0 + i * 1000, level, source: 'kafka', message: `kafka: event ${i}` });

describe('Event log', () => {
  it('shows the newest events that fit, timestamped, with a symbol per level', async () => {
    const events = [...Array.from({ length: 20 }, (_, i) => event(i)), event(20, 'error')];
    const r = await renderInConsole(<EventLog width={80} height={6} />, { state: { ...healthyState(), events } });
    const shown = r.lines().filter((l) => l.includes('event '));
    expect(shown).toHaveLength(3);
    expect(shown[2]).toContain('12:00:20 ✗ kafka: event 20');
    expect(r.frame()).not.toContain('event 17');
  });

  it('says when there is nothing yet, and reacts to new events from the store', async () => {
    const r = await renderInConsole(<EventLog width={80} height={6} />, { state: healthyState() });
    expect(r.frame()).toContain('No events yet.');
    r.store.getState().addEvent(event(1, 'warn'));
    await r.settle();
    expect(r.frame()).toContain('▲ kafka: event 1');
  });
});
