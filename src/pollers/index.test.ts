import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.js';
import { createFakeServices, fakeConnector, fakeContainer, fakeSnowflakeTopic } from '../services/fakes.js';
import { unconfigured } from '../services/types.js';
import { createPipelineStore } from '../store/pipelineStore.js';
import { createPollers } from './index.js';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Advance the clock in steps, letting promises settle between them. */
async function advance(clock: ManualClock, ms: number, step = 500): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    clock.advance(Math.min(step, ms - done));
    await flush();
  }
}

function setup(slowRefreshMs = 0) {
  const clock = new ManualClock(1_700_000_000_000);
  const services = createFakeServices(clock);
  services.docker.containers = [fakeContainer('broker')];
  services.kafka.addTopic('orders', 2, { ratePerSecond: 20 });
  services.connect.connectors = [fakeConnector('datagen-orders')];
  services.snowflake.topics = [fakeSnowflakeTopic('orders')];
  const store = createPipelineStore({ settings: { refreshMs: 2_000, slowRefreshMs } });
  const pollers = createPollers(store, services, { clock, random: () => 0, timeouts: { kafka: 1_000, docker: 1_000, connect: 1_000, snowflake: 1_000 } });
  return { clock, services, store, pollers };
}

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

describe('poller set', () => {
  it('polls every configured source and derives rates', async () => {
    const { clock, store, pollers } = setup();
    pollers.start();
    await flush();
    const s = store.getState();
    expect(Object.fromEntries(Object.entries(s.sources).map(([k, v]) => [k, v.status]))).toEqual({ docker: 'ok', kafka: 'ok', connect: 'ok', snowflake: 'ok' });
    await advance(clock, 40_000);
    expect(store.getState().rates.orders!.perSecond).toBe(20);
    pollers.stop();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('marks unconfigured sources once and never polls them', async () => {
    const clock = new ManualClock(0);
    const fakes = createFakeServices(clock);
    const services = { ...fakes, snowflake: unconfigured('no Snowflake connection configured', 'run `sfpipe doctor`') };
    const store = createPipelineStore();
    const pollers = createPollers(store, services, { clock });
    expect(store.getState().sources.snowflake.status).toBe('unconfigured');
    expect(pollers.pollers.snowflake).toBeUndefined();
    expect(pollers.pollers.snowflakeBacklog).toBeUndefined();
    pollers.start();
    await advance(clock, 10_000);
    expect(store.getState().sources.snowflake.status).toBe('unconfigured');
    expect(fakes.snowflake.control.count()).toBe(0);
    pollers.stop();
  });

  it('one hung source times out and goes stale while the others keep updating; no unhandled rejection', async () => {
    const { clock, services, store, pollers } = setup();
    pollers.start();
    await flush();
    services.connect.control.hang({ ignoreAbort: true });
    services.kafka.control.failWith('bad-response', 'garbled metadata response');
    await advance(clock, 20_000);
    const s = store.getState();
    expect(s.sources.connect.status).toBe('stale');
    expect(s.sources.connect.error?.kind).toBe('timeout');
    expect(s.sources.kafka.status).toBe('stale');
    expect(s.sources.kafka.error?.kind).toBe('bad-response');
    expect(s.sources.docker.status).toBe('ok');
    expect(s.sources.docker.updatedAt).toBeGreaterThan(clock.now() - 3_000);
    // the hung calls answer late: ignored, and polling recovers
    services.connect.control.heal();
    services.connect.control.releaseHung();
    services.kafka.control.heal();
    await advance(clock, 40_000);
    expect(store.getState().sources.connect.status).toBe('ok');
    expect(store.getState().sources.kafka.status).toBe('ok');
    pollers.stop();
    await flush();
    expect(unhandled).toEqual([]);
  });

  it('a source down from the start is down (no data), with the error kind', async () => {
    const { clock, services, store, pollers } = setup();
    services.docker.control.failWith('unreachable', 'connect ENOENT /var/run/docker.sock');
    pollers.start();
    await advance(clock, 5_000);
    expect(store.getState().sources.docker).toMatchObject({ status: 'down', data: undefined });
    expect(store.getState().sources.docker.error?.kind).toBe('unreachable');
    pollers.stop();
  });

  it('backs off a failing source: fewer calls than a healthy one', async () => {
    const { clock, services, pollers } = setup();
    services.docker.control.failWith('unreachable', 'no engine');
    pollers.start();
    await advance(clock, 120_000);
    const failing = services.docker.control.count('listContainers');
    const healthy = services.connect.control.count('list');
    expect(healthy).toBeGreaterThanOrEqual(55);
    expect(failing).toBeLessThan(15);
    pollers.stop();
  });

  it('runs no warehouse-bound query at default settings, only on demand', async () => {
    const { clock, services, store, pollers } = setup(0);
    pollers.start();
    await advance(clock, 10 * 60_000, 2_000);
    expect(services.snowflake.control.count('metadata')).toBeGreaterThan(100);
    expect(services.snowflake.warehouseQueries).toBe(0);
    expect(pollers.stats().snowflakeBacklog?.calls).toBe(0);
    services.snowflake.streamBacklog.set('orders', 17);
    await pollers.refreshBacklog();
    expect(services.snowflake.warehouseQueries).toBe(1);
    expect(store.getState().sources.snowflake.data!.topics[0]!.stream!.backlog).toBe(17);
    pollers.stop();
  });

  it('runs the warehouse-bound queries on the slow cadence when one is set', async () => {
    const { clock, services, pollers } = setup(60_000);
    pollers.start();
    // small steps: a refresh's end (and so the next tick) is only seen once promises settle
    await advance(clock, 5 * 60_000 + 1_000, 100);
    // at once, then a minute after each: 1 + 5
    expect(services.snowflake.warehouseQueries).toBe(6);
    pollers.stop();
  });

  it('refreshNow of one source refreshes only that one; of all, every configured one', async () => {
    const { services, pollers } = setup();
    await pollers.refreshNow('kafka');
    expect(services.kafka.control.count()).toBe(1);
    expect(services.docker.control.count()).toBe(0);
    await pollers.refreshNow();
    expect(services.kafka.control.count()).toBe(2);
    expect(services.docker.control.count()).toBe(1);
    expect(services.connect.control.count()).toBe(1);
    expect(services.snowflake.control.count('metadata')).toBe(1);
    expect(services.snowflake.warehouseQueries).toBe(0);
  });
});

