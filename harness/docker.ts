/**
 * The Docker Engine for tests: the user's own engine when one answers (DOCKER_HOST, else the
 * default socket), otherwise a dockerd of the harness's own — Debian's docker.io, no bridge, no
 * iptables, its data and socket under the cache — with the local test image built into it.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Docker from 'dockerode';
import { capture, ensureDebianPackages, findOnPath } from './apt.js';
import { ensureTestImage } from './images.js';
import { dirs } from './paths.js';
import { isAlive, livePid, logFile, pidFile, startDetached, stopByPid, waitUntilReady } from './process.js';
import type { HarnessContext, HarnessService, ServiceStatus } from './types.js';
import { HarnessPrerequisiteMissing, HarnessStepFailed } from './types.js';

const NAME = 'dockerd';
export const DEBIAN_DOCKER_PACKAGES = ['docker.io', 'docker-compose', 'busybox-static'];
export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';
const PING_TIMEOUT_MS = 3_000;
const READY_TIMEOUT_MS = 90_000;
// dockerd stops its containers on TERM (up to its 15 s shutdown timeout) before it exits.
const STOP_GRACE_MS = 45_000;

// sun_path is 108 bytes including the terminating NUL.
const MAX_SOCKET_PATH = 107;
// Longest socket dockerd's managed containerd puts under the exec root.
const LONGEST_UNDER_EXEC_ROOT = '/containerd/containerd.sock.ttrpc'.length;

export interface DockerPaths {
  dataRoot: string;
  execRoot: string;
  /** dockerd's own --pidfile (the harness's pid file lives in <home>/run like every service's) */
  pidfile: string;
  socket: string;
}

/** Where the harness's engine keeps its state; socket and exec root move to a short /run path when <home> is too long for unix sockets. */
export function dockerPaths(home: string): DockerPaths {
  const dir = join(home, 'docker');
  let execRoot = join(dir, 'exec');
  let socket = join(dir, 'docker.sock');
  if (Buffer.byteLength(execRoot) + LONGEST_UNDER_EXEC_ROOT > MAX_SOCKET_PATH || Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
    const short = join('/run', `sfpipe-docker-${createHash('sha256').update(home).digest('hex').slice(0, 12)}`);
    execRoot = join(short, 'exec');
    socket = join(short, 'docker.sock');
  }
  return { dataRoot: join(dir, 'data'), execRoot, pidfile: join(dir, 'docker.pid'), socket };
}

export const harnessDockerHost = (home: string): string => `unix://${dockerPaths(home).socket}`;

type Endpoint = { socketPath: string } | { host: string; port: number };

/** unix:// paths and tcp:// on loopback only (the project never talks to another address). */
export function parseDockerHost(dockerHost: string): Endpoint | { error: string } {
  if (dockerHost.startsWith('unix://')) {
    const socketPath = dockerHost.slice('unix://'.length);
    return socketPath.startsWith('/') ? { socketPath } : { error: `${dockerHost}: a unix socket path must be absolute` };
  }
  if (dockerHost.startsWith('tcp://')) {
    let url: URL;
    try {
      url = new URL(dockerHost);
    } catch {
      return { error: `${dockerHost} is not a valid tcp:// address` };
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!['127.0.0.1', 'localhost', '::1'].includes(host)) return { error: `${dockerHost} is not a loopback address; the harness only talks to 127.0.0.1 / ::1` };
    return { host, port: Number(url.port || 2375) };
  }
  return { error: `${dockerHost}: only unix:// and loopback tcp:// engines are supported` };
}

/** A dockerode client for a DOCKER_HOST value (what the tests and ensureTestImage use). */
export function dockerClient(dockerHost: string, timeoutMs = 60_000): Docker {
  const endpoint = parseDockerHost(dockerHost);
  if ('error' in endpoint) throw new HarnessStepFailed('connect to docker', endpoint.error);
  return new Docker({ ...endpoint, timeout: timeoutMs });
}

export type PingResult = { ok: true; version: string } | { ok: false; reason: string };

/** GET /_ping with a hard timeout: a dead, hung or non-Docker listener is an answer, never a hang. */
export function pingDocker(dockerHost: string, timeoutMs = PING_TIMEOUT_MS): Promise<PingResult> {
  const endpoint = parseDockerHost(dockerHost);
  if ('error' in endpoint) return Promise.resolve({ ok: false, reason: endpoint.error });
  return new Promise((resolve) => {
    let settled = false;
    // agent:false and destroying the socket when done: a probe must not leave a connection open
    // (a hung listener would otherwise hold it, and its owner could never close).
    const finish = (r: PingResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.socket?.destroy();
      req.destroy();
      resolve(r);
    };
    const req = request({ ...endpoint, agent: false, path: '/_ping', method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk.slice(0, 100)));
      res.on('end', () => {
        const server = String(res.headers.server ?? '');
        if (res.statusCode === 200 && body.trim() === 'OK') finish({ ok: true, version: server.replace(/^Docker\//, '').replace(/\s.*$/, '') || 'unknown' });
        else finish({ ok: false, reason: `answered HTTP ${res.statusCode} ${JSON.stringify(body.slice(0, 60))}, not a Docker engine` });
      });
      res.on('error', (err) => finish({ ok: false, reason: err.message }));
    });
    const timer = setTimeout(() => finish({ ok: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
    req.on('error', (err) => finish({ ok: false, reason: err.message }));
    req.end();
  });
}

/**
 * The user's engine, if one answers: DOCKER_HOST when set (unless it is the harness's own
 * socket), else the default socket. notes say why a configured one was passed over.
 */
export async function findExternalEngine(home: string, env: NodeJS.ProcessEnv = process.env): Promise<{ host?: string; version?: string; notes: string[] }> {
  const own = harnessDockerHost(home);
  const configured = env.DOCKER_HOST && env.DOCKER_HOST !== own ? env.DOCKER_HOST : undefined;
  const candidate = configured ?? DEFAULT_DOCKER_HOST;
  const ping = await pingDocker(candidate);
  if (ping.ok) return { host: candidate, version: ping.version, notes: [] };
  return { notes: configured ? [`DOCKER_HOST=${configured} is not usable (${ping.reason}); using the harness's own engine instead`] : [] };
}

/** SFPIPE_HARNESS_DOCKER=own never uses the user's engine; auto (default) prefers it. */
function engineMode(env: NodeJS.ProcessEnv = process.env): 'auto' | 'own' {
  const mode = env.SFPIPE_HARNESS_DOCKER ?? 'auto';
  if (mode === 'auto' || mode === 'own') return mode;
  throw new HarnessStepFailed('read SFPIPE_HARNESS_DOCKER', `unknown value ${JSON.stringify(mode)}; use "auto" (prefer your own engine) or "own" (always the harness's dockerd)`);
}

// ---- ownership of our dockerd ---------------------------------------------------

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Our dockerd's pid: the harness's pid file, else dockerd's own --pidfile if that process runs on our data root. */
function ownDockerdPid(home: string): number | undefined {
  const recorded = livePid(home, NAME);
  if (recorded !== undefined) return recorded;
  const p = dockerPaths(home);
  const pid = readPidFile(p.pidfile);
  if (pid === undefined || !isAlive(pid) || !cmdline(pid).includes(`--data-root ${p.dataRoot}`)) return undefined;
  // Adopt it (e.g. the run dir was wiped) so down() can stop it by pid.
  mkdirSync(dirs(home).run, { recursive: true });
  writeFileSync(pidFile(home, NAME), `${pid}\n`);
  return pid;
}

function readPidFile(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const externalRecord = (home: string) => join(dirs(home).run, 'docker-external');

function rememberExternal(home: string, host: string | undefined): void {
  if (host) {
    mkdirSync(dirs(home).run, { recursive: true });
    writeFileSync(externalRecord(home), `${host}\n`);
  } else {
    rmSync(externalRecord(home), { force: true });
  }
}

// ---- the socket path ---------------------------------------------------------------

/** Pids of processes holding a unix socket bound at path (via /proc/net/unix inodes). */
export function socketHolders(path: string): number[] {
  let table: string;
  try {
    table = readFileSync('/proc/net/unix', 'utf8');
  } catch {
    return [];
  }
  const inodes = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length >= 8 && cols.slice(7).join(' ') === path && cols[6]) inodes.add(`socket:[${cols[6]}]`);
  }
  if (inodes.size === 0) return [];
  const holders: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (inodes.has(readlinkSync(`/proc/${entry}/fd/${fd}`))) {
          holders.push(Number(entry));
          break;
        }
      } catch {
        /* fd closed meanwhile */
      }
    }
  }
  return holders;
}

function acceptsConnections(path: string, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ path });
    const done = (v: boolean) => {
      sock.destroy();
      resolve(v);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** Refuse a socket path held by a live process the harness did not start; clear a dead leftover. */
export async function assertSocketFree(path: string): Promise<void> {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return; // nothing there
  }
  if (!stat.isSocket()) {
    throw new HarnessStepFailed('check docker socket', `${path} exists and is not a socket; move it away (or set SFPIPE_HARNESS_HOME to another directory)`);
  }
  const holders = socketHolders(path);
  if (holders.length > 0 || (await acceptsConnections(path))) {
    const who = holders.length ? ` (${holders.map((pid) => `pid ${pid}: ${cmdline(pid).slice(0, 80) || '?'}`).join('; ')})` : '';
    throw new HarnessStepFailed(
      'check docker socket',
      `${path} is held by a live process the harness did not start${who}; stop that process, or set SFPIPE_HARNESS_HOME to another directory`,
    );
  }
  rmSync(path, { force: true }); // left by a dockerd that was killed
}

// ---- start / stop -----------------------------------------------------------------

function dockerdArgs(p: DockerPaths): string[] {
  return [
    '--bridge=none',
    '--iptables=false',
    '--ip-forward=false',
    '--ip-masq=false',
    '--data-root', p.dataRoot,
    '--exec-root', p.execRoot,
    '--pidfile', p.pidfile,
    '-H', `unix://${p.socket}`,
    // If a system containerd is running, dockerd uses it instead of starting its own; a namespace
    // of our own keeps our containers apart from a stopped user dockerd's ("moby").
    '--containerd-namespace', 'sfpipe-harness',
    '--containerd-plugins-namespace', 'sfpipe-harness-plugins',
  ];
}

function statusOf(home: string, fields: Pick<ServiceStatus, 'state'> & Partial<ServiceStatus>): ServiceStatus {
  const { state, endpoint, pid, detail } = fields;
  return { name: 'docker', state, endpoint, pid, log: 'log' in fields ? fields.log : logFile(home, NAME), ...(detail ? { detail } : {}) };
}

async function status(ctx: HarnessContext): Promise<ServiceStatus> {
  const own = ownDockerdPid(ctx.home);
  const endpoint = harnessDockerHost(ctx.home);
  if (own !== undefined) {
    rememberExternal(ctx.home, undefined);
    const ping = await pingDocker(endpoint);
    return ping.ok
      ? statusOf(ctx.home, { state: 'running', endpoint, pid: own, detail: `dockerd ${ping.version}` })
      : statusOf(ctx.home, { state: 'failed', endpoint, pid: own, detail: `dockerd pid ${own} is alive but ${endpoint} does not answer: ${ping.reason}` });
  }
  if (engineMode() === 'auto') {
    const ext = await findExternalEngine(ctx.home);
    if (ext.host) {
      rememberExternal(ctx.home, ext.host);
      return statusOf(ctx.home, { state: 'external', endpoint: ext.host, log: undefined, detail: `the user's engine, Docker ${ext.version}` });
    }
  }
  rememberExternal(ctx.home, undefined);
  return statusOf(ctx.home, { state: 'stopped' });
}

async function up(ctx: HarnessContext): Promise<ServiceStatus> {
  const p = dockerPaths(ctx.home);
  const endpoint = harnessDockerHost(ctx.home);
  const ready = async () => (await pingDocker(endpoint)).ok;

  const running = ownDockerdPid(ctx.home);
  if (running !== undefined) {
    // Ours, perhaps still starting (another process's up, or a slow boot): wait for it.
    await waitUntilReady(ctx.home, NAME, ready, READY_TIMEOUT_MS);
    await ensureTestImage(dockerClient(endpoint), { ctx });
    return status(ctx);
  }
  if (engineMode() === 'auto') {
    const ext = await findExternalEngine(ctx.home);
    if (ext.host) {
      ctx.progress(`using the Docker engine at ${ext.host} (Docker ${ext.version})`);
      return status(ctx);
    }
    ext.notes.forEach((n) => ctx.progress(n));
  }

  // Checks that change nothing come first.
  await assertSocketFree(p.socket);
  if (process.getuid?.() !== 0) {
    throw new HarnessPrerequisiteMissing('no Docker engine answers (DOCKER_HOST or /var/run/docker.sock), and starting the harness\'s own dockerd needs root');
  }
  await ensureDebianPackages(ctx, DEBIAN_DOCKER_PACKAGES);
  const dockerd = findOnPath('dockerd');
  if (!dockerd) throw new HarnessStepFailed('find dockerd', 'docker.io is installed but no dockerd is on PATH or in /usr/sbin');

  for (const d of [p.dataRoot, p.execRoot]) mkdirSync(d, { recursive: true, mode: 0o700 });
  // A dockerd that was killed leaves its managed containerd (still "running" to the next dockerd,
  // which then refuses to start), shims and mounts behind: clear ours first.
  await stopLeftovers(p);
  await unmountLeftovers(p);
  // A pid file left by a dockerd that is gone (or a recycled pid) would make dockerd refuse to start.
  rmSync(p.pidfile, { force: true });
  rmSync(join(p.execRoot, 'containerd', 'containerd.pid'), { force: true });
  ctx.progress(`starting dockerd (socket ${p.socket}, log ${logFile(ctx.home, NAME)})`);
  const pid = startDetached(ctx.home, {
    name: NAME,
    command: dockerd,
    args: dockerdArgs(p),
    // dockerd finds containerd, runc and docker-init on PATH; they live in the sbin dirs too.
    env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin` },
  });
  try {
    await waitUntilReady(ctx.home, NAME, ready, READY_TIMEOUT_MS);
    await ensureTestImage(dockerClient(endpoint), { ctx });
  } catch (err) {
    // Leave no orphan: a failed up stops what it started.
    await down(ctx);
    throw err;
  }
  ctx.progress(`dockerd ready (pid ${pid})`);
  return status(ctx);
}

async function down(ctx: HarnessContext): Promise<void> {
  const p = dockerPaths(ctx.home);
  if (ownDockerdPid(ctx.home) !== undefined) {
    ctx.progress('stopping dockerd (it stops its containers first)');
    await stopByPid(ctx.home, NAME, STOP_GRACE_MS);
  }
  await stopLeftovers(p);
  await unmountLeftovers(p);
}

/**
 * After a dockerd that had to be killed: its managed containerd, the container shims and the
 * containers' own processes (the shims' children). Each is identified as ours by our exec root
 * on its command line (or its parent's) and stopped by pid.
 */
async function stopLeftovers(p: DockerPaths): Promise<void> {
  const address = join(p.execRoot, 'containerd', 'containerd.sock');
  const procs = readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map((e) => ({ pid: Number(e), ppid: parentPid(Number(e)), cmd: cmdline(Number(e)) }));
  const shims = procs.filter((x) => x.cmd.includes(`-address ${address}`)).map((x) => x.pid);
  // A container's init is a child of its shim; killing it ends the container's pid namespace.
  const containers = procs.filter((x) => shims.includes(x.ppid)).map((x) => x.pid);
  const containerd = readPidFile(join(p.execRoot, 'containerd', 'containerd.pid'));
  const daemons = containerd !== undefined && cmdline(containerd).includes(p.execRoot) ? [containerd] : [];
  for (const pid of containers) signal(pid, 'SIGKILL');
  const rest = [...shims, ...daemons].filter(isAlive);
  for (const pid of rest) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while ([...rest, ...containers].some(isAlive) && Date.now() < deadline) await sleep(100);
  for (const pid of rest.filter(isAlive)) signal(pid, 'SIGKILL');
}

function parentPid(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

/** dockerd leaves its netns bind mount (and, when killed, its data-root and overlay mounts) behind; unmount ours so the cache can be removed. */
async function unmountLeftovers(p: DockerPaths): Promise<void> {
  let info: string;
  try {
    info = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return;
  }
  const mine = info
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .map((m) => m.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((m) => [p.execRoot, p.dataRoot].some((root) => m === root || m.startsWith(`${root}/`)))
    .sort((a, b) => b.length - a.length);
  for (const m of mine) await capture('umount', [m], 10_000);
}

function env(ctx: HarnessContext): Record<string, string> {
  if (ownDockerdPid(ctx.home) === undefined && existsSync(externalRecord(ctx.home))) {
    const host = readFileSync(externalRecord(ctx.home), 'utf8').trim();
    if (host) return { DOCKER_HOST: host };
  }
  return { DOCKER_HOST: harnessDockerHost(ctx.home) };
}

export const dockerService: HarnessService = { name: 'docker', dependsOn: [], up, status, down, env };
