import { setTimeout as sleep } from 'node:timers/promises';
import { BenchStack, harnessUp, demoConnectors, BENCH_TOPICS, DEMO_SERVICES } from './lib/stack.js';
import { Tmux } from './lib/tmux.js';
const h = await harnessUp(['docker', 'kafka', 'connect', 'snowflake'], () => {});
const s = new BenchStack(h.env, (l) => console.log(l));
const tmux = new Tmux();
try {
  await s.createTopics(BENCH_TOPICS);
  await s.createConnectors(demoConnectors());
  await s.createContainers(DEMO_SERVICES);
  const { cwd, env } = s.consoleSetup('try');
  const pid = tmux.start('c1', ['node', `${process.cwd()}/bin/sfpipe.js`], { cwd, env, columns: 200, rows: 50, startMarker: `${cwd}/start` });
  console.log('pid', pid);
  for (const t of [300, 700, 1500, 5000]) { await sleep(t); console.log(`---- after +${t}`); console.log(tmux.capture('c1')); }
} finally {
  tmux.shutdown();
  await s.cleanup();
}
