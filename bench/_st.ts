import { BenchStack, harnessUp, demoConnectors, BENCH_TOPICS, DEMO_SERVICES } from './lib/stack.js';
import { Tmux } from './lib/tmux.js';
import { startupToData, versionTime } from './metrics/startup.js';
const h = await harnessUp(['docker', 'kafka', 'connect', 'snowflake'], () => {});
const s = new BenchStack(h.env, (l) => console.log(l));
const tmux = new Tmux();
try {
  await s.createTopics(BENCH_TOPICS);
  console.log(JSON.stringify(versionTime(10)));
  console.log(JSON.stringify(await startupToData(tmux, s.consoleSetup('st'), 3)));
} finally {
  tmux.shutdown();
  await s.cleanup();
}
