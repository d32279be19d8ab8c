/**
 * The setup runbook on the test stack (real Docker with busybox services, real Kafka and
 * Connect with FileStream connectors, the Snowflake stand-in with the scripts it can run):
 * a dry run changes nothing and prints no secret; a run stopped after each step resumes at the
 * next one until it completes; a second run skips every step; bad input (a missing connector
 * file, an invalid script, a Connect worker answering 500, Docker not running) stops at that
 * step with a clear message, and a later run finishes the job.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServices } from '../../harness/index.js';
import { privateKeyBody } from '../../src/connectors/render.js';
import { systemClock } from '../../src/domain/clock.js';
import { cleanupRunbook } from '../../src/runbooks/cleanup.js';
import { runRunbook } from '../../src/runbooks/engine.js';
import { setupRunbook } from '../../src/runbooks/setup.js';
import type { RunbookEvent, RunbookResult } from '../../src/runbooks/types.js';
import { isUnconfigured } from '../../src/services/types.js';
import { connectSnowflake, disconnectSnowflake, sql } from '../support/snowflake.js';
import { runCli } from '../fixtures/stack/cli.js';
import { createTestStack, fixture, removeStackDir, stackConnectors, STANDIN_SETUP_SCRIPTS, type TestStack } from '../fixtures/stack/testStack.js';
import { closedPort } from '../support/faultServers.js';

const h = await requireServices(['docker', 'kafka', 'connect', 'snowflake']);
const STEPS = ['keys', 'compose-up', 'topics', 'plugins', 'sql-01-standin-setup', 'sql-02-views', 'sql-03-standin-extracted-tables', 'connectors', 'verify-flow'];

async function setup(stack: TestStack, opts: { stopAfter?: string; dryRun?: boolean } = {}): Promise<{ result: RunbookResult; events: RunbookEvent[] }> {
  const stop = new AbortController();
  const events: RunbookEvent[] = [];
  const result = await runRunbook(setupRunbook(stack.env), {
    clock: systemClock,
    dryRun: opts.dryRun === true,
    stop: stop.signal,
    onEvent: (e) => {
      events.push(e);
      if ((e.type === 'step-done' || e.type === 'step-skipped') && e.step === opts.stopAfter) stop.abort();
    },
  });
  return { result, events };
}

const statuses = (r: RunbookResult) => r.steps.map((s) => s.status);

function projectContainers(stack: TestStack): string[] {
  const out = execFileSync('docker', ['ps', '-a', '-q', '--filter', `label=com.docker.compose.project=${stack.project}`], { env: { ...process.env, DOCKER_HOST: h.ok ? h.env.DOCKER_HOST : '' }, encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

async function connectorNames(stack: TestStack): Promise<string[]> {
  const res = await fetch(`${stack.config.connect.url}/connectors`, { signal: AbortSignal.timeout(10_000) });
  return ((await res.json()) as string[]).filter((n) => n.startsWith(`rbtest-${stack.id}`)).sort();
}

async function topicExists(stack: TestStack): Promise<boolean> {
  if (isUnconfigured(stack.services.kafka)) throw new Error('kafka is not configured');
  const snap = await stack.services.kafka.snapshot({ timeoutMs: 15_000 });
  return snap.topics.some((t) => t.name === stack.topic);
}

describe.skipIf(!h.ok)('setup runbook on the test stack', () => {
  const id = randomUUID().slice(0, 8);
  let stack: TestStack;

  beforeAll(() => {
    if (!h.ok) return;
    stack = createTestStack(h.env, id);
  });

  afterAll(async () => {
    if (!stack) return;
    // leave nothing behind: the cleanup runbook, confirmed
    await runRunbook(cleanupRunbook(stack.env, { volumes: true, purgeKeys: true }), { clock: systemClock }).catch(() => undefined);
    await stack.close();
    removeStackDir(stack);
  });

  it('a dry run on a clean slate plans every step and changes nothing', async () => {
    const { result, events } = await setup(stack, { dryRun: true });
    expect(result.outcome).toBe('dry-run');
    expect(result.steps.map((s) => s.id)).toEqual(STEPS);
    // the worker has the FileStream plugins installed already; nothing else is there yet
    expect(statuses(result)).toEqual(STEPS.map((s) => (s === 'plugins' ? 'would-skip' : 'would-run')));
    const plans = events.filter((e) => e.type === 'plan').flatMap((e) => e.ops);
    expect(plans.some((o) => o.kind === 'docker' && o.text.includes(`-p ${stack.project} up -d`))).toBe(true);
    expect(plans.some((o) => o.kind === 'sql' && o.location?.endsWith('02-views.sql:16'))).toBe(true);
    expect(existsSync(stack.keysDir)).toBe(false);
    expect(projectContainers(stack)).toEqual([]);
    expect(await topicExists(stack)).toBe(false);
    expect(await connectorNames(stack)).toEqual([]);
  });

  it('bad input: a missing connector file stops at the connectors step before anything runs', async () => {
    const broken = stack.variant({ inputs: { connectors: () => stackConnectors(stack, [fixture('connectors', 'no-such-connector.json')]) } });
    const { result } = await setup(broken);
    await broken.close();
    expect(result.outcome).toBe('failed');
    expect(result.stoppedAt).toBe('connectors');
    expect(result.error).toMatchObject({ kind: 'not-found', message: 'no such connector file' });
    expect(result.error?.location).toContain('no-such-connector.json');
    expect(statuses(result).filter((s) => s !== 'not-run')).toEqual(['failed']);
    expect(existsSync(stack.keysDir)).toBe(false);
    expect(projectContainers(stack)).toEqual([]);
  });

  it('stopped after each step, every next run skips what is done and does the next step, until complete', async () => {
    for (const [i, stepId] of STEPS.entries()) {
      const { result } = await setup(stack, { stopAfter: stepId });
      // the plugin check finds its work done (the worker has the plugins), so it is skipped
      const expected = STEPS.map((s, j) => (j < i || (j === i && s === 'plugins') ? 'skipped' : j === i ? 'done' : 'not-run'));
      // the last step may find records already flowing and skip instead
      if (i === STEPS.length - 1 && result.steps[i]!.status === 'skipped') expected[i] = 'skipped';
      expect(statuses(result), `run stopped after ${stepId}: ${JSON.stringify(result.error)}`).toEqual(expected);
      expect(result.outcome).toBe(i === STEPS.length - 1 ? 'completed' : 'aborted');
    }
    expect(projectContainers(stack)).toHaveLength(2);
    expect(await connectorNames(stack)).toEqual([stack.sinkName, stack.sourceName].sort());
  });

  it('a second run skips every step', async () => {
    const { result } = await setup(stack);
    expect(result.outcome).toBe('completed');
    expect(result.steps.map((s) => `${s.id}: ${s.status} (${s.detail})`)).toEqual(STEPS.map((id) => expect.stringMatching(new RegExp(`^${id}: skipped`))));
  });

  it('did the work: the user logs in with the new key, the raw and extracted tables exist, lines reach the sink file', async () => {
    const conn = await connectSnowflake(h.ok ? h.env : {}, { username: stack.user, privateKeyPath: `${stack.keysDir}/rsa_key.p8`, privateKeyPass: stack.passphrase, database: stack.database, schema: 'PUBLIC' });
    try {
      const tables = (await sql<{ name: string }>(conn, `SHOW TABLES IN SCHEMA "${stack.database}"."PUBLIC"`)).map((r) => r.name).sort();
      expect(tables).toEqual(expect.arrayContaining(['ORDERS', 'ORDERS_EXTRACTED', 'PAGEVIEWS', 'CLICKSTREAM_EXTRACTED']));
    } finally {
      await disconnectSnowflake(conn);
    }
    // a wrong key is refused: the public key really was registered for this user
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    await expect(connectSnowflake(h.ok ? h.env : {}, { username: stack.user, privateKeyPath: undefined, privateKey: other.privateKey, privateKeyPass: undefined })).rejects.toThrow(/JWT/);
    const sunk = readFileSync(stack.sinkFile, 'utf8').split('\n').filter(Boolean);
    expect(sunk.length).toBeGreaterThan(0);
    expect(sunk.slice(0, 3)).toEqual(['0', '1', '2']);
  });

  it('--dry-run through the CLI prints every step, changes nothing and prints no secret', async () => {
    const pem = readFileSync(`${stack.keysDir}/rsa_key.p8`, 'utf8');
    const before = { containers: projectContainers(stack).sort(), connectors: await connectorNames(stack), key: pem };
    for (const command of ['setup', 'cleanup']) {
      for (const json of [false, true]) {
        const { code, stdout } = await runCli(stack, command, ['--dry-run', ...(json ? ['--json'] : [])]);
        expect(code, stdout).toBe(0);
        for (const secret of [stack.passphrase, privateKeyBody(pem), pem.split('\n')[1]!]) expect(stdout).not.toContain(secret);
        if (command === 'cleanup') expect(stdout).toContain(`DELETE ${stack.config.connect.url}/connectors/${stack.sinkName}`);
        if (command === 'setup') expect(stdout).toContain('"snowflake.private.key":"***"'.replace(/"/g, json ? '\\"' : '"'));
      }
    }
    expect({ containers: projectContainers(stack).sort(), connectors: await connectorNames(stack), key: readFileSync(`${stack.keysDir}/rsa_key.p8`, 'utf8') }).toEqual(before);
  });

  it('bad input: a Connect worker answering 500 stops the runbook at the plugin check with status and message', async () => {
    const server = await http500();
    try {
      const bad = stack.variant({ env: { SFPIPE_CONNECT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } });
      const { result } = await setup(bad);
      await bad.close();
      expect(result.outcome).toBe('failed');
      expect(result.stoppedAt).toBe('plugins');
      expect(result.error?.source).toBe('connect');
      expect(result.error?.message).toMatch(/500/);
      expect(result.error?.message).toContain('injected by the test');
      expect(statuses(result).slice(0, 3)).toEqual(['skipped', 'skipped', 'skipped']);
    } finally {
      server.close();
    }
  });

  it('bad input: Docker not running stops at compose up with the reason; nothing else is touched', async () => {
    const dead = stack.variant({ env: { DOCKER_HOST: `tcp://127.0.0.1:${await closedPort()}` } });
    const { result } = await setup(dead);
    await dead.close();
    expect(result.outcome).toBe('failed');
    expect(result.stoppedAt).toBe('compose-up');
    expect(result.error?.kind).toBe('unreachable');
    expect(result.error?.hint).toContain('Docker engine does not answer');
    expect(statuses(result)).toEqual(['skipped', 'failed', ...STEPS.slice(2).map(() => 'not-run')]);
  });

  it('bad input: an invalid SQL script stops at its statement with file:line and the Snowflake code; fixed, a re-run completes', async () => {
    const broken = stack.variant({ inputs: { setupScripts: [STANDIN_SETUP_SCRIPTS[0]!, fixture('sql', '99-broken.sql')] } });
    const { result } = await setup(broken);
    await broken.close();
    expect(result.outcome).toBe('failed');
    expect(result.stoppedAt).toBe('sql-99-broken');
    expect(result.error?.location).toMatch(/99-broken\.sql:3$/);
    expect(result.error?.message).toMatch(/^Snowflake error 001003 \(42000\): /);
    const again = await setup(stack);
    expect(again.result.outcome).toBe('completed');
  });
});

/** A stand-in Connect worker that answers every request with 500, as a broken worker does. */
function http500(): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error_code: 500, message: 'Internal error injected by the test' }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A loopback port nothing listens on. */
