import { setTimeout as sleep } from 'node:timers/promises';
import { BenchStack, harnessUp, demoConnectors, BENCH_TOPICS, DEMO_SERVICES } from './lib/stack.js';
import { Tmux } from './lib/tmux.js';
import { waitForData } from './lib/console.js';
import { readProcStat, cpuPercent } from './lib/procStat.js';
const h = await harnessUp(['docker', 'kafka', 'connect', 'snowflake'], () => {});
const s = new BenchStack(h.env, (l) => console.log(l));
const tmux = new Tmux();
try {
  await s.createTopics(BENCH_TOPICS);
  await s.createConnectors(demoConnectors());
  await s.createContainers(DEMO_SERVICES);
  const setup = s.consoleSetup('prof');
  const extra = process.argv.slice(2);
  const pid = tmux.start('p', ['node', ...extra, `${process.cwd()}/bin/sfpipe.js`], { cwd: setup.cwd, env: setup.env, columns: 200, rows: 50, startMarker: `${setup.cwd}/m` });
  await waitForData(tmux, { name: 'p', pid, startNs: 0n }, 30000, 50);
  await sleep(3000);
  const a = readProcStat(pid); const t = Date.now();
  await sleep(20000);
  const b = readProcStat(pid);
  console.log('cpu %', cpuPercent(a, b, (Date.now() - t) / 1000).toFixed(2), 'threads', (await import('node:fs')).readdirSync(`/proc/${pid}/task`).length);
  tmux.sendKeys('p', 'q');
  await sleep(3000);
} finally {
  tmux.shutdown();
  await s.cleanup();
}
