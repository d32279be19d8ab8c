import { createKafkaService } from '../src/services/kafka/adapter.js';
for (const group of ['connect-sfb-snowflake-sink', undefined]) {
  const k = createKafkaService({ brokers: ['127.0.0.1:19092'] });
  const t = performance.now();
  try { const s = await k.snapshot({ sinkGroup: group, timeoutMs: 10000 }); console.log(group, 'ok', s.topics.length, (performance.now() - t).toFixed(0), 'ms', JSON.stringify(k.requestCounts())); }
  catch (e) { console.log(group, 'err', String(e), (performance.now() - t).toFixed(0)); }
  const t2 = performance.now();
  await k.snapshot({ sinkGroup: group }); console.log('second', (performance.now() - t2).toFixed(0), 'ms', JSON.stringify(k.requestCounts()));
  await k.close();
}
