import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../audit/auditLog.js';
import { systemClock } from '../domain/clock.js';
import { SfpipeError } from '../domain/errors.js';
import { fakeConnector } from '../services/fakes.js';
import { unconfigured } from '../services/types.js';
import { connectorJson, fakeRunbookEnv, type FakeEnv } from '../runbooks/fakeEnv.js';
import { createPipelineStore } from '../store/pipelineStore.js';
import { ACTIONS, findAction, runAction, toKeymapActions } from './index.js';
import type { ActionContext } from './types.js';

function context(env: FakeEnv, extra: Partial<ActionContext> = {}): ActionContext & { audit: MemoryAuditLog } {
  return {
    config: env.config,
    services: env.services,
    clock: systemClock,
    who: 'local:tester',
    audit: new MemoryAuditLog(systemClock),
    runbookEnv: () => env,
    ...extra,
  } as ActionContext & { audit: MemoryAuditLog };
}

function withConnector(): FakeEnv {
  const env = fakeRunbookEnv({ connectors: [{ file: 'src.json', text: connectorJson('src', 'org.apache.kafka.connect.file.FileStreamSourceConnector') }] });
  env.services.connect.connectors = [fakeConnector('src')];
  return env;
}

describe('runAction', () => {
  it('runs a single-object action, audits start and outcome, records it in the store', async () => {
    const env = withConnector();
    const store = createPipelineStore();
    const ctx = context(env, { store });
    const outcome = await runAction(findAction('connector.pause'), ctx, { target: 'src' });
    expect(outcome).toMatchObject({ ok: true, message: 'paused connector src' });
    expect(env.services.connect.connectors[0]!.state).toBe('PAUSED');
    expect(ctx.audit.records.map((r) => [r.who, r.what, r.target, r.outcome])).toEqual([
      ['local:tester', 'connector.pause', 'src', 'started'],
      ['local:tester', 'connector.pause', 'src', 'ok'],
    ]);
    expect(store.getState().lastAction).toMatchObject({ action: 'Pause connector', ok: true, message: 'paused connector src' });
  });

  it('read-only: refused with the reason, audited as refused, nothing called', async () => {
    const env = withConnector();
    const ctx = context(env, { readOnly: { reason: 'viewer session: your key is not an operator' } });
    for (const action of ACTIONS) {
      const err = await runAction(action, ctx, { target: 'src' }).catch((e: unknown) => e);
      expect(err, action.id).toBeInstanceOf(SfpipeError);
      expect((err as SfpipeError).message).toContain('viewer session: your key is not an operator');
    }
    expect(env.services.connect.control.count()).toBe(0);
    expect(ctx.audit.records.every((r) => r.outcome === 'refused')).toBe(true);
    expect(ctx.audit.records).toHaveLength(ACTIONS.length);
  });

  it('an action whose service is not configured is refused with that reason', async () => {
    const env = withConnector();
    const ctx = context(env, { services: { ...env.services, docker: unconfigured('no Docker adapter') } });
    await expect(runAction(findAction('container.stop'), ctx, { target: 'c1' })).rejects.toThrow('docker: no Docker adapter');
  });

  it('a failing call is audited as failed with the error, and rethrown', async () => {
    const env = withConnector();
    env.services.connect.control.failWith('bad-response', 'HTTP 500: Request timed out');
    const ctx = context(env);
    await expect(runAction(findAction('connector.restart'), ctx, { target: 'src' })).rejects.toThrow('HTTP 500: Request timed out');
    expect(ctx.audit.records.at(-1)).toMatchObject({ outcome: 'failed', detail: 'connect: HTTP 500: Request timed out' });
  });

  it('a dry run says what it would do and changes nothing (no start record either)', async () => {
    const env = withConnector();
    const ctx = context(env);
    const outcome = await runAction(findAction('connector.pause'), ctx, { target: 'src', dryRun: true });
    expect(outcome.plan).toEqual([{ kind: 'rest', text: 'PUT http://127.0.0.1:8083/connectors/src/pause' }]);
    expect(env.services.connect.control.count('pause')).toBe(0);
    expect(ctx.audit.records.map((r) => r.outcome)).toEqual(['dry-run']);
  });

  it('cleanup: a wrong typed database name aborts before any step; the right one is required even when approved', async () => {
    const env = withConnector();
    const admin = { name: 'admin', chosenBy: 'flag', origins: [], account: 'acct', user: 'ADMIN' } as unknown as NonNullable<FakeEnv['config']['snowflake']['admin']>;
    const ctx = context(env, { config: { ...env.config, snowflake: { ...env.config.snowflake, admin } } });
    const wrong = await runAction(findAction('cleanup'), ctx, { confirmation: 'KAFKA_DBX', approve: async () => undefined });
    expect(wrong.ok).toBe(false);
    expect(wrong.result?.outcome).toBe('aborted');
    expect(wrong.message).toContain('is not the database name KAFKA_DB');
    expect(wrong.result?.steps.every((s) => s.status === 'not-run')).toBe(true);
    expect(env.services.connect.control.count('delete')).toBe(0);
    const missing = await runAction(findAction('cleanup'), ctx, {});
    expect(missing.message).toContain('confirm by typing the database name (KAFKA_DB)');
    expect(ctx.audit.records.map((r) => r.outcome)).toEqual(['started', 'aborted', 'started', 'aborted']);
  });
});

describe('keymap actions', () => {
  it('one per action, on its pane, unavailable with a reason without a selection, typed confirmation for cleanup', () => {
    const env = withConnector();
    const keyActions = toKeymapActions(ACTIONS, context(env));
    const pause = keyActions.find((a) => a.id === 'connector.pause')!;
    expect(pause.appliesTo).toBe('connectors');
    expect(pause.unavailable?.({ pane: 'connectors', rowKey: undefined })).toBe('select a connector');
    expect(pause.unavailable?.({ pane: 'connectors', rowKey: 'src' })).toBeUndefined();
    expect(keyActions.find((a) => a.id === 'cleanup')).toMatchObject({ appliesTo: 'global', dangerous: true, confirmText: 'KAFKA_DB' });
    expect(keyActions.find((a) => a.id === 'setup')!.unavailable?.({ pane: 'topics', rowKey: undefined })).toContain('no admin Snowflake connection');
  });

  it('runs the action for the selected row (a Snowflake row is a topic: its task is acted on)', async () => {
    const env = withConnector();
    env.services.snowflake.topics = [{ ...(await import('../services/fakes.js')).fakeSnowflakeTopic('orders') }];
    const keyActions = toKeymapActions(ACTIONS, context(env));
    expect(await keyActions.find((a) => a.id === 'task.suspend')!.run({ pane: 'snowflake', rowKey: 'orders' })).toEqual({ ok: true, message: 'suspended task TASK_EXTRACT_AVRO_FROM_ORDERS' });
    expect(env.services.snowflake.topics[0]!.task?.state).toBe('suspended');
  });
});
