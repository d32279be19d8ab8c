/** Metric 2 in a child process, so the bench chooses its NODE_ENV (React's build) like the console's own process would have. */
import { frameCost } from './frameCost.js';

const [rounds, frames, idleSeconds] = process.argv.slice(2).map(Number);
const results = await frameCost({ rounds: rounds ?? 3, framesPerRound: frames ?? 100, idleSeconds: idleSeconds ?? 60 });
process.stdout.write(`\n${JSON.stringify(results)}\n`);
process.exit(0);
