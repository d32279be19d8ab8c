/**
 * The harness's Docker Engine is a real one that dockerode (the client sfpipe uses) can drive:
 * container lifecycle, stats, pause/unpause, logs, health checks and exit codes — on the local
 * busybox image, with no network (never a bridge).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../harness/apt.js';
import { dockerClient, harnessDockerHost } from '../../harness/docker.js';
import { TEST_IMAGE, TEST_LABEL, ensureTestImage } from '../../harness/images.js';
import { requireServices } from '../../harness/index.js';

const h = await requireServices(['docker']);
const run = randomUUID().slice(0, 8);
const SECOND_NS = 1_000_000_000;

/** Poll until fn returns a value (not undefined); fails with what it was waiting for. */
async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(100);
  }
}

/** Split a non-TTY log buffer (8-byte frame headers: stream, 0, 0, 0, size) into stdout and stderr. */
function demux(buf: Buffer): { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  let i = 0;
  while (i + 8 <= buf.length) {
    const size = buf.readUInt32BE(i + 4);
    const text = buf.subarray(i + 8, i + 8 + size).toString('utf8');
    if (buf[i] === 1) out.stdout += text;
    else if (buf[i] === 2) out.stderr += text;
    i += 8 + size;
  }
  return out;
}

describe.skipIf(!h.ok)('docker engine from the harness, through dockerode', () => {
  const dockerHost = h.ok ? (h.env.DOCKER_HOST ?? '') : '';
  let docker: Docker;
  const created: Docker.Container[] = [];

  async function make(suffix: string, opts: Partial<Docker.ContainerCreateOptions>): Promise<Docker.Container> {
    const c = await docker.createContainer({
      name: `sfpipe-test-${run}-${suffix}`,
      Image: TEST_IMAGE,
      Labels: { [TEST_LABEL]: run },
      ...opts,
      HostConfig: { NetworkMode: 'none', ...opts.HostConfig },
    });
    created.push(c);
    return c;
  }

  beforeAll(async () => {
    expect(dockerHost).toMatch(/^(unix:\/\/\/|tcp:\/\/(127\.0\.0\.1|localhost|\[::1\]):)/);
    docker = dockerClient(dockerHost);
    if (h.ok) await ensureTestImage(docker, { ctx: h.ctx });
  });

  afterAll(async () => {
    for (const c of created) await c.remove({ force: true }).catch(() => undefined);
  });

  it('runs a container: state, a stats sample, pause/unpause, logs, stop, remove', async () => {
    const c = await make('life', {
      Cmd: ['sh', '-c', `echo "out-${run}-1"; echo "err-${run}" >&2; echo "out-${run}-2"; exec sleep 300`],
    });
    await c.start();

    const running = await c.inspect();
    expect(running.State.Status).toBe('running');
    expect(running.State.Running).toBe(true);
    expect(running.State.Pid).toBeGreaterThan(0);
    expect(running.HostConfig.NetworkMode).toBe('none');

    const stats = await c.stats({ stream: false });
    expect(stats.memory_stats.usage).toBeGreaterThan(0);
    expect(stats.pids_stats?.current).toBeGreaterThanOrEqual(1);
    expect(stats.cpu_stats.cpu_usage.total_usage).toBeGreaterThan(0);

    await c.pause();
    const paused = await c.inspect();
    expect(paused.State.Status).toBe('paused');
    expect(paused.State.Paused).toBe(true);
    await c.unpause();
    expect((await c.inspect()).State.Status).toBe('running');

    const logs = await waitFor('all log lines', async () => {
      const l = demux(await c.logs({ stdout: true, stderr: true, follow: false }));
      return l.stdout.includes(`out-${run}-2`) ? l : undefined;
    });
    expect(logs.stdout).toBe(`out-${run}-1\nout-${run}-2\n`);
    expect(logs.stderr).toBe(`err-${run}\n`);

    await c.stop({ t: 1 });
    const stopped = await c.inspect();
    expect(stopped.State.Status).toBe('exited');
    expect(stopped.State.Running).toBe(false);

    await c.remove();
    created.splice(created.indexOf(c), 1);
    await expect(c.inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('reports a failing health check as unhealthy and a passing one as healthy', async () => {
    const health = (test: string[]) => ({ Test: test, Interval: SECOND_NS / 5, Timeout: SECOND_NS, Retries: 1, StartPeriod: 0 });
    const sick = await make('sick', { Cmd: ['sleep', '300'], Healthcheck: health(['CMD', 'false']) });
    const fine = await make('fine', { Cmd: ['sleep', '300'], Healthcheck: health(['CMD-SHELL', 'test -d /tmp']) });
    await Promise.all([sick.start(), fine.start()]);

    const healthOf = async (c: Docker.Container, want: string) => {
      const s = (await c.inspect()).State.Health;
      return s?.Status === want ? s : undefined;
    };
    const sickHealth = await waitFor('unhealthy', () => healthOf(sick, 'unhealthy'));
    expect(sickHealth.FailingStreak).toBeGreaterThanOrEqual(1);
    expect(sickHealth.Log.at(-1)?.ExitCode).toBe(1);
    const fineHealth = await waitFor('healthy', () => healthOf(fine, 'healthy'));
    expect(fineHealth.Log.at(-1)?.ExitCode).toBe(0);
  });

  it('reports the exit code of a container that exits with 3', async () => {
    const c = await make('exit3', { Cmd: ['sh', '-c', 'exit 3'] });
    await c.start();
    const result = (await c.wait()) as { StatusCode: number };
    expect(result.StatusCode).toBe(3);
    const state = (await c.inspect()).State;
    expect(state.Status).toBe('exited');
    expect(state.ExitCode).toBe(3);
  });

  // Only meaningful on the harness's own dockerd; a user's engine has its own bridge.
  it.skipIf(!h.ok || dockerHost !== harnessDockerHost(h.ctx.home))('has no bridge network on the harness engine: only none and host', async () => {
    const names = (await docker.listNetworks()).map((n) => n.Name).sort();
    expect(names).toEqual(['host', 'none']);
  });

  describe.skipIf(!findOnPath('docker-compose'))('docker-compose (v1, Debian\'s)', () => {
    let dir = '';
    let file = '';
    const compose = (...args: string[]) =>
      spawnSync('docker-compose', ['-f', file, '-p', `sfpipetest${run}`, ...args], { encoding: 'utf8', env: { ...process.env, DOCKER_HOST: dockerHost }, timeout: 60_000 });

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'sfpipe-compose-'));
      file = join(dir, 'docker-compose.yml');
      writeFileSync(file, `version: "2.4"\nservices:\n  probe:\n    image: ${TEST_IMAGE}\n    network_mode: none\n    command: ["sleep", "5"]\n`);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reports its version, validates a file with network_mode: none and reaches the engine', () => {
      const version = compose('version', '--short');
      expect(version.status, version.stderr).toBe(0);
      expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);

      const config = compose('config');
      expect(config.status, config.stderr).toBe(0);
      expect(config.stdout).toMatch(/network_mode: none/);
      expect(config.stdout).toContain(`image: ${TEST_IMAGE}`);

      // ps asks the engine (through DOCKER_HOST) for the project's containers: none yet.
      const ps = compose('ps', '-q');
      expect(ps.status, ps.stderr).toBe(0);
      expect(ps.stdout.trim()).toBe('');
    });
  });
});
