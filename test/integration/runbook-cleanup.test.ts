/**
 * The cleanup runbook through the CLI on the test stack: without a terminal and without
 * --confirm it refuses, a wrong typed name aborts — both with nothing changed; the right name
 * leaves no connector, no container of the project and none of the Snowflake objects setup
 * created that the stand-in can represent (it cannot drop a database: that one stays).
 */
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServices } from '../../harness/index.js';
import { systemClock } from '../../src/domain/clock.js';
import { runRunbook } from '../../src/runbooks/engine.js';
import { setupRunbook } from '../../src/runbooks/setup.js';
import { connectSnowflake, disconnectSnowflake, sql } from '../support/snowflake.js';
import { runCli } from '../fixtures/stack/cli.js';
import { createTestStack, removeStackDir, type TestStack } from '../fixtures/stack/testStack.js';

const h = await requireServices(['docker', 'kafka', 'connect', 'snowflake']);

describe.skipIf(!h.ok)('cleanup runbook on the test stack', () => {
  let stack: TestStack;

  const containers = () =>
    execFileSync('docker', ['ps', '-a', '-q', '--filter', `label=com.docker.compose.project=${stack.project}`], { env: { ...process.env, DOCKER_HOST: h.ok ? h.env.DOCKER_HOST : '' }, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  const connectors = async () => ((await (await fetch(`${stack.config.connect.url}/connectors`, { signal: AbortSignal.timeout(10_000) })).json()) as string[]).filter((n) => n.startsWith(`rbtest-${stack.id}`));
  const snowflakeObjects = async () => {
    const conn = await connectSnowflake(h.ok ? h.env : {});
    try {
      const inSchema = async (kind: string) => (await sql<{ name: string }>(conn, `SHOW ${kind} IN SCHEMA "${stack.database}"."PUBLIC"`)).map((r) => `${kind} ${r.name}`);
      const schemas = (await sql<{ name: string }>(conn, `SHOW SCHEMAS IN DATABASE "${stack.database}"`)).map((r) => `SCHEMA ${r.name}`).filter((s) => s !== 'SCHEMA information_schema');
      return [...schemas, ...(await inSchema('TABLES')), ...(await inSchema('VIEWS'))].sort();
    } finally {
      await disconnectSnowflake(conn);
    }
  };
  const world = async () => ({ containers: containers().length, connectors: (await connectors()).sort(), snowflake: await snowflakeObjects(), keys: existsSync(`${stack.keysDir}/rsa_key.p8`) });

  beforeAll(async () => {
    if (!h.ok) return;
    stack = createTestStack(h.env, randomUUID().slice(0, 8));
    const result = await runRunbook(setupRunbook(stack.env), { clock: systemClock });
    if (result.outcome !== 'completed') throw new Error(`setup failed: ${JSON.stringify(result.error)}`);
  });

  afterAll(async () => {
    if (!stack) return;
    await stack.close();
    removeStackDir(stack);
  });

  it('setup left something to clean', async () => {
    const w = await world();
    expect(w.containers).toBe(2);
    expect(w.connectors).toHaveLength(2);
    expect(w.snowflake).toEqual(expect.arrayContaining(['SCHEMA PUBLIC', 'TABLES ORDERS', 'TABLES ORDERS_EXTRACTED', 'VIEWS ORDERS_VW']));
    expect(w.keys).toBe(true);
  });

  it('no terminal and no --confirm: refused after showing the plan, nothing changed (--yes does not replace typing)', async () => {
    const before = await world();
    const run = await runCli(stack, 'cleanup', ['--yes', '--volumes', '--purge-keys']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('plan:');
    expect(run.stdout).toContain(`confirm by typing the database name (${stack.database})`);
    expect(await world()).toEqual(before);
  });

  it('a wrong typed name aborts with nothing changed', async () => {
    const before = await world();
    const typed = await runCli(stack, 'cleanup', ['--yes', '--volumes'], { answers: ['KAFKA_DB'] });
    expect(typed.stderr).toContain(`Type the database name (${stack.database}) to confirm: `);
    expect(typed.stdout).toContain(`confirmation "KAFKA_DB" is not the database name ${stack.database}: nothing was changed`);
    const flag = await runCli(stack, 'cleanup', ['--yes', '--json', '--confirm', `${stack.database}X`]);
    for (const run of [typed, flag]) expect(run.code).toBe(2);
    const end = flag.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; result?: { outcome: string; steps: { status: string }[] } }).at(-1)!;
    expect(end.result?.outcome).toBe('aborted');
    expect(end.result?.steps.every((s) => s.status === 'not-run')).toBe(true);
    expect(await world()).toEqual(before);
    const audit = readFileSync(`${stack.dir}/audit.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { what: string; outcome: string });
    expect(audit.filter((r) => r.what === 'cleanup').map((r) => r.outcome)).toEqual(['started', 'aborted', 'started', 'aborted', 'started', 'aborted']);
  });

  it('the database name typed right: no connector, no container, none of its Snowflake objects; a re-run skips every step', async () => {
    const run = await runCli(stack, 'cleanup', ['--volumes', '--purge-keys', '--confirm', stack.database]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(await world()).toEqual({ containers: 0, connectors: [], snowflake: [], keys: false });
    const again = await runCli(stack, 'cleanup', ['--volumes', '--purge-keys', '--confirm', stack.database, '--json']);
    const end = JSON.parse(again.stdout.trim().split('\n').at(-1)!) as { result: { outcome: string; steps: { status: string }[] } };
    expect(end.result.outcome).toBe('completed');
    expect(end.result.steps.map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
  });
});
