/**
 * Nothing lost across pause and resume: a FileStreamSource (the "datagen") streams 10,000
 * numbered lines that the test writes over time; a FileStreamSink writes the topic to a file.
 * While the lines are being written, the pipeline is paused and resumed several times through
 * the pause and resume runbooks. The topic's end offsets stand still while paused, and in the
 * end the sink file holds every number (duplicates, if any, are reported).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServices } from '../../harness/index.js';
import type { TestStack } from '../fixtures/stack/testStack.js';
import { createNoLossStack, deployNoLoss, expectStoodStill, finalPause, pauseResumeCycle, removeNoLossStack, startWriter, tallySink, waitForSourceToReadAll, type StandStill, type Writer } from '../support/noLoss.js';

const h = await requireServices(['kafka', 'connect']);
const TOTAL = 10_000;
const PAUSES = 3;

describe.skipIf(!h.ok)('pause and resume lose nothing', () => {
  let stack: TestStack;
  let writer: Writer | undefined;

  beforeAll(() => {
    if (!h.ok) return;
    stack = createNoLossStack(h.env);
  });

  afterAll(async () => {
    writer?.stop();
    if (stack) await removeNoLossStack(stack);
  });

  it(`${TOTAL} numbered records, ${PAUSES} pauses: every number arrives, offsets stand still while paused`, async () => {
    const deployed = await deployNoLoss(stack);
    expect(deployed.outcome, JSON.stringify(deployed.error)).toBe('completed');

    // the "datagen": 20 numbered lines every 40 ms (about 20 s), written while the pipeline is paused and resumed
    writer = startWriter(stack, TOTAL);

    const standStill: StandStill[] = [];
    for (let i = 0; i < PAUSES; i++) {
      await sleep(1_500);
      standStill.push(await pauseResumeCycle(stack, writer));
    }
    await writer.done;

    const pausedWhileWriting = expectStoodStill(standStill);

    // the source reads the rest of the file; then pausing drains the sink (its drain step waits
    // until the sink group committed every record) and the sink file must hold every number
    await waitForSourceToReadAll(stack);
    const final = await finalPause(stack);
    expect(final.outcome, JSON.stringify(final.error)).toBe('completed');
    const { lines, seen, missing, duplicates } = tallySink(stack, TOTAL);
    process.stderr.write(`[nothing-lost] ${lines} lines in the sink file, ${TOTAL - missing.length}/${TOTAL} numbers, ${duplicates} duplicated number(s), ${PAUSES} pauses (${pausedWhileWriting} while lines were being written)\n`);
    expect(missing.slice(0, 20)).toEqual([]);
    expect(seen.size).toBe(TOTAL);
  });
});
