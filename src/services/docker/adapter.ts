/**
 * The Docker adapter (dockerode): the compose project's containers, found by the label
 * com.docker.compose.project, and the operations on them.
 *
 * Blocking requests per listContainers at steady state: ONE (GET /containers/json, filtered
 * by label on the engine). Start time, restart count and TTY come from an inspect made only
 * when the list shows a change (status.ts); CPU and memory come from one streaming stats
 * subscription per running container (statsStreams.ts), read from its cache, never awaited.
 *
 * Every call is bounded by withTimeout, whose signal aborts the HTTP request; no timeout is set
 * on the modem itself, since it would cut idle log-follow streams.
 */
import { Agent } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import { systemClock, type Clock } from '../../domain/clock.js';
import { SfpipeError, toSfpipeError } from '../../domain/errors.js';
import type { ContainerInfo } from '../../domain/model.js';
import { COMPOSE_PROJECT_LABEL, COMPOSE_SERVICE_LABEL } from '../../stack/services.js';
import { withTimeout } from '../timeout.js';
import type { CallOptions, DockerService, LogFollower } from '../types.js';
import { toDockerError } from './errors.js';
import { fanOut } from './fanOut.js';
import { describeEndpoint, dockerEndpoint } from './host.js';
import { LogLineDecoder } from './logs.js';
import { StatsStreams } from './statsStreams.js';
import { dockerTime, healthOf, listSignature, needsInspect, parseListedStatus, type InspectedDetails, type ListedStatus } from './status.js';

export interface DockerAdapterOptions {
  /** DOCKER_HOST: unix:///path or tcp://127.0.0.1:port */
  host: string;
  /** compose project whose containers are listed (label com.docker.compose.project) */
  project: string;
  clock?: Clock;
  /** per-call timeout when the caller gives none; default 10 s */
  timeoutMs?: number;
  /** a stats sample older than this is not reported; default 10 s */
  statsMaxAgeMs?: number;
  /** for tests: the dockerode client to use (e.g. one whose modem counts requests) */
  client?: Docker;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Most lines logs() returns; a larger ask is refused rather than buffered. */
export const MAX_LOG_LINES = 100_000;
/** Kept for the engine to stop a container before we stop waiting: stop/restart grace = timeout − this. */
const STOP_MARGIN_MS = 2_000;
const MAX_STOP_GRACE_S = 10;

type ListedContainer = Docker.ContainerInfo;

export class DockerAdapter implements DockerService {
  private readonly docker: Docker;
  private readonly agent: Agent | undefined;
  private readonly engine: string;
  private readonly project: string;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly stats: StatsStreams;
  private readonly details = new Map<string, InspectedDetails>();
  private readonly followers = new Set<LogFollower>();
  private closed = false;

  constructor(options: DockerAdapterOptions) {
    const endpoint = dockerEndpoint(options.host);
    this.engine = describeEndpoint(endpoint);
    if (!options.project.trim()) throw new SfpipeError('invalid-input', 'docker', 'no compose project name given', { location: 'docker.compose_project', hint: 'set docker.compose_project or SFPIPE_COMPOSE_PROJECT' });
    this.project = options.project;
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (options.client) {
      this.docker = options.client;
    } else {
      // Our own agent, so close() can release every idle keep-alive socket.
      this.agent = new Agent({ keepAlive: true });
      // `agent` is passed through to docker-modem; @types/dockerode does not list it.
      const clientOptions: Docker.DockerOptions & { agent: Agent } = { ...endpoint, agent: this.agent };
      this.docker = new Docker(clientOptions);
    }
    this.stats = new StatsStreams((id, signal) => this.openStream(`/containers/${encodeURIComponent(id)}/stats?`, { stream: true }, signal), {
      clock: this.clock,
      ...(options.statsMaxAgeMs !== undefined ? { maxAgeMs: options.statsMaxAgeMs } : {}),
    });
  }

  listContainers(opts: CallOptions = {}): Promise<ContainerInfo[]> {
    return this.call(`list the containers of compose project ${this.project}`, opts, async (signal) => {
      // before the request: the engine's uptimes are then never shorter than ours (see needsInspect)
      const now = this.clock.now();
      const listed = await this.docker.listContainers({ all: true, filters: { label: [`${COMPOSE_PROJECT_LABEL}=${this.project}`] }, abortSignal: signal });
      // docker-modem hands back the raw bytes when the body is not JSON (a proxy's error page, a cut-off answer)
      if (!Array.isArray(listed)) throw new SfpipeError('bad-response', 'docker', 'the engine answered something that is not a container list (not JSON, or cut off)');
      const entries = listed.map((c) => ({ c, status: parseListedStatus(c.Status ?? '') }));
      this.stats.sync(entries.filter((e) => isActive(e.c.State)).map((e) => e.c.Id));
      const live = new Set(entries.map((e) => e.c.Id));
      for (const id of this.details.keys()) if (!live.has(id)) this.details.delete(id);

      const changed = entries.filter((e) => needsInspect(this.details.get(e.c.Id), e.c.State, e.status, now));
      const gone = new Set<string>();
      await fanOut(changed, signal, async (e, itemSignal) => {
        const d = await this.inspect(e.c.Id, itemSignal, listSignature(e.c.State, e.status));
        if (d) this.details.set(e.c.Id, d);
        else gone.add(e.c.Id); // removed between the list and the inspect
      });
      return entries
        .filter((e) => !gone.has(e.c.Id))
        .map((e) => this.toInfo(e.c, e.status))
        .sort((a, b) => a.name.localeCompare(b.name));
    });
  }

  start(id: string, opts: CallOptions = {}): Promise<void> {
    return this.operate('start', id, opts, (c, signal) => c.start({ abortSignal: signal }));
  }

  stop(id: string, opts: CallOptions = {}): Promise<void> {
    return this.operate('stop', id, opts, (c, signal) => c.stop({ t: this.stopGraceS(opts), abortSignal: signal }));
  }

  restart(id: string, opts: CallOptions = {}): Promise<void> {
    return this.operate('restart', id, opts, (c, signal) => c.restart({ t: this.stopGraceS(opts), abortSignal: signal }));
  }

  pause(id: string, opts: CallOptions = {}): Promise<void> {
    return this.operate('pause', id, opts, (c, signal) => c.pause({ abortSignal: signal }));
  }

  unpause(id: string, opts: CallOptions = {}): Promise<void> {
    return this.operate('unpause', id, opts, (c, signal) => c.unpause({ abortSignal: signal }));
  }

  logs(id: string, lines: number, opts: CallOptions = {}): Promise<string[]> {
    if (!Number.isInteger(lines) || lines < 0 || lines > MAX_LOG_LINES) {
      return Promise.reject(new SfpipeError('invalid-input', 'docker', `logs of ${id}: asked for ${String(lines)} lines`, { hint: `ask for a whole number of lines from 0 to ${MAX_LOG_LINES}` }));
    }
    return this.call(`read the logs of ${id}`, opts, async (signal) => {
      if (lines === 0) return [];
      const tty = await this.ttyOf(id, signal);
      const stream = await this.openStream(`/containers/${encodeURIComponent(id)}/logs?`, { stdout: true, stderr: true, follow: false, tail: lines }, signal);
      return readLastLines(stream, new LogLineDecoder(!tty), lines, signal);
    });
  }

  followLogs(id: string, onLine: (line: string) => void, onError: (err: Error) => void, opts: CallOptions = {}): Promise<LogFollower> {
    const what = `follow the logs of ${id}`;
    return this.call(what, opts, async (signal) => {
      const tty = await this.ttyOf(id, signal);
      const stream = await this.openStream(`/containers/${encodeURIComponent(id)}/logs?`, { stdout: true, stderr: true, follow: true, tail: 0 }, signal);
      if (signal.aborted || this.closed) {
        // the call gave up while the stream was opening: nobody will ever stop this one
        stream.on('error', () => undefined);
        stream.destroy();
        throw new SfpipeError('timeout', 'docker', `${what}: cancelled`);
      }
      return this.follow(stream, new LogLineDecoder(!tty), { what, onLine, onError, signal: opts.signal });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stats.close();
    for (const f of [...this.followers]) f.stop();
    this.details.clear();
    this.agent?.destroy();
  }

  /** Open stats subscriptions (for tests and benchmarks). */
  statsSubscriptions(): number {
    return this.stats.size;
  }

  // ---- plumbing ----------------------------------------------------------------------

  private call<T>(what: string, opts: CallOptions, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new SfpipeError('internal', 'docker', `${what}: the Docker adapter is closed`));
    return withTimeout(
      async (signal) => {
        try {
          return await work(signal);
        } catch (err) {
          throw toDockerError(err, what, this.engine);
        }
      },
      { timeoutMs: opts.timeoutMs ?? this.timeoutMs, clock: this.clock, source: 'docker', what, ...(opts.signal ? { signal: opts.signal } : {}) },
    );
  }

  private operate(verb: string, id: string, opts: CallOptions, op: (c: Docker.Container, signal: AbortSignal) => Promise<unknown>): Promise<void> {
    return this.call(`${verb} ${id}`, opts, async (signal) => {
      try {
        await op(this.docker.getContainer(id), signal);
      } catch (err) {
        // 304: already started / already stopped — the container is where the caller wants it.
        if ((err as { statusCode?: unknown }).statusCode === 304) return;
        throw err;
      }
    });
  }

  /** Seconds the engine waits for the container to stop before killing it: well inside our own timeout. */
  private stopGraceS(opts: CallOptions): number {
    const budget = (opts.timeoutMs ?? this.timeoutMs) - STOP_MARGIN_MS;
    return Math.max(0, Math.min(MAX_STOP_GRACE_S, Math.floor(budget / 1000)));
  }

  private async inspect(id: string, signal: AbortSignal, signature: string): Promise<InspectedDetails | undefined> {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.docker.getContainer(id).inspect({ abortSignal: signal });
    } catch (err) {
      if ((err as { statusCode?: unknown }).statusCode === 404) return undefined;
      throw err;
    }
    const state = info.State;
    return {
      signature,
      startedAt: dockerTime(state?.StartedAt),
      finishedAt: dockerTime(state?.FinishedAt),
      restartCount: typeof info.RestartCount === 'number' ? info.RestartCount : 0,
      exitCode: typeof state?.ExitCode === 'number' ? state.ExitCode : undefined,
      health: healthOf(state?.Health?.Status),
      tty: info.Config?.Tty === true,
    };
  }

  /** Whether the container has a TTY (its logs are then raw, not multiplexed): cached from the list, else inspected. */
  private async ttyOf(id: string, signal: AbortSignal): Promise<boolean> {
    const cached = this.details.get(id);
    if (cached) return cached.tty;
    const d = await this.inspect(id, signal, '');
    if (!d) throw new SfpipeError('not-found', 'docker', `no container ${id}`, { hint: 'it may have been removed; refresh the container list' });
    return d.tty;
  }

  private toInfo(c: ListedContainer, status: ListedStatus): ContainerInfo {
    const d = this.details.get(c.Id);
    const active = isActive(c.State);
    const ended = c.State === 'exited' || c.State === 'dead' || c.State === 'restarting';
    const sample = active ? this.stats.sample(c.Id) : undefined;
    return {
      id: c.Id,
      name: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
      service: c.Labels?.[COMPOSE_SERVICE_LABEL],
      image: c.Image,
      state: c.State,
      // a paused container's Status has no health in it: the inspected one stands
      health: active ? (status.health ?? d?.health ?? 'none') : 'none',
      startedAt: active ? d?.startedAt : undefined,
      restartCount: d?.restartCount ?? 0,
      exitCode: ended ? (status.exitCode ?? d?.exitCode) : undefined,
      cpuPercent: sample?.cpuPercent,
      memoryBytes: sample?.memoryBytes,
      memoryLimitBytes: sample?.memoryLimitBytes,
    };
  }

  /** A streaming GET through the modem: the response body as a stream, the request aborted by `signal`. */
  private openStream(path: string, query: Record<string, unknown>, signal: AbortSignal): Promise<Readable> {
    return new Promise((resolve, reject) => {
      this.docker.modem.dial(
        { path, method: 'GET', options: query, isStream: true, abortSignal: signal, statusCodes: { 200: true, 404: 'no such container', 500: 'server error' } },
        (err, result) => (err ? reject(err) : resolve(result as IncomingMessage)),
      );
    });
  }

  private follow(
    stream: Readable,
    decoder: LogLineDecoder,
    f: { what: string; onLine: (line: string) => void; onError: (err: Error) => void; signal: AbortSignal | undefined },
  ): LogFollower {
    let stopped = false;
    const follower: LogFollower = {
      stop: () => {
        if (stopped) return;
        stopped = true;
        f.signal?.removeEventListener('abort', follower.stop);
        this.followers.delete(follower);
        stream.destroy();
      },
    };
    // A throwing callback is the caller's bug; it must not become an uncaught exception in a stream handler.
    const report = (err: SfpipeError) => {
      follower.stop();
      try {
        f.onError(err);
      } catch {
        /* nothing left to tell */
      }
    };
    const emit = (lines: string[]) => {
      try {
        for (const line of lines) if (!stopped) f.onLine(line);
      } catch (err) {
        report(toSfpipeError(err, 'docker'));
      }
    };
    stream.on('data', (chunk: Buffer) => {
      if (!stopped) emit(decoder.push(chunk));
    });
    stream.on('end', () => {
      if (stopped) return;
      emit(decoder.end());
      report(new SfpipeError('not-found', 'docker', `${f.what}: the log stream ended (the container stopped or was removed)`));
    });
    stream.on('error', (err) => {
      if (!stopped) report(toDockerError(err, f.what, this.engine));
    });
    this.followers.add(follower);
    if (f.signal?.aborted) follower.stop();
    else f.signal?.addEventListener('abort', follower.stop, { once: true });
    return follower;
  }
}

function isActive(state: string): boolean {
  return state === 'running' || state === 'paused';
}

/** Reads a finished log stream, keeping only the last `count` lines (memory bounded by `count`). */
function readLastLines(stream: Readable, decoder: LogLineDecoder, count: number, signal: AbortSignal): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const kept: string[] = [];
    const keep = (lines: string[]) => {
      kept.push(...lines);
      if (kept.length > count) kept.splice(0, kept.length - count);
    };
    const onAbort = () => {
      stream.destroy();
      reject(new SfpipeError('timeout', 'docker', 'reading the logs was cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => keep(decoder.push(chunk)));
    stream.on('end', () => {
      signal.removeEventListener('abort', onAbort);
      keep(decoder.end());
      resolve(kept);
    });
    stream.on('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      reject(err);
    });
  });
}

export function createDockerService(options: DockerAdapterOptions): DockerAdapter {
  return new DockerAdapter(options);
}
