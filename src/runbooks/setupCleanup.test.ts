import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Secret } from '../config/secret.js';
import { privateKeyBody } from '../connectors/render.js';
import { systemClock } from '../domain/clock.js';
import { cleanupRunbook } from './cleanup.js';
import { runRunbook } from './engine.js';
import { connectorJson, fakeRunbookEnv, type FakeEnv } from './fakeEnv.js';
import { setupRunbook } from './setup.js';
import type { RunbookEvent } from './types.js';

const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
const PASSPHRASE = 'unit-test passphrase 7d1f';

function env(): FakeEnv {
  const e = fakeRunbookEnv({
    passphrase: new Secret(PASSPHRASE),
    connectors: [{ file: 'src.json', text: connectorJson('src', SOURCE, { topic: 't', file: '/x', 'snowflake.private.key': '${snowflake.private.key}', 'snowflake.private.key.passphrase': '${snowflake.private.key.passphrase}' }) }],
    inputs: { requiredPlugins: [SOURCE] },
  });
  return e;
}

async function setup(e: FakeEnv, dryRun = false) {
  const events: RunbookEvent[] = [];
  const result = await runRunbook(setupRunbook(e), {
    clock: systemClock,
    dryRun,
    onEvent: (ev) => {
      events.push(ev);
      // the "datagen" starts producing once its connector is deployed
      if (ev.type === 'step-done' && ev.step === 'connectors') e.services.kafka.setRate('t', 2_000);
    },
  });
  return { result, events };
}

describe('setup runbook over fakes', () => {
  it('a dry run changes nothing and shows no secret', async () => {
    const e = env();
    const { result, events } = await setup(e, true);
    expect(result.outcome).toBe('dry-run');
    expect(existsSync(e.inputs.keysDir)).toBe(false);
    expect(e.compose.calls).toEqual([]);
    expect(e.services.kafka.control.count('createTopics') + e.services.connect.control.count('deploy')).toBe(0);
    const text = JSON.stringify(events);
    expect(text).not.toContain(PASSPHRASE);
    expect(text).toContain('"snowflake.private.key\\":\\"***\\"');
  });

  it('runs every step, then a second run skips every step; no secret in any event', async () => {
    const e = env();
    const first = await setup(e);
    expect(first.result.outcome, JSON.stringify(first.result.error)).toBe('completed');
    expect(first.result.steps.map((s) => [s.id, s.status])).toEqual([
      ['keys', 'done'],
      ['compose-up', 'done'],
      ['topics', 'done'],
      ['plugins', 'skipped'],
      ['connectors', 'done'],
      // records already flow within the check's window: nothing left to wait for
      ['verify-flow', 'skipped'],
    ]);
    expect(first.result.steps.at(-1)!.detail).toMatch(/^records flow: t \+\d+ produced$/);
    const pem = readFileSync(join(e.inputs.keysDir, 'rsa_key.p8'), 'utf8');
    const deployed = e.services.connect.connectors[0]!.config;
    expect(deployed['snowflake.private.key']).toBe(privateKeyBody(pem));
    expect(deployed['snowflake.private.key.passphrase']).toBe(PASSPHRASE);
    const text = JSON.stringify(first.events);
    for (const secret of [PASSPHRASE, privateKeyBody(pem), pem.split('\n')[1]!]) expect(text).not.toContain(secret);

    const second = await setup(e);
    expect(second.result.steps.map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(e.services.connect.control.count('deploy')).toBe(1);
  });

  it('a connector whose config changed is deployed again; a missing plugin stops at the plugin step', async () => {
    const e = env();
    await setup(e);
    e.services.connect.connectors = e.services.connect.connectors.map((c) => ({ ...c, config: { ...c.config, topic: 'other' } }));
    const again = await setup(e);
    expect(again.result.steps.find((s) => s.id === 'connectors')!.status).toBe('done');
    e.inputs.requiredPlugins = ['com.example.MissingConnector'];
    e.services.connect.pluginList = [];
    const failed = await runRunbook(setupRunbook(e), { clock: systemClock, cancel: AbortSignal.timeout(50) });
    expect(failed.stoppedAt).toBe('plugins');
  });
});

describe('cleanup runbook over fakes', () => {
  it('deletes the connectors, takes the stack down, purges keys on request; then everything is skipped', async () => {
    const e = env();
    await setup(e);
    const result = await runRunbook(cleanupRunbook(e, { volumes: true, purgeKeys: true }), { clock: systemClock, approve: async () => undefined });
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([['delete-connectors', 'done'], ['compose-down', 'done'], ['purge-keys', 'done']]);
    expect(e.services.connect.connectors).toEqual([]);
    expect(await e.compose.containers()).toEqual([]);
    expect(existsSync(join(e.inputs.keysDir, 'rsa_key.p8'))).toBe(false);
    expect(existsSync(join(e.inputs.keysDir, 'README.md'))).toBe(true);
    const again = await runRunbook(cleanupRunbook(e, { volumes: true, purgeKeys: true }), { clock: systemClock });
    expect(again.steps.map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped']);
  });
});
