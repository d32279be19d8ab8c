import { setTimeout as sleep } from 'node:timers/promises';
import { BenchStack, harnessUp, BENCH_TOPICS } from './lib/stack.js';
import { Tmux } from './lib/tmux.js';
import { startConsole, headerStatuses } from './lib/console.js';
const h = await harnessUp(['docker', 'kafka', 'connect', 'snowflake'], () => {});
const s = new BenchStack(h.env, (l) => console.log(l));
const tmux = new Tmux();
try {
  await s.createTopics(BENCH_TOPICS);
  const setup = s.consoleSetup('st');
  const c = await startConsole(tmux, 'x', setup);
  let last = '';
  for (let i = 0; i < 400; i++) {
    const scr = tmux.capture('x');
    const st = JSON.stringify(headerStatuses(scr)) + ' ' + scr.split('\n')[0]!.slice(0, 20);
    if (st !== last) { console.log((Number(BigInt(Date.now()) * 1000000n - c.startNs) / 1e6).toFixed(0), st); last = st; }
    await sleep(10);
  }
  const { execSync } = await import('node:child_process');
  console.log(execSync(`find ${setup.cwd}/home -type f | head; find ${setup.cwd}/home -name '*.log' -exec tail -20 {} \\;`).toString());
} finally {
  tmux.shutdown();
  await s.cleanup();
}
