/**
 * The Docker adapter against the harness's real engine: containers labelled as one compose
 * project (a project name of this run's own) in each state the console shows, stats from the
 * streaming subscriptions, logs, operations, a dead engine, and the number of requests a
 * refresh costs — counted on the dockerode modem, the adapter's only way to the engine.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerClient, parseDockerHost } from '../../harness/docker.js';
import { TEST_IMAGE, TEST_LABEL, ensureTestImage } from '../../harness/images.js';
import { requireServices } from '../../harness/index.js';
import { SfpipeError } from '../../src/domain/errors.js';
import type { ContainerInfo } from '../../src/domain/model.js';
import { DockerAdapter } from '../../src/services/docker/adapter.js';
import { COMPOSE_PROJECT_LABEL, COMPOSE_SERVICE_LABEL } from '../../src/stack/services.js';

const h = await requireServices(['docker']);
const run = randomUUID().slice(0, 8);
const project = `sfpipe-adapter-${run}`;
const SECOND_NS = 1_000_000_000;

/** Poll until fn returns a value (not undefined); fails with what it was waiting for and the last value seen. */
async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const v = await fn().catch((err: unknown) => {
      last = err;
      return undefined;
    });
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; last: ${String(last)}`);
    await sleep(200);
  }
}

interface Dialled {
  method: string;
  path: string;
}

/** A dockerode client whose modem records every request it sends. */
function countingClient(dockerHost: string): { client: Docker; calls: Dialled[] } {
  const endpoint = parseDockerHost(dockerHost);
  if ('error' in endpoint) throw new Error(endpoint.error);
  const client = new Docker(endpoint);
  const calls: Dialled[] = [];
  const modem = client.modem as unknown as { dial: (options: { method?: string; path: string }, cb: unknown) => void };
  const dial = modem.dial.bind(modem);
  modem.dial = (options, cb) => {
    calls.push({ method: options.method ?? 'GET', path: options.path });
    dial(options, cb);
  };
  return { client, calls };
}

const isStats = (c: Dialled) => /\/stats\?/.test(c.path);

describe.skipIf(!h.ok)('docker adapter against the harness engine', () => {
  const dockerHost = h.ok ? (h.env.DOCKER_HOST ?? '') : '';
  let docker: Docker;
  let adapter: DockerAdapter;
  const created: Docker.Container[] = [];
  const byName = (list: ContainerInfo[], service: string) => list.find((c) => c.service === service);

  async function make(service: string, opts: Partial<Docker.ContainerCreateOptions>, inProject = project): Promise<Docker.Container> {
    const c = await docker.createContainer({
      name: `${inProject}-${service}`,
      Image: TEST_IMAGE,
      Labels: { [COMPOSE_PROJECT_LABEL]: inProject, [COMPOSE_SERVICE_LABEL]: service, [TEST_LABEL]: run },
      ...opts,
      HostConfig: { NetworkMode: 'none', ...opts.HostConfig },
    });
    created.push(c);
    return c;
  }

  beforeAll(async () => {
    docker = dockerClient(dockerHost);
    if (h.ok) await ensureTestImage(docker, { ctx: h.ctx });
    adapter = new DockerAdapter({ host: dockerHost, project });

    const healthcheck = { Test: ['CMD', 'false'], Interval: SECOND_NS / 5, Timeout: SECOND_NS, Retries: 1, StartPeriod: 0 };
    // seconds apart, so stdout and stderr (two pipes) reach the engine in the order written
    const talker = await make('talker', { Cmd: ['sh', '-c', 'echo out-1; sleep 1; echo err-1 >&2; sleep 1; echo out-2; exec sleep 600'] });
    const pausedOne = await make('paused', { Cmd: ['sleep', '600'] });
    const exited = await make('exited', { Cmd: ['sh', '-c', 'exit 3'] });
    const sick = await make('sick', { Cmd: ['sleep', '600'], Healthcheck: healthcheck });
    const stranger = await make('stranger', { Cmd: ['sleep', '600'] }, `other-${run}`);
    await Promise.all([talker.start(), pausedOne.start(), exited.start(), sick.start(), stranger.start()]);
    await pausedOne.pause();
    await exited.wait();
  });

  afterAll(async () => {
    await adapter?.close();
    for (const c of created) await c.remove({ force: true }).catch(() => undefined);
  });

  it('reports running, paused, exited with its code and unhealthy, and only the project\'s containers', async () => {
    const list = await waitFor('the sick container to be unhealthy', async () => {
      const l = await adapter.listContainers();
      return byName(l, 'sick')?.health === 'unhealthy' ? l : undefined;
    });
    expect(list.map((c) => c.service)).toEqual(['exited', 'paused', 'sick', 'talker']);
    expect(list.every((c) => c.name.startsWith(`${project}-`) && c.image === TEST_IMAGE)).toBe(true);

    const talker = byName(list, 'talker')!;
    expect(talker).toMatchObject({ state: 'running', health: 'none', restartCount: 0, exitCode: undefined });
    const inspected = await docker.getContainer(talker.id).inspect();
    expect(talker.startedAt).toBe(Date.parse(inspected.State.StartedAt));

    expect(byName(list, 'paused')).toMatchObject({ state: 'paused', exitCode: undefined });
    expect(byName(list, 'paused')!.startedAt).toBeGreaterThan(0);
    expect(byName(list, 'exited')).toMatchObject({ state: 'exited', exitCode: 3, startedAt: undefined, cpuPercent: undefined, memoryBytes: undefined });
    expect(byName(list, 'sick')).toMatchObject({ state: 'running', health: 'unhealthy' });
  });

  it('has CPU and memory for running containers once a stats sample arrived', async () => {
    const busy = await make('busy', { Cmd: ['sh', '-c', 'while :; do :; done'] });
    await busy.start();
    try {
      // a busy loop shows real CPU use, a sleeper next to nothing: the figure is computed, not made up
      const list = await waitFor('stats samples', async () => {
        const l = await adapter.listContainers();
        const b = byName(l, 'busy');
        const t = byName(l, 'talker');
        return b?.cpuPercent !== undefined && b.cpuPercent > 5 && t?.cpuPercent !== undefined ? l : undefined;
      });
      const talker = byName(list, 'talker')!;
      expect(talker.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(talker.cpuPercent).toBeLessThan(byName(list, 'busy')!.cpuPercent!);
      expect(talker.memoryBytes).toBeGreaterThan(0);
      expect(talker.memoryLimitBytes).toBeGreaterThan(talker.memoryBytes!);
    } finally {
      await busy.remove({ force: true });
      created.splice(created.indexOf(busy), 1);
    }
  });

  it('returns the last log lines, stdout and stderr interleaved, oldest first', async () => {
    const talker = byName(await adapter.listContainers(), 'talker')!;
    const all = await waitFor('all log lines', async () => {
      const lines = await adapter.logs(talker.id, 10);
      return lines.length === 3 ? lines : undefined;
    });
    expect(all).toEqual(['out-1', 'err-1', 'out-2']);
    expect(await adapter.logs(talker.id, 2)).toEqual(['err-1', 'out-2']);
    expect(await adapter.logs(talker.name, 1)).toEqual(['out-2']);
    await expect(adapter.logs(`${project}-nobody`, 5)).rejects.toMatchObject({ kind: 'not-found', source: 'docker' });
    await expect(adapter.logs(talker.id, -1)).rejects.toMatchObject({ kind: 'invalid-input' });
  });

  it('follows new log lines until the container stops, then says the stream ended', async () => {
    const ticker = await make('ticker', { Cmd: ['sh', '-c', 'i=0; while :; do echo tick-$i; i=$((i+1)); sleep 1; done'] });
    await ticker.start();
    const lines: string[] = [];
    const errors: Error[] = [];
    const follower = await adapter.followLogs(ticker.id, (l) => lines.push(l), (e) => errors.push(e));
    await waitFor('two followed lines', async () => (lines.length >= 2 ? lines : undefined));
    const [a, b] = lines.map((l) => Number(/^tick-(\d+)$/.exec(l)?.[1]));
    expect(b).toBe(a! + 1);

    await adapter.stop(ticker.id, { timeoutMs: 5_000 });
    const [ended] = await waitFor('the end of the stream', async () => (errors.length ? errors : undefined));
    expect(ended).toBeInstanceOf(SfpipeError);
    expect(ended).toMatchObject({ kind: 'not-found', source: 'docker' });
    follower.stop(); // idempotent after the end
  });

  it('pauses, unpauses, stops, starts and restarts a container through the adapter', async () => {
    // exits at once on TERM, so stop does not wait for the kill
    const life = await make('life', { Cmd: ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done'] });
    await life.start();
    const state = async () => byName(await adapter.listContainers(), 'life')!;
    const first = await state();
    expect(first.state).toBe('running');

    await adapter.pause(life.id);
    expect((await state()).state).toBe('paused');
    await adapter.unpause(life.id);
    expect((await state()).state).toBe('running');

    await adapter.stop(life.id);
    expect(await state()).toMatchObject({ state: 'exited', exitCode: 0, startedAt: undefined });
    await adapter.stop(life.id); // already stopped: nothing to do, no error

    await adapter.start(life.id);
    const again = await state();
    expect(again.state).toBe('running');
    expect(again.startedAt).toBeGreaterThan(first.startedAt!);

    // restart keeps the state "running": the adapter sees it from the shorter uptime (needs > ~1.5 s up)
    await waitFor('some uptime', async () => (Date.now() - again.startedAt! > 3_000 ? true : undefined));
    expect((await state()).startedAt).toBe(again.startedAt);
    await adapter.restart(life.id);
    const restarted = await state();
    expect(restarted.state).toBe('running');
    expect(restarted.startedAt).toBeGreaterThan(again.startedAt!);
    expect(restarted.startedAt).toBe(Date.parse((await life.inspect()).State.StartedAt));

    await expect(adapter.pause(`${project}-nobody`)).rejects.toMatchObject({ kind: 'not-found', source: 'docker' });
  });

  it('costs one request per refresh, however many containers there are', async () => {
    const { client, calls } = countingClient(dockerHost);
    const counted = new DockerAdapter({ host: dockerHost, project, client });
    try {
      const refreshes = 5;
      /** Lists until a refresh costs no inspect (nothing changing), then counts `refreshes` more. */
      const measure = async () => {
        await waitFor('a quiet refresh', async () => {
          const before = calls.length;
          await counted.listContainers();
          return calls.slice(before).filter((c) => !isStats(c)).length === 1 ? true : undefined;
        });
        const from = calls.length;
        for (let i = 0; i < refreshes; i++) await counted.listContainers();
        const made = calls.slice(from);
        const list = await counted.listContainers();
        return { blocking: made.filter((c) => !isStats(c)), statsOpened: made.filter(isStats).length, containers: list.length, active: list.filter((c) => c.state === 'running' || c.state === 'paused').length };
      };

      const few = await measure();
      expect(few.blocking).toHaveLength(refreshes);
      expect(few.blocking.every((c) => c.method === 'GET' && c.path.startsWith('/containers/json?'))).toBe(true);

      const extra = await Promise.all([1, 2, 3, 4].map((i) => make(`extra${i}`, { Cmd: ['sleep', '600'] })));
      await Promise.all(extra.map((c) => c.start()));
      const many = await measure();
      expect(many.containers).toBe(few.containers + 4);
      expect(many.blocking).toHaveLength(refreshes);
      // each running container has one subscription, opened once, not once per refresh
      expect(many.statsOpened).toBe(0);
      expect(counted.statsSubscriptions()).toBe(many.active);
      expect(many.active).toBe(few.active + 4);
      for (const c of extra) {
        await c.remove({ force: true });
        created.splice(created.indexOf(c), 1);
      }
    } finally {
      await counted.close();
    }
  });

  it('inspects 50 new containers in one refresh without a listener-leak warning', async () => {
    // created, never started: cheap, and each is inspected once when first listed
    const crowd = `${project}-crowd`;
    const many = await Promise.all(Array.from({ length: 50 }, (_, i) => make(`c${i}`, { Cmd: ['true'] }, crowd)));
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    const { client, calls } = countingClient(dockerHost);
    const fresh = new DockerAdapter({ host: dockerHost, project: crowd, client });
    try {
      const list = await fresh.listContainers();
      await sleep(50); // a warning is emitted on a later tick
      expect(list).toHaveLength(50);
      expect(list.every((c) => c.state === 'created' && c.name.startsWith(`${crowd}-c`))).toBe(true);
      expect(calls.filter((c) => /^\/containers\/[^/]+\/json/.test(c.path)).length).toBe(50); // one inspect each, all in this refresh
      expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await fresh.close();
      await Promise.all(many.map((c) => c.remove({ force: true }).catch(() => undefined)));
      for (const c of many) created.splice(created.indexOf(c), 1);
    }
  });

  it('turns a dead DOCKER_HOST into an unreachable error with a hint, never a hang or an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const dir = mkdtempSync(join(tmpdir(), 'sfpipe-dead-docker-'));
    try {
      const notASocket = join(dir, 'docker.sock');
      writeFileSync(notASocket, '');
      for (const host of [`unix://${join(dir, 'missing.sock')}`, `unix://${notASocket}`]) {
        const dead = new DockerAdapter({ host, project });
        // a generous timeout: answering 'unreachable' (not 'timeout') shows it failed fast
        const opts = { timeoutMs: 30_000 };
        const err = await dead.listContainers(opts).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(SfpipeError);
        expect(err).toMatchObject({ kind: 'unreachable', source: 'docker' });
        expect((err as SfpipeError).message).toContain(host);
        expect((err as SfpipeError).hint).toMatch(/DOCKER_HOST/);
        await expect(dead.start('x', opts)).rejects.toMatchObject({ kind: 'unreachable' });
        await expect(dead.logs('x', 5, opts)).rejects.toMatchObject({ kind: 'unreachable' });
        await expect(dead.followLogs('x', () => undefined, () => undefined, opts)).rejects.toMatchObject({ kind: 'unreachable' });
        await dead.close();
        await expect(dead.listContainers()).rejects.toMatchObject({ kind: 'internal' });
      }
      await sleep(100);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
