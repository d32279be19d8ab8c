/**
 * sfpipe's real operations in the console: the action table bound by toKeymapActions, run
 * through runAction against the in-memory service fakes, driven by keys in the rendered app.
 */
import { describe, expect, it, vi } from 'vitest';
import { MemoryAuditLog } from '../audit/auditLog.js';
import { systemClock } from '../domain/clock.js';
import type { ConsoleMode } from '../keymap/actions.js';
import { connectorJson, fakeRunbookEnv, type FakeEnv } from '../runbooks/fakeEnv.js';
import { fakeConnector, fakeContainer, fakeSnowflakeTopic } from '../services/fakes.js';
import { DEMO_TOPICS, healthyState, makeStore, T0 } from '../ui/test-utils/fixtures.js';
import { renderApp } from '../ui/test-utils/render.js';
import { ACTIONS, toKeymapActions } from './index.js';
import type { ActionContext } from './types.js';

/**
 * The console's clock (frozen at T0 like the rendered app's): the store's record of an action and
 * this viewer's notice then carry the same instant, as they do on a fast machine. Timers are real.
 */
const CONSOLE_CLOCK = { ...systemClock, now: () => T0 };

const VIEWER: ConsoleMode = { readOnly: true, reason: 'read-only viewer session (your key is not in the operators file)' };

/** Fakes holding the same objects the healthy screen shows: connectors, containers (by id), Snowflake tasks. */
function stack(): FakeEnv {
  const env = fakeRunbookEnv({ connectors: [{ file: 'src.json', text: connectorJson('datagen-orders', 'org.apache.kafka.connect.file.FileStreamSourceConnector') }] });
  env.services.connect.connectors = [...DEMO_TOPICS.map((t) => fakeConnector(`datagen-${t}`)), fakeConnector('snowflake-sink', { type: 'sink' })];
  env.services.docker.containers = ['broker', 'connect', 'schema-registry'].map((s) => fakeContainer(`demo-${s}-1`, { id: `id-${s}` }));
  env.services.snowflake.topics = DEMO_TOPICS.map((t) => fakeSnowflakeTopic(t));
  return env;
}

async function console_(env: FakeEnv, mode: ConsoleMode = { readOnly: false }) {
  const store = makeStore(healthyState());
  const ctx: ActionContext = {
    config: env.config,
    services: env.services,
    clock: CONSOLE_CLOCK,
    who: 'local:tester',
    audit: new MemoryAuditLog(systemClock),
    store,
    runbookEnv: () => env,
    ...(mode.readOnly ? { readOnly: { reason: mode.reason! } } : {}),
  };
  const r = await renderApp({ pipelineStore: store, actions: toKeymapActions(ACTIONS, ctx), mode });
  const statusLine = () => r.lines().at(-1) ?? '';
  /** the whole notice (the status line is cut at the terminal's width) */
  const notice = () => r.ui.getState().notice?.text ?? '';
  /** Operations run on real promises (fakes, runbook polling): wait for the outcome, bounded. */
  const until = async (check: () => boolean, what: string) => {
    for (let i = 0; i < 500 && !check(); i++) await r.settle();
    if (!check()) throw new Error(`never saw ${what}; status line: ${statusLine()}`);
  };
  return { ...r, store, statusLine, notice, until };
}

describe('operation outcomes in the console', () => {
  it('a runbook that fails shows ✗ and its error in the status line and the event log, never ✓', async () => {
    const env = stack();
    env.services.connect.connectors = env.services.connect.connectors.map((c) => (c.name === 'datagen-orders' ? { ...c, state: 'PAUSED' } : c));
    env.services.connect.control.failWith('bad-response', 'HTTP 500: Request timed out');
    const c = await console_(env);
    await c.press('P');
    await c.until(() => !c.statusLine().includes('running…'), 'the resume to end');
    expect(c.statusLine()).toMatch(/✗ Resume the pipeline: resume failed at .*HTTP 500: Request timed out/);
    expect(c.statusLine()).not.toContain('✓');
    expect(c.store.getState().lastAction).toMatchObject({ action: 'Resume the pipeline', ok: false });
    const closing = c.lines().find((l) => l.includes('local:tester: resume failed'));
    expect(closing).toMatch(/✗ action: local:tester: resume failed at/);
  });
});

describe('single-object operations on the selected row', () => {
  it('connectors: select a row, z pauses that connector after y confirms it', async () => {
    const env = stack();
    const pause = vi.spyOn(env.services.connect, 'pause');
    const c = await console_(env);
    await c.press('3', 'j');
    const selected = c.ui.getState().selection.connectors.key!;
    expect(selected).toBeDefined();
    expect(c.statusLine()).toContain('z pause  u resume  R restart  F restart failed');
    await c.press('z');
    expect(c.frame()).toContain(`Confirm: Pause connector on ${selected}`);
    expect(pause).not.toHaveBeenCalled();
    await c.press('y');
    await c.until(() => c.statusLine().includes('✓'), 'the pause to end');
    expect(pause).toHaveBeenCalledTimes(1);
    expect(pause.mock.calls[0]![0]).toBe(selected);
    expect(env.services.connect.connectors.find((x) => x.name === selected)!.state).toBe('PAUSED');
    expect(c.statusLine()).toContain(`✓ Pause connector: paused connector ${selected}`);
  });

  it('connectors: u resumes and F restarts the failed tasks of the selected connector, without asking', async () => {
    const env = stack();
    const c = await console_(env);
    await c.press('3', 'j', 'k');
    const selected = c.ui.getState().selection.connectors.key!;
    await c.press('u');
    await c.until(() => c.statusLine().includes('✓'), 'the resume to end');
    expect(c.statusLine()).toContain(`resumed connector ${selected}`);
    await c.press('F');
    await c.until(() => c.statusLine().includes('restarted the failed tasks'), 'the restart to end');
    expect(env.services.connect.control.count('resume')).toBe(1);
    expect(env.services.connect.control.count('restart')).toBe(1);
  });

  it('containers: z pauses the selected container by id; s stops it after confirming', async () => {
    const env = stack();
    const pause = vi.spyOn(env.services.docker, 'pause');
    const c = await console_(env);
    await c.press('1', 'z', 'y');
    await c.until(() => c.statusLine().includes('✓'), 'the pause to end');
    const id = c.ui.getState().selection.containers.key ?? pause.mock.calls[0]![0];
    expect(pause.mock.calls.map((call) => call[0])).toEqual([id]);
    expect(id).toMatch(/^id-/);
    expect(env.services.docker.containers.find((x) => x.id === id)!.state).toBe('paused');
    await c.press('s');
    expect(c.frame()).toContain('Confirm: Stop container');
    await c.press('n');
    expect(env.services.docker.control.count('stop')).toBe(0);
  });

  it('snowflake: u resumes and e (after confirming) runs the task of the selected topic', async () => {
    const env = stack();
    const resume = vi.spyOn(env.services.snowflake, 'resumeTask');
    const execute = vi.spyOn(env.services.snowflake, 'executeTask');
    const c = await console_(env);
    await c.press('4', 'j');
    const topic = c.ui.getState().selection.snowflake.key!;
    await c.press('u');
    await c.until(() => c.statusLine().includes('✓'), 'the resume to end');
    expect(resume.mock.calls[0]![0]).toBe(`TASK_EXTRACT_AVRO_FROM_${topic.toUpperCase()}`);
    await c.press('e', 'y');
    await c.until(() => c.statusLine().includes('started a run'), 'the run to start');
    expect(execute.mock.calls[0]![0]).toBe(`TASK_EXTRACT_AVRO_FROM_${topic.toUpperCase()}`);
  });

  it('a pane key does nothing where its resource is not: the status line says where it works', async () => {
    const env = stack();
    const c = await console_(env);
    await c.press('2');
    expect(c.statusLine()).not.toContain('z pause');
    await c.press('z');
    expect(c.statusLine()).toMatch(/^▲ not available in the Topics pane/);
    expect(c.notice()).toBe('not available in the Topics pane — this key is Pause connector in Connectors, Suspend task in Snowflake, Pause container in Containers');
    expect(c.frame()).not.toContain('Confirm:');
    expect(env.services.connect.control.count('pause') + env.services.docker.control.count('pause') + env.services.snowflake.control.count('suspendTask')).toBe(0);
  });

  it('read-only viewer: the key is refused with the reason, nothing is asked or called; help lists it disabled', async () => {
    const env = stack();
    const c = await console_(env, VIEWER);
    await c.press('3', 'j');
    expect(c.statusLine()).toContain('z ⊘pause  u ⊘resume  R ⊘restart');
    await c.press('z');
    expect(c.frame()).not.toContain('Confirm:');
    expect(c.statusLine()).toMatch(/^▲ Pause connector is not available: read-only viewer/);
    expect(c.notice()).toBe(`Pause connector is not available: ${VIEWER.reason}`);
    await c.press('1', 's');
    expect(c.notice()).toBe(`Stop container is not available: ${VIEWER.reason}`);
    expect(env.services.connect.control.count('pause')).toBe(0);
    expect(env.services.docker.control.count('stop')).toBe(0);
    await c.press('?');
    expect(c.frame()).not.toContain('(no key)');
  });
});
