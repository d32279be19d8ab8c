import { describe, expect, it } from 'vitest';
import { fakeConnector, fakeSnowflakeTopic } from '../services/fakes.js';
import { systemClock } from '../domain/clock.js';
import { runRunbook } from './engine.js';
import { connectorJson, fakeRunbookEnv, type FakeEnv } from './fakeEnv.js';
import { pauseRunbook } from './pause.js';
import { resumeRunbook } from './resume.js';
import type { Runbook } from './types.js';

const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';

function pipeline(): FakeEnv {
  const env = fakeRunbookEnv({
    connectors: [
      { file: 'src.json', text: connectorJson('src', SOURCE, { topic: 't', file: '/x' }) },
      { file: 'sink.json', text: connectorJson('sink', SINK, { topics: 't', file: '/y' }) },
    ],
  });
  env.services.connect.connectors = [fakeConnector('src', { type: 'source' }), fakeConnector('sink', { type: 'sink', className: SINK }), fakeConnector('someone-else', { type: 'source' })];
  env.services.kafka.addTopic('t', 2);
  env.services.kafka.produce('t', 100);
  env.services.kafka.commit('t', 60);
  return env;
}

const run = (rb: Runbook) => runRunbook(rb, { clock: systemClock });
const stateOf = (env: FakeEnv, name: string) => env.services.connect.connectors.find((c) => c.name === name)?.state;

describe('pause runbook', () => {
  it('pauses only the pipeline\'s sources and waits until the sink committed everything; a re-run skips both steps', async () => {
    const env = pipeline();
    // the sink catches up while the runbook waits
    setTimeout(() => env.services.kafka.commitAll('t'), 50);
    const result = await run(pauseRunbook(env, { suspendTasks: false }));
    expect(result.outcome).toBe('completed');
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([['pause-sources', 'done'], ['drain-sink', 'done']]);
    expect(result.steps[1]!.detail).toBe('connect-sink committed all 100 records');
    expect(stateOf(env, 'src')).toBe('PAUSED');
    expect(stateOf(env, 'sink')).toBe('RUNNING');
    expect(stateOf(env, 'someone-else')).toBe('RUNNING');
    const again = await run(pauseRunbook(env, { suspendTasks: false }));
    expect(again.steps.map((s) => s.status)).toEqual(['skipped', 'skipped']);
  });

  it('gives up after the drain timeout with the lag it saw; the sources stay paused', async () => {
    const env = pipeline();
    env.inputs.drainTimeoutMs = 100;
    const result = await run(pauseRunbook(env, { suspendTasks: false }));
    expect(result.outcome).toBe('failed');
    expect(result.stoppedAt).toBe('drain-sink');
    expect(result.error?.kind).toBe('timeout');
    expect(result.error?.message).toContain('lag 40 (t 40)');
    expect(stateOf(env, 'src')).toBe('PAUSED');
  });

  it('stops at once when the sink connector has failed, with Connect\'s trace', async () => {
    const env = pipeline();
    env.services.connect.connectors = env.services.connect.connectors.map((c) =>
      c.name === 'sink' ? { ...c, tasks: [{ id: 0, state: 'FAILED', workerId: 'w', trace: 'org.apache.kafka.connect.errors.ConnectException: disk full\n\tat …' }] } : c,
    );
    const result = await run(pauseRunbook(env, { suspendTasks: false }));
    expect(result.error?.message).toBe('connector sink FAILED: org.apache.kafka.connect.errors.ConnectException: disk full');
  });

  it('with --suspend-tasks: waits for empty streams, then suspends the pipeline\'s tasks', async () => {
    const env = pipeline();
    env.services.kafka.commitAll('t');
    env.services.snowflake.topics = [fakeSnowflakeTopic('orders'), fakeSnowflakeTopic('users')];
    env.services.snowflake.streamBacklog.set('orders', 5);
    env.inputs.tasks = ['TASK_EXTRACT_AVRO_FROM_ORDERS', 'TASK_EXTRACT_AVRO_FROM_USERS'];
    setTimeout(() => env.services.snowflake.streamBacklog.set('orders', 0), 30);
    const result = await run(pauseRunbook(env, { suspendTasks: true }));
    expect(result.steps.map((s) => s.id)).toEqual(['pause-sources', 'drain-sink', 'drain-streams', 'suspend-tasks']);
    expect(result.outcome).toBe('completed');
    expect(env.services.snowflake.topics.map((t) => t.task?.state)).toEqual(['suspended', 'suspended']);
  });
});

describe('resume runbook', () => {
  it('resumes suspended tasks and paused connectors; a re-run skips both', async () => {
    const env = pipeline();
    env.services.connect.connectors = env.services.connect.connectors.map((c) => (c.name === 'src' ? { ...c, state: 'PAUSED', tasks: c.tasks.map((t) => ({ ...t, state: 'PAUSED' })) } : c));
    env.services.snowflake.topics = [fakeSnowflakeTopic('orders', { task: { ...fakeSnowflakeTopic('orders').task!, state: 'suspended' } })];
    env.inputs.tasks = ['TASK_EXTRACT_AVRO_FROM_ORDERS'];
    const result = await run(resumeRunbook(env));
    expect(result.outcome).toBe('completed');
    expect(result.steps.map((s) => s.status)).toEqual(['done', 'done']);
    expect(stateOf(env, 'src')).toBe('RUNNING');
    expect(env.services.snowflake.topics[0]!.task?.state).toBe('started');
    expect((await run(resumeRunbook(env))).steps.map((s) => s.status)).toEqual(['skipped', 'skipped']);
  });

  it('says clearly when a pipeline connector is not deployed', async () => {
    const env = pipeline();
    env.services.connect.connectors = env.services.connect.connectors.filter((c) => c.name !== 'sink');
    const result = await run(resumeRunbook(env));
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'not-found', message: 'not deployed: sink', hint: 'run `sfpipe setup` first' });
  });
});
