/**
 * The Kafka Connect adapter: its REST API over Node's fetch.
 *
 * list() is exactly one request (GET /connectors?expand=status&expand=info). Every request is
 * bounded twice: by withTimeout (the injected clock, what callers rely on) and by
 * AbortSignal.timeout on the fetch itself, so a hung worker never holds a socket past the call.
 * A 409 (rebalance in progress) is retried with bounded exponential backoff inside the same
 * time budget; redirects are refused (they could lead off loopback).
 */
import { systemClock, type Clock } from '../../domain/clock.js';
import { SfpipeError, toSfpipeError } from '../../domain/errors.js';
import type { ConnectorInfo } from '../../domain/model.js';
import { isSecretKey } from '../../connectors/secrets.js';
import { withTimeout } from '../timeout.js';
import type { CallOptions, ConnectService, ConnectorPlugin, RestartOptions } from '../types.js';
import { hintFor, httpError, parseJsonBody } from './http.js';
import { parseConnectors, parsePlugins } from './parse.js';
import { connectBaseUrl } from './url.js';

export interface ConnectAdapterOptions {
  /** Connect REST base URL, e.g. http://127.0.0.1:8083 */
  url: string;
  clock?: Clock;
  /** per-call timeout when the caller gives none; default 10 s */
  timeoutMs?: number;
  /** retries of a 409 (rebalance) before giving up; default 6 */
  rebalanceRetries?: number;
  /** first backoff after a 409, doubled each retry up to maxBackoffMs; default 250 ms */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** for jitter; default Math.random */
  random?: () => number;
  /** for tests: the fetch to use (e.g. one that counts requests) */
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** The biggest body read; a list of hundreds of connectors with configs is far below it. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

interface Answer {
  status: number;
  body: string;
}

interface RequestSpec {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  /** values to scrub from whatever comes back (the secrets the request carried) */
  secrets?: readonly string[];
}

export class ConnectAdapter implements ConnectService {
  private readonly base: string;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly random: () => number;
  private readonly fetch: typeof fetch;
  /** aborted by close(): every request in flight gives up */
  private readonly lifetime = new AbortController();

  constructor(options: ConnectAdapterOptions) {
    this.base = connectBaseUrl(options.url);
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = options.rebalanceRetries ?? 6;
    this.backoffMs = options.backoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 2_000;
    this.random = options.random ?? Math.random;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  list(opts: CallOptions = {}): Promise<ConnectorInfo[]> {
    const what = 'list connectors';
    return this.call(what, opts, async (signal, timeoutMs) => {
      const answer = await this.request({ method: 'GET', path: '/connectors?expand=status&expand=info' }, what, signal, timeoutMs);
      return parseConnectors(parseJsonBody(answer.body, answer.status, what), what);
    });
  }

  pause(name: string, opts: CallOptions = {}): Promise<void> {
    return this.simple('PUT', name, 'pause', `pause connector ${name}`, opts);
  }

  resume(name: string, opts: CallOptions = {}): Promise<void> {
    return this.simple('PUT', name, 'resume', `resume connector ${name}`, opts);
  }

  stop(name: string, opts: CallOptions = {}): Promise<void> {
    return this.simple('PUT', name, 'stop', `stop connector ${name}`, opts);
  }

  restart(name: string, restart: RestartOptions, opts: CallOptions = {}): Promise<void> {
    const query = `?includeTasks=${String(restart.includeTasks)}&onlyFailed=${String(restart.onlyFailed)}`;
    return this.simple('POST', name, `restart${query}`, `restart connector ${name}`, opts);
  }

  restartTask(name: string, taskId: number, opts: CallOptions = {}): Promise<void> {
    if (!Number.isInteger(taskId) || taskId < 0) {
      return Promise.reject(new SfpipeError('invalid-input', 'connect', `restart task ${String(taskId)} of ${name}: a task id is a whole number from 0`));
    }
    return this.simple('POST', name, `tasks/${taskId}/restart`, `restart task ${taskId} of connector ${name}`, opts);
  }

  delete(name: string, opts: CallOptions = {}): Promise<void> {
    return this.simple('DELETE', name, '', `delete connector ${name}`, opts);
  }

  deploy(name: string, config: Record<string, string>, opts: CallOptions = {}): Promise<'created' | 'updated'> {
    const what = `deploy connector ${name}`;
    const bad = checkName(name, what) ?? checkConfig(config, what);
    if (bad) return Promise.reject(bad);
    const secrets = Object.entries(config)
      .filter(([k]) => isSecretKey(k))
      .map(([, v]) => v);
    return this.call(what, opts, async (signal, timeoutMs) => {
      const answer = await this.request({ method: 'PUT', path: `${connectorPath(name)}/config`, body: config, secrets }, what, signal, timeoutMs);
      if (answer.status === 201) return 'created';
      if (answer.status === 200) return 'updated';
      throw new SfpipeError('bad-response', 'connect', `${what}: unexpected HTTP ${answer.status} (Connect answers 201 for a new connector, 200 for an update)`);
    });
  }

  plugins(opts: CallOptions = {}): Promise<ConnectorPlugin[]> {
    const what = 'list connector plugins';
    return this.call(what, opts, async (signal, timeoutMs) => {
      const answer = await this.request({ method: 'GET', path: '/connector-plugins' }, what, signal, timeoutMs);
      return parsePlugins(parseJsonBody(answer.body, answer.status, what), what);
    });
  }

  async close(): Promise<void> {
    this.lifetime.abort();
  }

  // ---- plumbing ----------------------------------------------------------------------

  private simple(method: RequestSpec['method'], name: string, action: string, what: string, opts: CallOptions): Promise<void> {
    const bad = checkName(name, what);
    if (bad) return Promise.reject(bad);
    const path = action ? `${connectorPath(name)}/${action}` : connectorPath(name);
    return this.call(what, opts, async (signal, timeoutMs) => {
      await this.request({ method, path }, what, signal, timeoutMs);
    });
  }

  private call<T>(what: string, opts: CallOptions, work: (signal: AbortSignal, timeoutMs: number) => Promise<T>): Promise<T> {
    if (this.lifetime.signal.aborted) return Promise.reject(new SfpipeError('internal', 'connect', `${what}: the Connect adapter is closed`));
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const outer = opts.signal ? AbortSignal.any([opts.signal, this.lifetime.signal]) : this.lifetime.signal;
    return withTimeout((signal) => work(AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]), timeoutMs), { timeoutMs, clock: this.clock, source: 'connect', what, signal: outer });
  }

  /** One logical request: 2xx answers come back, 409s are retried with backoff, the rest become SfpipeErrors. */
  private async request(spec: RequestSpec, what: string, signal: AbortSignal, timeoutMs: number): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const answer = await this.send(spec, what, signal, timeoutMs);
      if (answer.status >= 200 && answer.status < 300) return answer;
      if (answer.status === 409 && attempt < this.retries) {
        await this.sleep(this.backoff(attempt), signal);
        continue;
      }
      const err = httpError(answer.status, answer.body, what, spec.secrets);
      if (answer.status !== 409) throw err;
      throw new SfpipeError('conflict', 'connect', `${err.message} (still rebalancing after ${attempt + 1} tries)`, { hint: err.hint });
    }
  }

  private async send(spec: RequestSpec, what: string, signal: AbortSignal, timeoutMs: number): Promise<Answer> {
    let res: Response;
    try {
      res = await this.fetch(`${this.base}${spec.path}`, {
        method: spec.method,
        headers: spec.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
        redirect: 'error',
        signal,
      });
    } catch (err) {
      throw this.networkError(err, what, signal, timeoutMs);
    }
    try {
      return { status: res.status, body: await readBody(res, what) };
    } catch (err) {
      if (err instanceof SfpipeError || signal.aborted) throw this.networkError(err, what, signal, timeoutMs);
      // it answered, then the body broke off: a garbled answer, not a missing worker
      const detail = toSfpipeError((err as { cause?: unknown }).cause ?? err, 'connect').message;
      throw new SfpipeError('bad-response', 'connect', `${what}: HTTP ${res.status}, then the answer was cut off: ${detail}`, { hint: hintFor('bad-response'), cause: err });
    }
  }

  private networkError(err: unknown, what: string, signal: AbortSignal, timeoutMs: number): SfpipeError {
    if (err instanceof SfpipeError) return err;
    if (signal.aborted) return new SfpipeError('timeout', 'connect', `${what}: no answer within ${timeoutMs} ms`, { hint: hintFor('timeout') });
    // fetch wraps the socket error: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' … } })
    const cause = (err as { cause?: unknown }).cause ?? err;
    const wrapped = toSfpipeError(cause, 'connect', 'unreachable');
    const kind = wrapped.kind === 'internal' ? 'unreachable' : wrapped.kind;
    return new SfpipeError(kind, 'connect', `${what}: cannot reach Kafka Connect at ${this.base}: ${wrapped.message}`, { hint: hintFor(kind), cause: err });
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** attempt);
    return ceiling / 2 + (this.random() * ceiling) / 2;
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.clock.clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      // resolving on abort is enough: the next send sees the aborted signal and fails at once
      const timer = this.clock.setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

const connectorPath = (name: string) => `/connectors/${encodeURIComponent(name)}`;

function checkName(name: string, what: string): SfpipeError | undefined {
  return typeof name === 'string' && name.trim() !== '' ? undefined : new SfpipeError('invalid-input', 'connect', `${what}: a connector needs a name`);
}

function checkConfig(config: Record<string, string>, what: string): SfpipeError | undefined {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return new SfpipeError('invalid-input', 'connect', `${what}: the config must be an object of strings`);
  for (const [key, value] of Object.entries(config)) {
    // the value itself is never shown: it may be a key or a passphrase
    if (typeof value !== 'string') return new SfpipeError('invalid-input', 'connect', `${what}: config.${key} is a ${typeof value}, not a string`, { location: `config.${key}`, hint: 'Connect takes every setting as a string' });
  }
  return undefined;
}

/** The body as text, at most MAX_BODY_BYTES (a bigger answer is not Connect's). */
async function readBody(res: Response, what: string): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new SfpipeError('bad-response', 'connect', `${what}: the answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`, { hint: hintFor('bad-response') });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createConnectService(options: ConnectAdapterOptions): ConnectAdapter {
  return new ConnectAdapter(options);
}
