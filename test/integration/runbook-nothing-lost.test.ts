/**
 * Nothing lost across pause and resume: a FileStreamSource (the "datagen") streams 10,000
 * numbered lines that the test writes over time; a FileStreamSink writes the topic to a file.
 * While the lines are being written, the pipeline is paused and resumed several times through
 * the pause and resume runbooks. The topic's end offsets stand still while paused, and in the
 * end the sink file holds every number (duplicates, if any, are reported).
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServices } from '../../harness/index.js';
import { systemClock } from '../../src/domain/clock.js';
import { cleanupRunbook } from '../../src/runbooks/cleanup.js';
import { runRunbook } from '../../src/runbooks/engine.js';
import { pauseRunbook } from '../../src/runbooks/pause.js';
import { resumeRunbook } from '../../src/runbooks/resume.js';
import { deployConnectorsStep } from '../../src/runbooks/steps/connectors.js';
import { keyPairStep } from '../../src/runbooks/steps/keys.js';
import { createTopicsStep } from '../../src/runbooks/steps/topics.js';
import type { Runbook } from '../../src/runbooks/types.js';
import { isUnconfigured } from '../../src/services/types.js';
import { createTestStack, removeStackDir, type TestStack } from '../fixtures/stack/testStack.js';

const h = await requireServices(['kafka', 'connect']);
const TOTAL = 10_000;
const PAUSES = 3;

describe.skipIf(!h.ok)('pause and resume lose nothing', () => {
  let stack: TestStack;

  beforeAll(() => {
    if (!h.ok) return;
    // no compose and no Snowflake here: the FileStream connectors on the harness worker are the pipeline
    stack = createTestStack(h.env, randomUUID().slice(0, 8));
    writeFileSync(stack.sourceFile, '');
  });

  afterAll(async () => {
    if (!stack) return;
    const onlyConnectors: Runbook = { ...cleanupRunbook(stack.env, { volumes: false, purgeKeys: false }), secrets: [] };
    onlyConnectors.steps = onlyConnectors.steps.filter((s) => s.id === 'delete-connectors');
    await runRunbook(onlyConnectors, { clock: systemClock }).catch(() => undefined);
    await stack.close();
    removeStackDir(stack);
  });

  const endOffset = async (): Promise<number> => {
    if (isUnconfigured(stack.services.kafka)) throw new Error(stack.services.kafka.reason);
    const snap = await stack.services.kafka.snapshot({ timeoutMs: 15_000 });
    return snap.topics.find((t) => t.name === stack.topic)?.partitions.reduce((n, p) => n + p.end, 0) ?? 0;
  };

  it(`${TOTAL} numbered records, ${PAUSES} pauses: every number arrives, offsets stand still while paused`, async () => {
    // deploy through the setup runbook's own steps (its key, topic and connector steps; no Docker or Snowflake here)
    const deploy: Runbook = { id: 'deploy', title: 'deploy', steps: [keyPairStep(stack.env), createTopicsStep(stack.env), deployConnectorsStep(stack.env, { secrets: [] })], secrets: [] };
    const deployed = await runRunbook(deploy, { clock: systemClock });
    expect(deployed.outcome, JSON.stringify(deployed.error)).toBe('completed');

    // the "datagen": 20 numbered lines every 40 ms (about 20 s), written while the pipeline is paused and resumed
    let written = 0;
    const writer = (async () => {
      while (written < TOTAL) {
        const n = Math.min(20, TOTAL - written);
        appendFileSync(stack.sourceFile, Array.from({ length: n }, (_, i) => `${written + i}\n`).join(''));
        written += n;
        await sleep(40);
      }
    })();

    const standStill: { before: number; after: number; writtenMeanwhile: number }[] = [];
    for (let i = 0; i < PAUSES; i++) {
      await sleep(1_500);
      const paused = await runRunbook(pauseRunbook(stack.env, { suspendTasks: false }), { clock: systemClock });
      expect(paused.outcome, JSON.stringify(paused.error)).toBe('completed');
      const before = await endOffset();
      const writtenBefore = written;
      await sleep(2_000);
      standStill.push({ before, after: await endOffset(), writtenMeanwhile: written - writtenBefore });
      const resumed = await runRunbook(resumeRunbook(stack.env), { clock: systemClock });
      expect(resumed.outcome, JSON.stringify(resumed.error)).toBe('completed');
    }
    await writer;

    for (const s of standStill) expect(s.after, `offsets grew while paused (${s.writtenMeanwhile} lines written meanwhile)`).toBe(s.before);
    // while paused, the file kept growing, so standing still was the pause's doing
    const pausedWhileWriting = standStill.filter((s) => s.writtenMeanwhile > 0).length;
    expect(pausedWhileWriting).toBeGreaterThan(0);

    // the source reads the rest of the file; then pausing drains the sink (its drain step waits
    // until the sink group committed every record) and the sink file must hold every number
    const deadline = Date.now() + 60_000;
    while ((await endOffset()) < TOTAL && Date.now() < deadline) await sleep(250);
    const final = await runRunbook(pauseRunbook(stack.env, { suspendTasks: false }), { clock: systemClock });
    expect(final.outcome, JSON.stringify(final.error)).toBe('completed');
    const lines = existsSync(stack.sinkFile) ? readFileSync(stack.sinkFile, 'utf8').split('\n').filter(Boolean) : [];
    const seen = new Map<number, number>();
    for (const l of lines) seen.set(Number(l), (seen.get(Number(l)) ?? 0) + 1);
    const missing = Array.from({ length: TOTAL }, (_, n) => n).filter((n) => !seen.has(n));
    const duplicates = [...seen.entries()].filter(([, c]) => c > 1).length;
    process.stderr.write(`[nothing-lost] ${lines.length} lines in the sink file, ${TOTAL - missing.length}/${TOTAL} numbers, ${duplicates} duplicated number(s), ${PAUSES} pauses (${pausedWhileWriting} while lines were being written)\n`);
    expect(missing.slice(0, 20)).toEqual([]);
    expect(seen.size).toBe(TOTAL);
  });
});
