/**
 * Metric 7 — responsiveness under a hung backend. The product's composition (config →
 * buildServices → createPipeline, system clock) with the Kafka broker and the Connect URL
 * pointed at listeners on 127.0.0.1 that accept and never answer; the real <App> rendered
 * in-process by Ink's real renderer into a fake 200×50 terminal. Keys are typed into its stdin
 * (Tab / Shift-Tab move the focus, so each changes the frame; every fifth key is 'r', a refresh
 * that goes to the hung backends); the latency is from the key to the first frame written that
 * differs from the frame before it. Pollers keep timing out and retrying meanwhile.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPipeline } from '../../src/app/pipeline.js';
import { buildServices } from '../../src/app/services.js';
import { loadConfig } from '../../src/config/load.js';
import { systemClock } from '../../src/domain/clock.js';
import { FakeConnect } from '../../src/services/fakes.js';
import { CONSOLE_COALESCE_MS } from '../../src/store/coalescedReader.js';
import { isUnconfigured, type Services } from '../../src/services/types.js';
import { frameLines, KEYS } from '../lib/fakeTerminal.js';
import { mountApp } from '../lib/mountApp.js';
import { HungListener } from '../lib/proxies.js';
import { measured, type MetricResult } from '../lib/result.js';
import type { BenchStack } from '../lib/stack.js';
import { percentile, round, summarize } from '../lib/stats.js';

const KEY_TIMEOUT_MS = 2_000;

export async function responsiveness(stack: BenchStack, keys: number): Promise<MetricResult> {
  const hungKafka = await new HungListener().listen();
  const hungConnect = await new HungListener().listen();
  const setup = stack.consoleSetup('hung', { brokers: `127.0.0.1:${hungKafka.port}`, connectUrl: `http://127.0.0.1:${hungConnect.port}` });
  const config = loadConfig({ cwd: setup.cwd, env: setup.env, homedir: setup.env.HOME!, flags: {} });
  const built = buildServices(config);
  const notes: string[] = [];
  let services: Services = built;
  if (isUnconfigured(built.connect)) {
    // no Connect adapter in this build: the fake, hung the same way (accepts the call, never answers)
    const fake = new FakeConnect();
    fake.control.hang({ ignoreAbort: true });
    services = { ...built, connect: fake };
    notes.push('Connect: no adapter in this build, so the in-memory fake hung (never answers, ignores abort)');
  } else notes.push(`Connect: real adapter → hung listener 127.0.0.1:${hungConnect.port}`);
  notes.push(isUnconfigured(built.kafka) ? 'Kafka: unconfigured in this build' : `Kafka: real adapter → hung listener 127.0.0.1:${hungKafka.port}`);
  for (const s of ['docker', 'snowflake'] as const) notes.push(`${s}: ${isUnconfigured(built[s]) ? 'not configured in this build' : 'real adapter → harness'}`);
  const { store, pollers } = createPipeline(config, services, { clock: systemClock });
  // as the console draws: its coalescing window and frame rate
  const app = await mountApp({ store, clock: systemClock, columns: 200, rows: 50, coalesceMs: CONSOLE_COALESCE_MS, onRefresh: () => void pollers.refreshNow() });
  const latencies: number[] = [];
  let missed = 0;
  try {
    pollers.start();
    await sleep(1_500); // the first calls are out and hanging
    const began = performance.now();
    let frame = app.stdout.frameWrites().at(-1)?.text ?? '';
    for (let i = 0; i < keys; i++) {
      if (i % 5 === 4) {
        app.stdin.type(KEYS.r);
        await sleep(30);
      }
      const key = i % 2 === 0 ? KEYS.tab : KEYS.shiftTab;
      const before = app.stdout.frameWrites().length;
      const t0 = performance.now();
      app.stdin.type(key);
      let t1: number | undefined;
      const deadline = t0 + KEY_TIMEOUT_MS;
      let seen = before;
      while (t1 === undefined && performance.now() < deadline) {
        const writes = app.stdout.frameWrites();
        for (; seen < writes.length; seen++) {
          const w = writes[seen]!;
          if (frameLines(w.text).join('\n') !== frameLines(frame).join('\n')) {
            t1 = w.at;
            frame = w.text;
            break;
          }
        }
        if (t1 === undefined) await new Promise((r) => setImmediate(r));
      }
      if (t1 === undefined) {
        missed++;
        latencies.push(KEY_TIMEOUT_MS);
      } else latencies.push(t1 - t0);
      await sleep(60 + ((i * 37) % 90)); // 60-150 ms between keys, like a person tabbing through
    }
    const s = summarize(latencies);
    const st = pollers.stats();
    const timeouts = (['kafka', 'connect'] as const).map((k) => `${k} ${st[k]?.timeouts ?? 0} timeouts/${st[k]?.calls ?? 0} calls`).join(', ');
    return measured(
      '7 keypress to updated frame p95, Kafka and Connect hung',
      round(percentile(latencies, 95), 2),
      'ms',
      { op: '<=', value: 50 },
      `${keys} keys (Tab/Shift-Tab, with 'r' refreshes in between) over ${round((performance.now() - began) / 1000, 1)} s; median ${round(s.median, 2)} ms, max ${round(s.max, 2)} ms, ${missed} keys without a new frame within ${KEY_TIMEOUT_MS} ms; ` +
        `pollers meanwhile: ${timeouts}; hung listeners accepted ${hungKafka.accepted} (kafka) and ${hungConnect.accepted} (connect) connections; ${notes.join('; ')}`,
      { latenciesMs: latencies.map((l) => round(l, 2)), summary: Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v, 3)])), missed, notes },
    );
  } finally {
    app.unmount();
    pollers.stop();
    await services.close().catch(() => undefined);
    await hungKafka.close();
    await hungConnect.close();
  }
}
