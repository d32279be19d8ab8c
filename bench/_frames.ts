import { setTimeout as sleep } from 'node:timers/promises';
import { BenchStack, harnessUp, demoConnectors, BENCH_TOPICS, DEMO_SERVICES } from './lib/stack.js';
import { createPipeline } from '../src/app/pipeline.js';
import { buildServices } from '../src/app/services.js';
import { loadConfig } from '../src/config/load.js';
import { systemClock } from '../src/domain/clock.js';
import { mountApp } from './lib/mountApp.js';
import { frameLines, changedLines } from './lib/fakeTerminal.js';
const h = await harnessUp(['docker', 'kafka', 'connect', 'snowflake'], () => {});
const s = new BenchStack(h.env, (l) => console.log(l));
try {
  await s.createTopics(BENCH_TOPICS);
  await s.createConnectors(demoConnectors());
  await s.createContainers(DEMO_SERVICES);
  const setup = s.consoleSetup('fr');
  const config = loadConfig({ cwd: setup.cwd, env: setup.env, homedir: setup.env.HOME!, flags: {} });
  const services = buildServices(config);
  const { store, pollers } = createPipeline(config, services, { clock: systemClock });
  let storeWrites = 0; const keys = new Map<string, number>();
  store.subscribe((n, p) => { storeWrites++; for (const k of Object.keys(n) as (keyof typeof n)[]) if (n[k] !== p[k] && typeof n[k] !== 'function') keys.set(k, (keys.get(k) ?? 0) + 1); });
  const app = await mountApp({ store, clock: systemClock, columns: 200, rows: 50, ...(process.env.FPS ? { maxFps: Number(process.env.FPS) } : {}) });
  pollers.start();
  await sleep(5000);
  const w0 = app.stdout.frameWrites().length, r0 = app.inkRenderTimes.length; storeWrites = 0; keys.clear();
  const cpu0 = process.cpuUsage(); const t0 = Date.now();
  await sleep(20000);
  const cpu = process.cpuUsage(cpu0); const secs = (Date.now() - t0) / 1000;
  const writes = app.stdout.frameWrites().slice(w0);
  const renders = app.inkRenderTimes.slice(r0);
  console.log({ secs, storeWrites, keys: Object.fromEntries(keys), frames: writes.length, framesPerSec: writes.length / secs, renders: renders.length, inkMsPerRender: renders.reduce((a, b) => a + b, 0) / renders.length, bytesPerSec: writes.reduce((a, w) => a + w.text.length, 0) / secs, cpuPct: (cpu.user + cpu.system) / 1e4 / secs });
  let prev = frameLines(writes[0]!.text);
  for (const w of writes.slice(1, 12)) { const l = frameLines(w.text); console.log(Math.round(w.at), changedLines(prev, l).map((d) => d.line).join(',')); prev = l; }
  app.unmount(); pollers.stop(); await services.close();
} finally {
  await s.cleanup();
}
