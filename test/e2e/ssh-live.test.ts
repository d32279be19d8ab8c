/**
 * `sfpipe serve` against the harness's real engines, a viewer on the real OpenSSH client in a
 * tmux pane: data produced to a topic of this run (kafkajs, a paced loop) shows up in the
 * viewer's console with a rate above zero. serve runs as its own process, from source
 * (test/support/sfpipeCli.ts); the fake-backed protocol details are test/e2e/ssh.test.ts.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTools } from '../../harness/apt.js';
import { HarnessPrerequisiteMissing, makeContext, requireServices } from '../../harness/index.js';
import { crashSigns, GRID_SIZE, shownSource } from '../support/consoleScreen.js';
import { filterPane, rowOf, shownRate } from '../support/paneRows.js';
import { SFPIPE_CLI_ENV, sfpipeArgv, shellQuote } from '../support/sfpipeCli.js';
import { startTmux, type Tmux } from '../support/tmux.js';

const SEE_MS = 60_000;

async function toolsReady(): Promise<boolean> {
  try {
    await ensureTools(makeContext({ quiet: true }), ['ssh', 'ssh-keygen', 'tmux']);
    return true;
  } catch (err) {
    if (err instanceof HarnessPrerequisiteMissing && process.env.REQUIRE_REAL_SERVICES !== '1') {
      process.stderr.write(`\n!!! SKIPPING ssh-live e2e: ${err.message}\n\n`);
      return false;
    }
    throw err;
  }
}

const tools = await toolsReady();
const h = await requireServices(['docker', 'kafka', 'connect', 'snowflake']);
const run = randomUUID().replace(/-/g, '').slice(0, 8);

describe.skipIf(!h.ok || !tools)('sfpipe serve against the harness, over OpenSSH', () => {
  const harnessEnv = h.ok ? h.env : {};
  const topic = `ssh-live-${run}`;
  let dir: string;
  let serve: ChildProcess | undefined;
  let serveLog = '';
  let port = 0;
  let t: Tmux | undefined;
  let admin: Admin;
  let producer: Producer | undefined;
  let producing: Promise<void> | undefined;
  let stop = false;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sfpipe-ssh-live-'));
    const key = join(dir, 'viewer');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'viewer', '-f', key]);
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${key}.pub`), { mode: 0o600 });

    const env = {
      ...process.env,
      ...harnessEnv,
      ...SFPIPE_CLI_ENV,
      HOME: dir,
      SNOWFLAKE_HOME: join(dir, '.snowflake'),
      XDG_CONFIG_HOME: join(dir, '.config'),
      XDG_STATE_HOME: join(dir, '.state'),
      SFPIPE_LOG_FILE: join(dir, 'sfpipe.log'),
    };
    const [cmd, ...args] = sfpipeArgv(['serve', '--listen', '127.0.0.1:0', '--authorized-keys', join(dir, 'authorized_keys'), '--host-key', join(dir, 'host_key'), '--refresh', '1']);
    serve = spawn(cmd!, args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    serve.stderr!.on('data', (d: Buffer) => (serveLog += d.toString()));
    for (const deadline = Date.now() + SEE_MS; port === 0; await sleep(100)) {
      port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(serveLog)?.[1] ?? 0);
      if (serve.exitCode !== null || Date.now() > deadline) throw new Error(`serve did not start listening:\n${serveLog}`);
    }

    const kafka = new Kafka({ clientId: `sfpipe-ssh-live-${run}`, brokers: harnessEnv.SFPIPE_KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const p = producer;
    // Paced: five JSON records every 200 ms for as long as the test watches.
    producing = (async () => {
      for (let i = 0; !stop; i++) {
        await p.send({ topic, acks: -1, messages: Array.from({ length: 5 }, (_, j) => ({ key: `k${j}`, value: JSON.stringify({ i, j }) })) });
        await sleep(200);
      }
    })();

    // The viewer: a plain shell in a tmux pane (no agent, no ssh config of the user), then ssh.
    t = await startTmux({ ...GRID_SIZE, env: { HOME: dir, LANG: 'C.UTF-8' }, cwd: dir });
    const ssh = ['ssh', '-F', '/dev/null', '-p', String(port), '-i', key, '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`, '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', 'viewer@127.0.0.1'];
    await t.run(ssh.map(shellQuote).join(' '));
  });

  afterAll(async () => {
    stop = true;
    await producing?.catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await t?.kill();
    if (serve && serve.exitCode === null) {
      const exited = new Promise<number | null>((resolve) => serve!.once('exit', (code) => resolve(code)));
      serve.kill('SIGTERM');
      // serve stops cleanly on SIGTERM
      expect(await Promise.race([exited, sleep(20_000).then(() => 'still running')]), `serve log:\n${serveLog}`).toBe(0);
    }
    await admin?.deleteTopics({ topics: [topic], timeout: 30_000 }).catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a viewer sees a topic of this run with its rate above zero while data is produced', async () => {
    const tmux = t!;
    await tmux.waitFor((s) => s.includes('READ-ONLY') && shownSource(s, 'kafka')?.word === 'ok', SEE_MS);
    await filterPane(tmux, '2', run, SEE_MS);
    const screen = await tmux.waitFor((s) => (shownRate(rowOf(s, topic)) ?? 0) > 0, SEE_MS);
    expect(shownRate(rowOf(screen, topic))).toBeGreaterThan(0);
    // the session is a read-only viewer's, and nothing crashed on the way
    expect(screen).toContain('READ-ONLY');
    expect(crashSigns(screen)).toBeUndefined();
    expect(serveLog).toMatch(/logged in: viewer viewer@127\.0\.0\.1 key SHA256:/);
  });
});
