/**
 * The Docker part of the harness on bad ground: a socket path held by someone else, a
 * DOCKER_HOST that is dead, hung or not Docker, bad package names, no root — each gives a clear
 * answer (never a hang) and changes nothing. Plus the real paths: installing a missing Debian
 * package, and an engine of our own started from nothing and stopped without leftovers.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianPackages, ensureTools, findOnPath, isInstalled, systemProbe } from '../../harness/apt.js';
import type { AptProbe } from '../../harness/apt.js';
import { assertSocketFree, dockerClient, dockerPaths, dockerService, findExternalEngine, harnessDockerHost, pingDocker } from '../../harness/docker.js';
import { HarnessPrerequisiteMissing, HarnessStepFailed, makeContext, requireServices } from '../../harness/index.js';
import { TEST_IMAGE } from '../../harness/images.js';
import { isAlive, livePid } from '../../harness/process.js';

const isRoot = process.getuid?.() === 0;
const hasApt = findOnPath('apt-get') !== undefined && findOnPath('dpkg') !== undefined;
const homes: string[] = [];
const newHome = () => {
  const home = mkdtempSync(join(tmpdir(), 'sfpd-'));
  homes.push(home);
  return home;
};
const savedEnv = { DOCKER_HOST: process.env.DOCKER_HOST, SFPIPE_HARNESS_DOCKER: process.env.SFPIPE_HARNESS_DOCKER };

afterEach(() => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** A node child that listens on a unix socket: a live process the harness did not start. */
async function foreignListener(path: string): Promise<ChildProcess> {
  mkdirSync(dirname(path), { recursive: true });
  const child = spawn(process.execPath, ['-e', `require('net').createServer(() => {}).listen(${JSON.stringify(path)}, () => console.log('listening'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return child;
}

async function listen(server: Server, path: string): Promise<void> {
  await new Promise<void>((resolve) => server.listen(path, resolve));
}

describe('the docker socket path', () => {
  it('keeps unix socket paths within 107 bytes, even for a very long harness home', () => {
    const long = `/tmp/${'x'.repeat(150)}`;
    const p = dockerPaths(long);
    expect(Buffer.byteLength(p.socket)).toBeLessThanOrEqual(107);
    expect(Buffer.byteLength(`${p.execRoot}/containerd/containerd.sock.ttrpc`)).toBeLessThanOrEqual(107);
    expect(p.dataRoot.startsWith(long)).toBe(true); // data stays in the cache; only sockets move
    expect(dockerPaths(long).socket).toBe(p.socket); // stable across calls
    expect(dockerPaths('/root/.cache/sfpipe-harness').socket).toBe('/root/.cache/sfpipe-harness/docker/docker.sock');
  });

  it('refuses a socket path held by a live foreign process, naming it, and changes nothing', async () => {
    process.env.SFPIPE_HARNESS_DOCKER = 'own';
    const home = newHome();
    const ctx = makeContext({ home, quiet: true });
    const p = dockerPaths(home);
    const child = await foreignListener(p.socket);
    try {
      const err = await dockerService.up(ctx).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(HarnessStepFailed);
      expect((err as Error).message).toContain(`${p.socket} is held by a live process the harness did not start`);
      expect((err as Error).message).toContain(`pid ${child.pid}`);
      // Nothing changed: the holder still serves, no dockerd, no data root.
      expect(isAlive(child.pid)).toBe(true);
      expect(existsSync(p.socket)).toBe(true);
      expect(livePid(home, 'dockerd')).toBeUndefined();
      expect(existsSync(p.dataRoot)).toBe(false);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    // Killed, it left its socket file behind with nobody listening: that leftover is cleared.
    expect(existsSync(p.socket)).toBe(true);
    await assertSocketFree(p.socket);
    expect(existsSync(p.socket)).toBe(false);
  });

  it('refuses a socket path that is not a socket', async () => {
    const path = join(newHome(), 'docker.sock');
    writeFileSync(path, 'not a socket');
    await expect(assertSocketFree(path)).rejects.toThrow(/exists and is not a socket/);
    expect(readFileSync(path, 'utf8')).toBe('not a socket');
  });

  it('rejects an unknown SFPIPE_HARNESS_DOCKER value with what to use instead', async () => {
    process.env.SFPIPE_HARNESS_DOCKER = 'sometimes';
    await expect(dockerService.status(makeContext({ home: newHome(), quiet: true }))).rejects.toThrow(/SFPIPE_HARNESS_DOCKER.*"sometimes".*"auto".*"own"/);
  });
});

describe('a DOCKER_HOST that is not a usable engine', () => {
  const servers: Server[] = [];
  const conns: Socket[] = [];
  afterAll(async () => {
    conns.forEach((c) => c.destroy()); // server.close() waits for every accepted connection
    for (const s of servers) await new Promise((r) => s.close(r));
  });

  it('is passed over with the reason: dead socket, hung listener, non-Docker server, non-loopback address', async () => {
    const home = newHome();
    const dead = await findExternalEngine(home, { DOCKER_HOST: `unix://${home}/nobody.sock` });
    expect(dead.host).toBeUndefined();
    expect(dead.notes[0]).toMatch(/DOCKER_HOST=unix:\/\/.*nobody\.sock is not usable \(.*ENOENT/);

    // Accepts connections and never answers: must time out, not hang.
    const hung = createServer((c) => void conns.push(c.resume()));
    servers.push(hung);
    await listen(hung, join(home, 'hung.sock'));
    const hungResult = await findExternalEngine(home, { DOCKER_HOST: `unix://${home}/hung.sock` });
    expect(hungResult.host).toBeUndefined();
    expect(hungResult.notes[0]).toMatch(/no answer within \d+ ms/);

    // Speaks HTTP but is not Docker.
    const other = createServer((sock) => {
      conns.push(sock.resume());
      sock.end('HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope');
    });
    servers.push(other);
    await listen(other, join(home, 'other.sock'));
    const otherResult = await findExternalEngine(home, { DOCKER_HOST: `unix://${home}/other.sock` });
    expect(otherResult.host).toBeUndefined();
    expect(otherResult.notes[0]).toMatch(/HTTP 404 .*not a Docker engine/);

    const remote = await findExternalEngine(home, { DOCKER_HOST: 'tcp://192.0.2.10:2375' });
    expect(remote.host).toBeUndefined();
    expect(remote.notes[0]).toMatch(/not a loopback address/);
  });

  // Needs root (or an engine at the default socket is irrelevant: DOCKER_HOST set means "use that").
  it.skipIf(!isRoot)('makes requireServices fall back to the harness engine instead of hanging or failing', async () => {
    const deadHome = newHome();
    process.env.DOCKER_HOST = `unix://${deadHome}/dead.sock`;
    const h = await requireServices(['docker']);
    expect(h.ok).toBe(true);
    if (!h.ok) return;
    expect(h.env.DOCKER_HOST).toBe(harnessDockerHost(h.ctx.home));
    expect(await pingDocker(h.env.DOCKER_HOST ?? '')).toMatchObject({ ok: true });
  });
});

describe.skipIf(!isRoot)('an engine of the harness\'s own, in a fresh home', () => {
  it('starts from nothing with the test image, and down() leaves no process, socket or mount behind', async () => {
    process.env.SFPIPE_HARNESS_DOCKER = 'own';
    const home = newHome();
    const ctx = makeContext({ home, quiet: true });
    const p = dockerPaths(home);
    try {
      const st = await dockerService.up(ctx);
      expect(st).toMatchObject({ state: 'running', endpoint: `unix://${p.socket}` });
      expect(isAlive(st.pid)).toBe(true);
      expect(dockerService.env(ctx)).toEqual({ DOCKER_HOST: `unix://${p.socket}` });
      const containerd = Number(readFileSync(join(p.execRoot, 'containerd', 'containerd.pid'), 'utf8'));
      expect(isAlive(containerd)).toBe(true); // dockerd launched a managed containerd of its own

      const images = await dockerClient(`unix://${p.socket}`).listImages();
      expect(images.flatMap((i) => i.RepoTags ?? [])).toEqual([TEST_IMAGE]);

      // up again reuses the same dockerd
      expect((await dockerService.up(ctx)).pid).toBe(st.pid);

      // Seen from another harness home, this engine is "the user's": used, never started or stopped.
      process.env.SFPIPE_HARNESS_DOCKER = 'auto';
      process.env.DOCKER_HOST = `unix://${p.socket}`;
      const other = makeContext({ home: newHome(), quiet: true });
      expect(await dockerService.up(other)).toMatchObject({ state: 'external', endpoint: `unix://${p.socket}`, pid: undefined });
      expect(dockerService.env(other)).toEqual({ DOCKER_HOST: `unix://${p.socket}` });
      expect(livePid(other.home, 'dockerd')).toBeUndefined();
      await dockerService.down(other);
      expect(isAlive(st.pid)).toBe(true);
      process.env.SFPIPE_HARNESS_DOCKER = 'own';

      await dockerService.down(ctx);
      expect(isAlive(st.pid)).toBe(false);
      expect(isAlive(containerd)).toBe(false);
      expect(existsSync(p.socket)).toBe(false);
      expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(home);
      expect((await dockerService.status(ctx)).state).toBe('stopped');
    } finally {
      await dockerService.down(ctx);
    }
  });
});

describe('Debian packages through apt', () => {
  const ctx = () => makeContext({ home: newHome(), quiet: true });
  const notRoot: AptProbe = { isRoot: () => false, which: systemProbe.which };
  const noDpkg: AptProbe = { isRoot: () => true, which: () => undefined };

  it('refuses names that are not Debian package names before running anything', async () => {
    const c = ctx();
    await expect(ensureDebianPackages(c, ['hello', '-o=APT::Get::Evil=1'])).rejects.toThrow(/not Debian package names: "-o=APT::Get::Evil=1"/);
    expect(existsSync(join(c.home, 'logs', 'apt.log'))).toBe(false);
  });

  it('says what is missing and how to install it when not root', async () => {
    const err = await ensureDebianPackages(ctx(), ['dpkg', 'sfpipe-not-a-package'], notRoot).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessPrerequisiteMissing);
    expect((err as Error).message).toMatch(/sfpipe-not-a-package are not installed, and installing them needs root.*sudo apt-get install sfpipe-not-a-package/);
  });

  it('says when this is not Debian at all', async () => {
    await expect(ensureDebianPackages(ctx(), ['hello'], noDpkg)).rejects.toThrow(HarnessPrerequisiteMissing);
  });

  it.skipIf(!hasApt)('skips what dpkg -s reports installed without running apt-get', async () => {
    const c = ctx();
    expect(await ensureDebianPackages(c, ['dpkg', 'coreutils'])).toEqual([]);
    expect(existsSync(join(c.home, 'logs', 'apt.log'))).toBe(false);
  });

  it('refuses a command it has no package for, and installs nothing for commands already present', async () => {
    await expect(ensureTools(ctx(), ['sfpipe-no-such-command'])).rejects.toThrow(/no Debian package known for command\(s\) sfpipe-no-such-command/);
    expect(await ensureTools(ctx(), ['sh'])).toEqual([]);
  });

  it.skipIf(!isRoot || !hasApt)('provides tmux and ssh (installing them when missing)', async () => {
    await ensureTools(ctx(), ['tmux', 'ssh']);
    expect(findOnPath('tmux')).toBeDefined();
    expect(findOnPath('ssh')).toBeDefined();
  });

  describe.skipIf(!isRoot || !hasApt)('as root', () => {
    // A tiny package (53 kB, depends only on libc6) that is not installed, to take the real install path.
    const tiny = 'hello';
    let installedHere = false;
    let tinyWasMissing = false;
    beforeAll(async () => {
      tinyWasMissing = !(await isInstalled(tiny));
    });
    afterAll(() => {
      // Put the machine back as it was.
      if (installedHere) spawnSync('apt-get', ['remove', '-y', '--purge', tiny], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: 'ignore', timeout: 120_000 });
    });

    it('installs a missing package with apt-get update then install, logging to the harness log dir', async (t) => {
      if (!tinyWasMissing) t.skip(`${tiny} is already installed here; the install path cannot be shown without removing it`);
      const c = ctx();
      const installed = await ensureDebianPackages(c, ['dpkg', tiny]);
      installedHere = installed.includes(tiny);
      expect(installed).toEqual([tiny]);
      expect(await isInstalled(tiny)).toBe(true);
      const log = readFileSync(join(c.home, 'logs', 'apt.log'), 'utf8');
      expect(log).toMatch(/apt-get update[\s\S]*apt-get install -y --no-install-recommends .* hello/);
      expect(log).toMatch(/Setting up hello/);
    });

    it('fails with apt\'s own message in the log tail for a package Debian does not have', async () => {
      const err = await ensureDebianPackages(ctx(), ['sfpipe-not-a-package']).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HarnessStepFailed);
      expect((err as HarnessStepFailed).step).toBe('apt-get install sfpipe-not-a-package');
      expect((err as HarnessStepFailed).logTail).toMatch(/Unable to locate package sfpipe-not-a-package/);
    });
  });
});
