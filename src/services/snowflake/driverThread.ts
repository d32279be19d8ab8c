/**
 * threadDriver(): snowflake-sdk on a worker thread (driverWorker.ts), so loading it (~0.3 s of
 * CPU) and its work run beside the console's thread instead of blocking the first frame.
 * - One thread per process, started at the first login and shared by every session; it keeps
 *   the process alive only while someone waits for an answer: a cancelled statement is
 *   forgotten at once, a logout after LOGOUT_WAIT_MS (the driver may never answer either).
 * - What the driver writes (stdout, stderr, process warnings) goes to sfpipe's log, never the
 *   terminal Ink owns: the thread writes it there itself (driverWorker.ts).
 * - A thread that dies fails what was waiting on it, as a Snowflake error like any other; its
 *   connections count as down, and the next login starts a new thread.
 */
import { Worker } from 'node:worker_threads';
import type { ConnectionOptions } from 'snowflake-sdk';
import { log } from '../../log/fileLog.js';
import type { DriverConnection, RunningStatement, SnowflakeDriver } from './driver.js';
import { fromWireError, restoreRows, toWireError, type FromWorker, type ToWorker } from './driverWire.js';

type Request = Exclude<ToWorker, { op: 'cancel' }>;

/** How long a logout may keep the process alive (at quit) waiting for the driver's answer. */
const LOGOUT_WAIT_MS = 5_000;

/** A request given up on (cancelled, or its wait is over): says nothing about the connection. */
interface Forgotten {
  id: number;
  forgotten: string;
}

interface Sent {
  id: number;
  reply: Promise<FromWorker | Forgotten>;
  /** the thread it went to */
  generation: number;
}

export class DriverThread implements SnowflakeDriver {
  private worker: Worker | undefined;
  /** bumped for each new thread: connections of an earlier one are gone */
  private generation = 0;
  private nextId = 1;
  private nextConn = 1;
  private readonly waiting = new Map<number, (m: FromWorker | Forgotten) => void>();

  connection(options: ConnectionOptions): DriverConnection {
    return new ThreadConnection(this, this.nextConn++, options);
  }

  /** Stop the thread (its connections are dropped without logging out); the next login starts another. */
  async terminate(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.stopped(w, 'terminated');
    await w.terminate();
  }

  /** Whether the thread a connection was made on still runs. */
  alive(generation: number): boolean {
    return this.worker !== undefined && this.generation === generation;
  }

  /** Send a request; with `waitMs`, its answer is given up (and the process let go) after that long. */
  send(build: (id: number) => Request, waitMs?: number): Sent {
    const id = this.nextId++;
    const reply = new Promise<FromWorker | Forgotten>((resolve) => this.waiting.set(id, resolve));
    try {
      const w = this.start();
      w.postMessage(build(id));
      w.ref();
    } catch (err) {
      // options that cannot be cloned, a thread that cannot start: this call fails, nothing else
      this.waiting.delete(id);
      return { id, reply: Promise.resolve({ id, up: false, ok: false, error: toWireError(err) }), generation: this.generation };
    }
    if (waitMs !== undefined) setTimeout(() => this.forget(id, `no answer within ${waitMs} ms`), waitMs).unref();
    return { id, reply, generation: this.generation };
  }

  /** Stop the statement sent as request `target`; nobody waits for its answer any more. */
  cancel(target: number): void {
    try {
      this.worker?.postMessage({ op: 'cancel', target } satisfies ToWorker);
    } catch {
      // best effort: the statement's server-side timeout stops it anyway
    }
    this.forget(target, 'cancelled');
  }

  /** Settle a request without its answer (which is ignored if it still comes). */
  forget(id: number, why: string): void {
    const settle = this.waiting.get(id);
    if (!settle) return;
    this.waiting.delete(id);
    if (this.waiting.size === 0) this.worker?.unref();
    settle({ id, forgotten: why });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = spawnWorker();
    this.worker = w;
    this.generation++;
    w.on('message', (m: FromWorker) => {
      const settle = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (this.waiting.size === 0) w.unref();
      settle?.(m);
    });
    w.on('error', (err: Error) => this.stopped(w, err.message));
    w.on('exit', (code: number) => this.stopped(w, `exit code ${code}`));
    // after the listeners: adding a 'message' listener refs the thread again
    w.unref();
    return w;
  }

  private stopped(w: Worker, why: string): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    if (why !== 'terminated') log('error', `the Snowflake driver thread stopped: ${why}`);
    const error = toWireError(Object.assign(new Error(`the Snowflake driver thread stopped (${why})`), { code: 'SFPIPE_DRIVER_THREAD' }));
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const [id, settle] of waiting) settle({ id, up: false, ok: false, error });
  }
}

class ThreadConnection implements DriverConnection {
  private up = false;
  private destroyed = false;
  private generation = -1;
  /** the login request while it is unanswered */
  private connecting: number | undefined;
  private loggingOut: Promise<void> | undefined;
  /** held only until the login is sent (it may hold the private key) */
  private options: ConnectionOptions | undefined;

  constructor(
    private readonly thread: DriverThread,
    private readonly conn: number,
    options: ConnectionOptions,
  ) {
    this.options = options;
  }

  async connect(): Promise<void> {
    const options = this.options ?? {};
    this.options = undefined;
    const sent = this.thread.send((id) => ({ op: 'connect', id, conn: this.conn, options }));
    this.generation = sent.generation;
    this.connecting = sent.id;
    const m = await sent.reply;
    this.connecting = undefined;
    if ('forgotten' in m) throw new Error(m.forgotten);
    this.up = m.up && !this.destroyed;
    if (!m.ok) throw fromWireError(m.error);
  }

  isUp(): boolean {
    return this.up && this.thread.alive(this.generation);
  }

  destroy(): Promise<void> {
    return (this.loggingOut ??= this.logOut());
  }

  private async logOut(): Promise<void> {
    this.destroyed = true;
    this.up = false;
    // A login in flight is nobody's concern any more (the thread logs it out when it completes),
    // so it must not hold the process open.
    if (this.connecting !== undefined) this.thread.forget(this.connecting, 'the login was given up');
    // on a thread that is gone there is nothing left to log out of
    if (!this.thread.alive(this.generation)) return;
    await this.thread.send((id) => ({ op: 'destroy', id, conn: this.conn }), LOGOUT_WAIT_MS).reply;
  }

  execute(sqlText: string, parameters: Record<string, unknown>): RunningStatement {
    const sent = this.thread.send((id) => ({ op: 'execute', id, conn: this.conn, sqlText, parameters }));
    const rows = sent.reply.then((m) => {
      if ('forgotten' in m) throw new Error(m.forgotten);
      this.up = m.up && !this.destroyed;
      if (!m.ok) throw fromWireError(m.error);
      return restoreRows(m.rows ?? []);
    });
    return { rows, cancel: () => this.thread.cancel(sent.id) };
  }
}

function spawnWorker(): Worker {
  // The thread's stdout/stderr are kept off the terminal and never read here: reading them would
  // keep the process alive whatever unref() says. The thread logs its output itself.
  const options = { stdout: true, stderr: true };
  if (import.meta.url.endsWith('.ts')) {
    // Running from source (vitest, tsx): the worker is TypeScript too, compiled by tsx in the thread.
    // (an --import tsx in the worker's execArgv is not applied to its entry: register by hand)
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./driverWorker.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(tsx)}).then((api) => api.register()).then(() => import(${JSON.stringify(entry)}));`;
    return new Worker(boot, { ...options, eval: true });
  }
  return new Worker(new URL('./driverWorker.js', import.meta.url), options);
}

let shared: DriverThread | undefined;

/** The process's one Snowflake driver thread (started at the first login). */
export function threadDriver(): DriverThread {
  shared ??= new DriverThread();
  return shared;
}
