/**
 * The console end to end, as a user runs it: `node bin/sfpipe.js console --refresh 1` (built
 * dist/) in a real terminal (a tmux pane at grid size), pointed at the harness's engines, with
 * the outside world changing under it:
 *   (a) data produced to a topic (kafkajs, a paced loop) shows as a rate above zero;
 *   (b) a connector paused through Connect's REST API shows PAUSED within two refreshes of
 *       Connect reporting it (the bound of issue 5, plus a second to draw and read the screen);
 *   (c) a container of the watched compose project paused through Docker shows as paused;
 *   (d) Enter on the topic shows its last messages decoded — Confluent-framed Avro through the
 *       harness's Schema Registry, JSON and text;
 *   (e) q leaves a clean terminal: main screen, cursor shown, no frame left, the shell usable.
 * The screen is read with capture-pane (test/support/tmux.ts). Waits are bounded polls; only
 * (b) has the issue's bound, and the measured times are printed. The shared engines carry
 * other suites' topics and connectors, so the panes are filtered to this run's objects,
 * typed one key at a time as a person would. Everything created here is removed at the end.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import avro from 'avsc';
import type Docker from 'dockerode';
import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerClient } from '../../harness/docker.js';
import { ensureTestImage, TEST_IMAGE, TEST_LABEL } from '../../harness/images.js';
import { requireServices } from '../../harness/index.js';
import { frameWireFormat } from '../../src/decode/wireFormat.js';
import { createSchemaRegistryClient } from '../../src/services/schemaRegistry/client.js';
import { COMPOSE_PROJECT_LABEL, COMPOSE_SERVICE_LABEL } from '../../src/stack/services.js';
import { crashSigns, FRAME_CHARS, GRID_SIZE, shownSource } from '../support/consoleScreen.js';
import { filterPane, focusPane, rowOf, shownRate } from '../support/paneRows.js';
import { shellQuote } from '../support/sfpipeCli.js';
import { ensureTmux, startTmux, type Tmux } from '../support/tmux.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const REFRESH_S = 1;
const REFRESH_MS = REFRESH_S * 1000;
/** Drawing the frame and reading it back with capture-pane (polled every 100 ms). */
const DRAW_SLACK_MS = 1_000;
// Bounds on waiting, not speed assertions.
const START_MS = 60_000;
const SEE_MS = 60_000;
const EXIT_MS = 20_000;

const tmuxReady = await ensureTmux();
// The Schema Registry too: the topic's details must show Avro decoded the way the demo's datagen writes it.
const h = await requireServices(['docker', 'kafka', 'connect', 'snowflake', 'schema-registry']);
const run = randomUUID().replace(/-/g, '').slice(0, 8);

const PAGEVIEW = { type: 'record', name: 'pageviews', namespace: 'ksql', fields: [{ name: 'viewtime', type: 'long' }, { name: 'userid', type: 'string' }, { name: 'pageid', type: 'string' }] };

function npmBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('npm', ['run', '-s', 'build'], { cwd: REPO, timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`npm run build failed:\n${stdout}${stderr}`));
      else resolve();
    });
  });
}

describe.skipIf(!h.ok || !tmuxReady.ok)('the console end to end against the harness', () => {
  const harnessEnv = h.ok ? h.env : {};
  const project = `sfpipe-e2e-${run}`;
  const topic = `e2e-console-${run}`;
  // short enough to be shown whole in the Connectors pane at grid size
  const connector = `fs-${run}`;
  const service = `sleeper-${run}`;
  let dir: string;
  let t: Tmux;
  let docker: Docker;
  let container: Docker.Container | undefined;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer | undefined;
  let producing: Promise<void> | undefined;
  let stopProducing = false;
  let produced = 0;
  const timings: string[] = [];

  const connectRest = (method: string, path: string, body?: unknown) =>
    fetch(`${harnessEnv.SFPIPE_CONNECT_URL}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });

  beforeAll(async () => {
    await npmBuild();
    dir = mkdtempSync(join(tmpdir(), 'sfpipe-e2e-console-'));
    docker = dockerClient(harnessEnv.DOCKER_HOST!);
    if (h.ok) await ensureTestImage(docker, { ctx: h.ctx });
    // A container of the project the console watches (and no other), running until paused.
    container = await docker.createContainer({
      name: `${project}-sleeper`,
      Image: TEST_IMAGE,
      Cmd: ['sleep', '3600'],
      Labels: { [COMPOSE_PROJECT_LABEL]: project, [COMPOSE_SERVICE_LABEL]: service, [TEST_LABEL]: run },
      HostConfig: { NetworkMode: 'none' },
    });
    await container.start();

    kafka = new Kafka({ clientId: `sfpipe-e2e-console-${run}`, brokers: harnessEnv.SFPIPE_KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    const file = join(dir, 'source.txt');
    writeFileSync(file, '');
    const deployed = await connectRest('PUT', `/connectors/${connector}/config`, { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector', file, topic: `e2e-console-fs-${run}`, 'tasks.max': '1' });
    expect(deployed.status).toBe(201);

    const env = {
      ...harnessEnv,
      HOME: dir,
      SNOWFLAKE_HOME: join(dir, '.snowflake'),
      XDG_CONFIG_HOME: join(dir, '.config'),
      XDG_STATE_HOME: join(dir, '.state'),
      SFPIPE_LOG_FILE: join(dir, 'sfpipe.log'),
      SFPIPE_COMPOSE_PROJECT: project,
      LANG: 'C.UTF-8',
    };
    t = await startTmux({ ...GRID_SIZE, env, cwd: dir });
    await t.run(`node ${shellQuote(join(REPO, 'bin', 'sfpipe.js'))} console --refresh ${REFRESH_S}; echo "sfpipe-exit=$?"`);
    await t.waitFor((s) => shownSource(s, 'kafka')?.word === 'ok' && shownSource(s, 'connect')?.word === 'ok' && shownSource(s, 'docker')?.word === 'ok', START_MS);
  });

  afterAll(async () => {
    stopProducing = true;
    await producing?.catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await t?.kill();
    await container?.remove({ force: true }).catch(() => undefined);
    await connectRest('DELETE', `/connectors/${connector}`).catch(() => undefined);
    await admin?.deleteTopics({ topics: [topic], timeout: 30_000 }).catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (timings.length) process.stderr.write(`\nconsole e2e timings (refresh ${REFRESH_S}s):\n  ${timings.join('\n  ')}\n`);
  });

  it('(a) shows the topic’s rate above zero while data is produced', async () => {
    const registry = createSchemaRegistryClient({ url: harnessEnv.SFPIPE_SCHEMA_REGISTRY_URL! });
    const id = await registry.register(`${topic}-value`, { schema: JSON.stringify(PAGEVIEW) });
    const type = avro.Type.forSchema(PAGEVIEW as avro.schema.RecordType);
    producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const p = producer;
    // Paced: three records (Avro, JSON, text) every 200 ms until the test is done with them.
    producing = (async () => {
      for (let i = 0; !stopProducing; i++) {
        await p.send({
          topic,
          acks: -1,
          messages: [
            { key: String(i), value: frameWireFormat(id, type.toBuffer({ viewtime: i, userid: `User_${(i % 9) + 1}`, pageid: `Page_${10 + (i % 80)}` })) },
            { key: `j${i}`, value: JSON.stringify({ orderid: i, address: { city: 'Zürich' } }) },
            { key: `t${i}`, value: `plain text ${i}` },
          ],
        });
        produced += 3;
        await sleep(200);
      }
    })();

    await filterPane(t, '2', run, SEE_MS);
    const started = Date.now();
    const screen = await t.waitFor((s) => (shownRate(rowOf(s, topic)) ?? 0) > 0, SEE_MS);
    timings.push(`(a) rate above zero ${Date.now() - started} ms after the filter was applied (${produced} records produced by then)`);
    expect(shownRate(rowOf(screen, topic))).toBeGreaterThan(0);
    expect(crashSigns(screen)).toBeUndefined();
  });

  it('(b) shows a connector paused from outside within two refreshes', async () => {
    await filterPane(t, '3', run, SEE_MS);
    await t.waitFor((s) => /● RUNNING/.test(rowOf(s, connector) ?? ''), SEE_MS);
    expect((await connectRest('PUT', `/connectors/${connector}/pause`)).status).toBe(202);
    // From the moment Connect itself reports PAUSED: the console has to show it within two refreshes.
    for (const deadline = Date.now() + SEE_MS; ; await sleep(50)) {
      const status = (await (await connectRest('GET', `/connectors/${connector}/status`)).json()) as { connector: { state: string } };
      if (status.connector.state === 'PAUSED') break;
      if (Date.now() > deadline) throw new Error(`Connect did not report ${connector} PAUSED`);
    }
    const reported = Date.now();
    const bound = 2 * REFRESH_MS + DRAW_SLACK_MS;
    const screen = await t.waitFor((s) => /‖ PAUSED/.test(rowOf(s, connector) ?? ''), bound, 50).catch(async (err: unknown) => {
      const late = await t.waitFor((s) => /‖ PAUSED/.test(rowOf(s, connector) ?? ''), SEE_MS, 50).then(() => `shown after ${Date.now() - reported} ms`, () => 'never shown');
      throw new Error(`not shown within ${bound} ms (${late}): ${String(err)}`);
    });
    timings.push(`(b) connector PAUSED on screen ${Date.now() - reported} ms after Connect reported it (bound ${bound} ms)`);
    expect(rowOf(screen, connector)).toMatch(/‖ PAUSED/);
  });

  it('(c) shows a container paused from outside as paused', async () => {
    await focusPane(t, '1', SEE_MS);
    await t.waitFor((s) => /● running/.test(rowOf(s, service) ?? ''), SEE_MS);
    await container!.pause();
    const paused = Date.now();
    const screen = await t.waitFor((s) => /‖ paused/.test(rowOf(s, service) ?? ''), SEE_MS, 50);
    timings.push(`(c) container paused on screen ${Date.now() - paused} ms after docker pause returned`);
    expect(rowOf(screen, service)).toMatch(/‖ paused/);
    await container!.unpause();
  });

  it('(d) Enter on the topic shows its last messages decoded: Avro via the Schema Registry, JSON and text', async () => {
    await focusPane(t, '2', SEE_MS);
    await t.waitFor(`filter "${run}"`, SEE_MS);
    await t.keys('Enter');
    const screen = await t.waitFor((s) => s.includes(`Topic ${topic} — partitions, lag and last 10 messages`) && s.includes('[avro]') && s.includes('[json]') && s.includes('[text]'), SEE_MS);
    expect(screen).toMatch(/\{"viewtime":\d+,"userid":"User_\d","pageid":"Page_\d+"\}/);
    expect(screen).toMatch(/\{"orderid":\d+,"address":\{"city":"Zürich"\}\}/);
    expect(screen).toMatch(/plain text \d+/);
    expect(screen).not.toContain('undecodable');
    stopProducing = true;
    await producing;
    await t.keys('Escape');
    await t.waitFor((s) => !s.includes(`Topic ${topic} — partitions`) && shownSource(s, 'kafka') !== undefined, SEE_MS);
  });

  it('(e) q quits and leaves a clean terminal: main screen, cursor, no frame, a usable shell', async () => {
    await t.keys('q');
    const after = await t.waitFor(/sfpipe-exit=\d+/, EXIT_MS);
    expect(/sfpipe-exit=(\d+)/.exec(after)![1]).toBe('0');
    const state = await t.paneState();
    expect(state.alternateScreen, 'still on the alternate screen').toBe(false);
    expect(state.cursorVisible, 'cursor left hidden').toBe(true);
    expect(after).not.toMatch(FRAME_CHARS);
    expect(crashSigns(after)).toBeUndefined();
    for (const leftover of ['1 Containers', 'Events', 'OPERATOR', topic]) expect(after).not.toContain(leftover);
    // The shell answers, with its line discipline back (echo and canonical mode on).
    await t.run('echo "shell-ok-$((6*7)) $(stty -a | tr \' ;\' \'\\n\\n\' | grep -xE -- \'-?(icanon|echo)\' | sort | tr \'\\n\' \' \')"');
    const shell = await t.waitFor(/^shell-ok-42 /m, EXIT_MS);
    expect(/^shell-ok-42 (.*)$/m.exec(shell)![1]!.trim().split(' ').sort()).toEqual(['echo', 'icanon']);
  });
});
