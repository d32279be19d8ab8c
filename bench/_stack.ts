import { BenchStack, harnessUp, demoConnectors, extraConnectors, BENCH_TOPICS, DEMO_SERVICES } from './lib/stack.js';
const h = await harnessUp(['docker', 'kafka', 'connect', 'snowflake'], (l) => console.log(l));
console.log(h.env, h.missing);
const s = new BenchStack(h.env, (l) => console.log(l));
try {
  let t = Date.now();
  await s.createTopics(BENCH_TOPICS); console.log('topics', Date.now() - t); t = Date.now();
  await s.createConnectors(demoConnectors()); console.log('demo connectors', Date.now() - t); t = Date.now();
  await s.createConnectors(extraConnectors(20)); console.log('20 stopped connectors', Date.now() - t); t = Date.now();
  await s.waitForConnectors(); console.log('wait', Date.now() - t); t = Date.now();
  await s.createContainers(DEMO_SERVICES); console.log('containers', Date.now() - t); t = Date.now();
} finally {
  const t = Date.now();
  await s.cleanup(); console.log('cleanup', Date.now() - t);
}
