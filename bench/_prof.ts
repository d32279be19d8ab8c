import { createPipelineStore } from '../src/store/pipelineStore.js';
import { ManualClock } from '../src/domain/clock.js';
import { T0 } from '../src/ui/test-utils/fixtures.js';
import { mountApp } from './lib/mountApp.js';
import { DEMO, syntheticState } from './lib/states.js';
import { setTimeout as sleep } from 'node:timers/promises';
const store = createPipelineStore(syntheticState(DEMO, 0));
const app = await mountApp({ store, clock: new ManualClock(T0), columns: 200, rows: 50 });
const states = Array.from({length: 200}, (_, i) => syntheticState(DEMO, i + 1));
await sleep(50);
const t = performance.now();
for (let i = 0; i < 200; i++) { store.setState(states[i]!); await sleep(36); }
console.log('renders', app.inkRenderTimes.length, 'writes', app.stdout.frameWrites().length, 'per frame incl sleep', (performance.now() - t) / 200, 'ink median', app.inkRenderTimes.sort((a,b)=>a-b)[100]);
app.unmount();
