/**
 * Once per `vitest run`: tag the run so the harness knows which services this run started,
 * and stop exactly those at the end (services a person started with `harness up` are reused
 * and left running). SFPIPE_HARNESS_KEEP=1 keeps everything up for a faster next run.
 */
import { randomUUID } from 'node:crypto';
import { downOwned, makeContext } from '../../harness/index.js';

export default function setup(): () => Promise<void> {
  const id = process.env.SFPIPE_TEST_RUN_ID ?? randomUUID();
  process.env.SFPIPE_TEST_RUN_ID = id;
  return async () => {
    if (process.env.SFPIPE_HARNESS_KEEP === '1') return;
    await downOwned(makeContext({ quiet: true }), id);
  };
}
