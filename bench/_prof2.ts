import { createPipelineStore } from '../src/store/pipelineStore.js';
import { ManualClock } from '../src/domain/clock.js';
import { T0 } from '../src/ui/test-utils/fixtures.js';
import { mountApp } from './lib/mountApp.js';
import { DEMO, syntheticState } from './lib/states.js';
import { setTimeout as sleep } from 'node:timers/promises';
const store = createPipelineStore(syntheticState(DEMO, 0));
const app = await mountApp({ store, clock: new ManualClock(T0), columns: 200, rows: 50 });
const states = Array.from({length: 40}, (_, i) => syntheticState(DEMO, i + 1));
await sleep(50);
const log = [];
for (let i = 0; i < 40; i++) {
  const r0 = app.inkRenderTimes.length, w0 = app.stdout.frameWrites().length;
  const t0 = performance.now();
  store.setState(states[i]!);
  const t1 = performance.now();
  const r1 = app.inkRenderTimes.length, w1 = app.stdout.frameWrites().length;
  await sleep(60);
  log.push(`${(t1-t0).toFixed(1)}ms sync r${r1-r0} w${w1-w0} later r${app.inkRenderTimes.length-r1} w${app.stdout.frameWrites().length-w1} ink ${app.inkRenderTimes.slice(r0).map(x=>x.toFixed(1)).join(',')}`);
}
console.log(log.join('\n'));
app.unmount();
