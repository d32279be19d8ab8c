/**
 * Run by metric 5 in a child process (node --expose-gc): the real pipeline composition
 * (createPipeline: store, pollers, rates, funnel waits) over the in-memory fakes, driven by a
 * ManualClock for CYCLES refreshes at the default 2 s. Offsets, commits and row counts grow
 * all along; a source fails now and then (events); a topic comes and goes (maps must forget).
 * With `ui`, the console's <App> (Ink's real renderer, the console's coalescing) draws every
 * refresh into a 200×50 terminal that keeps nothing, as a day on stage would.
 * Prints one JSON line: RSS and heap after gc at each checkpoint.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPipeline } from '../../src/app/pipeline.js';
import { loadConfig } from '../../src/config/load.js';
import { ManualClock } from '../../src/domain/clock.js';
import { createFakeServices, fakeConnector, fakeContainer, fakeSnowflakeTopic } from '../../src/services/fakes.js';
import { CONSOLE_COALESCE_MS } from '../../src/store/coalescedReader.js';
import { mountApp, type MountedApp } from '../lib/mountApp.js';
import { selectConnectorRows, selectContainerRows, selectFunnels, selectSnowflakeRows, selectTopicRows } from '../../src/store/selectors.js';

const CYCLES = Number(process.argv[2] ?? 86_400);
const WITH_UI = process.argv[3] === 'ui';
const CHECKPOINTS = new Set([1_000, 10_000, 20_000, 40_000, 60_000, CYCLES]);

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function reading(cycle: number) {
  for (let i = 0; i < 4; i++) gc!();
  const m = process.memoryUsage();
  return { cycle, rssMb: m.rss / 1048576, heapUsedMb: m.heapUsed / 1048576, externalMb: m.external / 1048576, arrayBuffersMb: m.arrayBuffers / 1048576 };
}

const home = mkdtempSync(join(tmpdir(), 'sfpipe-bench-mem-'));
try {
  const config = loadConfig({ cwd: home, env: {}, homedir: home, flags: {} });
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const services = createFakeServices(clock, `connect-${config.connect.sinkConnector}`);
  config.kafka.topics.forEach((t, i) => services.kafka.addTopic(t, 3, { ratePerSecond: 50 + 40 * i }));
  services.kafka.addTopic('__consumer_offsets', 5, { internal: true });
  services.connect.connectors = [...config.kafka.topics.map((t) => fakeConnector(`datagen-${t}`)), fakeConnector(config.connect.sinkConnector)];
  services.docker.containers = ['broker', 'connect', 'schema-registry'].map((n) => fakeContainer(n));
  services.snowflake.topics = config.kafka.topics.map((t) => fakeSnowflakeTopic(t));
  const { store, pollers } = createPipeline(config, services, { clock });
  // what the panes read on every store change
  let rows = 0;
  store.subscribe((s) => {
    rows = selectTopicRows(s).length + selectConnectorRows(s).length + selectContainerRows(s).length + selectSnowflakeRows(s).length + selectFunnels(s, clock.now()).length;
  });
  // Ink renders on a timer of its own (its throttle): a real macrotask lets each refresh's frame out.
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  const app: MountedApp | undefined = WITH_UI
    ? await mountApp({ store, clock, columns: 200, rows: 50, maxFps: 100_000, coalesceMs: CONSOLE_COALESCE_MS, keepWrites: false })
    : undefined;
  const refreshMs = config.console.refreshMs;
  const out: ReturnType<typeof reading>[] = [];
  let raw = 0;
  pollers.start();
  await flush();
  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    clock.advance(refreshMs);
    // the sink and Snowflake keep up, a little behind
    for (const t of config.kafka.topics) services.kafka.commit(t, Math.floor((refreshMs / 1000) * 45));
    raw += 300;
    for (const t of config.kafka.topics) services.snowflake.setRows(t, raw, raw - 150);
    if (cycle % 5_000 === 0) services.kafka.control.failWith('unreachable', 'broker restarting', 3);
    if (cycle % 7_000 === 0) services.connect.control.failWith('timeout', 'no answer', 2);
    if (cycle % 10_000 === 0) services.kafka.addTopic(`scratch_${cycle}`, 1, { ratePerSecond: 5 });
    if (cycle % 10_000 === 5_000) services.kafka.deleteTopic(`scratch_${cycle - 5_000}`);
    await flush();
    if (CHECKPOINTS.has(cycle)) out.push(reading(cycle));
  }
  pollers.stop();
  const frames = app?.stdout.count ?? 0;
  app?.unmount();
  const stats = pollers.stats();
  process.stdout.write(
    `${JSON.stringify({ cycles: CYCLES, ui: WITH_UI, frames, readings: out, events: store.getState().events.length, rows, kafkaCalls: stats.kafka?.calls, topics: Object.keys(store.getState().rates).length })}\n`,
  );
} finally {
  rmSync(home, { recursive: true, force: true });
}
