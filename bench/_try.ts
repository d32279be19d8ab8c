import { frameCost } from './metrics/frameCost.js';
const r = await frameCost({ rounds: 1, framesPerRound: 30, idleSeconds: 5 });
console.log(JSON.stringify(r, null, 1));
