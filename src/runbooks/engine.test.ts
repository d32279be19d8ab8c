import { describe, expect, it } from 'vitest';
import { systemClock } from '../domain/clock.js';
import { SfpipeError } from '../domain/errors.js';
import { runRunbook } from './engine.js';
import type { Runbook, RunbookEvent, RunbookStep } from './types.js';

/** A step over a shared world: done when its key is set; apply sets it (or fails). */
function step(id: string, world: Set<string>, opts: { fail?: string; planFails?: boolean; onApply?: () => void; checkFails?: boolean } = {}): RunbookStep {
  return {
    id,
    title: `step ${id}`,
    check: async () => {
      if (opts.checkFails) throw new SfpipeError('unreachable', 'connect', `cannot reach for ${id}`);
      return { done: world.has(id), detail: world.has(id) ? `${id} is there` : `${id} missing` };
    },
    plan: async () => {
      if (opts.planFails) throw new SfpipeError('not-found', 'connect', 'no such connector file', { location: 'connectors/x.json' });
      return [{ kind: 'rest', text: `PUT /${id}` }];
    },
    apply: async (ctx) => {
      ctx.progress(`doing ${id}`);
      ctx.output(`output of ${id}`);
      opts.onApply?.();
      if (opts.fail) throw new SfpipeError('bad-response', 'connect', opts.fail, { location: `${id}.json` });
      world.add(id);
      return `${id} done`;
    },
  };
}

function book(steps: RunbookStep[], secrets: string[] = []): Runbook {
  return { id: 'test', title: 'Test runbook', steps, secrets };
}

async function run(rb: Runbook, opts: Partial<Parameters<typeof runRunbook>[1]> = {}) {
  const events: RunbookEvent[] = [];
  const result = await runRunbook(rb, { clock: systemClock, onEvent: (e) => events.push(e), ...opts });
  return { result, events };
}

describe('runRunbook', () => {
  it('runs every step in order, then a second run skips every one', async () => {
    const world = new Set<string>();
    const steps = ['a', 'b', 'c'].map((id) => step(id, world));
    const first = await run(book(steps));
    expect(first.result.outcome).toBe('completed');
    expect(first.result.steps.map((s) => s.status)).toEqual(['done', 'done', 'done']);
    expect(first.events.filter((e) => e.type === 'plan')).toHaveLength(3);
    expect(first.events.some((e) => e.type === 'output' && e.line === 'output of b')).toBe(true);
    const second = await run(book(steps));
    expect(second.result.steps.map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(second.result.steps[1]!.detail).toBe('b is there');
  });

  it('stops at the first failure with its error; the rest is not run, and a re-run resumes there', async () => {
    const world = new Set<string>();
    let fail = true;
    const failing = step('b', world);
    const flaky: RunbookStep = { ...failing, apply: (ctx) => (fail ? Promise.reject(new SfpipeError('bad-response', 'connect', 'HTTP 500: boom', { location: 'PUT /b' })) : failing.apply(ctx)) };
    const steps = [step('a', world), flaky, step('c', world)];
    const { result } = await run(book(steps));
    expect(result.outcome).toBe('failed');
    expect(result.stoppedAt).toBe('b');
    expect(result.error).toMatchObject({ source: 'connect', message: 'HTTP 500: boom', location: 'PUT /b' });
    expect(result.steps.map((s) => s.status)).toEqual(['done', 'failed', 'not-run']);
    expect(world.has('c')).toBe(false);
    fail = false;
    const again = await run(book(steps));
    expect(again.result.steps.map((s) => s.status)).toEqual(['skipped', 'done', 'done']);
  });

  it('plans everything first: a step whose input is bad stops the run before any change', async () => {
    const world = new Set<string>();
    const { result, events } = await run(book([step('a', world), step('b', world, { planFails: true })]));
    expect(result.outcome).toBe('failed');
    expect(result.stoppedAt).toBe('b');
    expect(result.steps.map((s) => s.status)).toEqual(['not-run', 'failed']);
    expect(result.error?.location).toBe('connectors/x.json');
    expect(world.size).toBe(0);
    expect(events.some((e) => e.type === 'step-start')).toBe(false);
  });

  it('a failing check fails the step without applying it', async () => {
    const world = new Set<string>();
    let applied = false;
    const { result } = await run(book([step('a', world, { checkFails: true, onApply: () => (applied = true) })]));
    expect(result.outcome).toBe('failed');
    expect(result.error?.kind).toBe('unreachable');
    expect(applied).toBe(false);
  });

  it('stop: finishes the current step, then stops and says what was done', async () => {
    const world = new Set<string>();
    const stop = new AbortController();
    const steps = [step('a', world, { onApply: () => stop.abort() }), step('b', world), step('c', world)];
    const { result } = await run(book(steps), { stop: stop.signal });
    expect(result.outcome).toBe('aborted');
    expect(result.stoppedAt).toBe('b');
    expect(result.steps.map((s) => s.status)).toEqual(['done', 'not-run', 'not-run']);
    expect([...world]).toEqual(['a']);
  });

  it('cancel: the current step sees its signal aborted and is reported interrupted', async () => {
    const world = new Set<string>();
    const cancel = new AbortController();
    const waiting: RunbookStep = {
      ...step('a', world),
      apply: (ctx) =>
        new Promise((_, reject) => {
          ctx.signal.addEventListener('abort', () => reject(new SfpipeError('timeout', 'compose', 'cancelled')));
          cancel.abort();
        }),
    };
    const { result } = await run(book([waiting, step('b', world)]), { cancel: cancel.signal });
    expect(result.outcome).toBe('aborted');
    expect(result.steps.map((s) => s.status)).toEqual(['interrupted', 'not-run']);
  });

  it('dry run: plans and checks, applies nothing, and reports which steps would run', async () => {
    const world = new Set<string>(['a']);
    let applied = 0;
    const steps = [step('a', world, { onApply: () => applied++ }), step('b', world, { onApply: () => applied++ }), step('c', world, { checkFails: true })];
    const { result } = await run(book(steps), { dryRun: true });
    expect(result.outcome).toBe('dry-run');
    expect(result.steps.map((s) => s.status)).toEqual(['would-skip', 'would-run', 'would-run']);
    expect(result.steps[2]!.detail).toContain('could not check');
    expect(applied).toBe(0);
    expect([...world]).toEqual(['a']);
  });

  it('dry run: a step that cannot be planned is reported failed (a real run would refuse), the others still checked', async () => {
    const world = new Set<string>();
    const { result } = await run(book([step('a', world), step('b', world, { planFails: true })]), { dryRun: true });
    expect(result.outcome).toBe('dry-run');
    expect(result.steps.map((s) => s.status)).toEqual(['would-run', 'failed']);
    expect(result.steps[1]!.error?.location).toBe('connectors/x.json');
  });

  it('a refused confirmation aborts before any step, nothing changed', async () => {
    const world = new Set<string>();
    const approve = () => Promise.reject(new SfpipeError('invalid-input', 'cli', 'confirmation "nope" is not the database name KAFKA_DB'));
    const { result } = await run(book([step('a', world)]), { approve });
    expect(result.outcome).toBe('aborted');
    expect(result.error?.message).toContain('not the database name');
    expect(result.steps[0]!.status).toBe('not-run');
    expect(world.size).toBe(0);
  });

  it('scrubs secrets from every event, including ones added while running', async () => {
    const world = new Set<string>();
    const secrets = ['hunter2-passphrase'];
    const rb = book([], secrets);
    rb.steps = [
      {
        ...step('a', world),
        apply: async (ctx) => {
          secrets.push('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
          ctx.output('PUT config {"snowflake.private.key":"MIIEvQIBADANBgkqhkiG9w0BAQEFAASC","pass":"hunter2-passphrase"}');
          throw new SfpipeError('bad-response', 'connect', 'rejected hunter2-passphrase');
        },
      },
    ];
    const { events } = await run(rb);
    const text = JSON.stringify(events);
    expect(text).not.toContain('hunter2-passphrase');
    expect(text).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expect(text).toContain('rejected ***');
  });
});
