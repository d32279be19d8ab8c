/**
 * One snowflake-sdk connection, kept open between refreshes and used for every statement.
 *
 * - Every statement carries STATEMENT_TIMEOUT_IN_SECONDS (as a statement-level session
 *   parameter) so Snowflake itself stops it at the call's deadline, and a client-side abort
 *   cancels it (stmt.cancel) the moment the caller stops waiting.
 * - A session that is gone (expired, logged out, connection lost: isSessionGone) is logged in
 *   again and the statement retried, once.
 * - The driver runs on its own thread by default (driverThread.ts): loading it and decoding its
 *   answers never hold up the console. It logs nothing: its logger is switched off when it loads
 *   (sdk.ts, at the first login), and what it still prints goes to sfpipe's log.
 * - Login options are built at each login (connectionOptions()), so a key file that is fixed
 *   while sfpipe runs is picked up, and a bad one is an error of that call, not a crash.
 */
import type { ConnectionOptions } from 'snowflake-sdk';
import type { Clock } from '../../domain/clock.js';
import { SfpipeError } from '../../domain/errors.js';
import type { DriverConnection, RunningStatement, SnowflakeDriver } from './driver.js';
import { threadDriver } from './driverThread.js';
import { isSessionGone, toSnowflakeError, type ErrorContext } from './errors.js';
import type { Statement, StatementCost } from './queries.js';
import type { Row } from './rows.js';

/** Login attempts the driver makes before giving up (its default retries for minutes). */
const LOGIN_RETRIES = 1;

export interface SessionStats {
  logins: number;
  /** logins after a session was found gone */
  reconnects: number;
  /** statements cancelled because their caller stopped waiting */
  cancelled: number;
  /** statements sent, by what they cost */
  statements: Record<StatementCost, number>;
}

interface Login {
  conn: DriverConnection | undefined;
  /** its callers stopped waiting: close the connection if it still comes up */
  abandoned: boolean;
  done: Promise<DriverConnection>;
}

export interface SessionOptions extends ErrorContext {
  connectionOptions: () => ConnectionOptions;
  clock: Clock;
  /** default: snowflake-sdk on the process's driver thread (driverThread.ts) */
  driver?: SnowflakeDriver;
}

export class SnowflakeSession {
  private conn: DriverConnection | undefined;
  private login: Login | undefined;
  private readonly stats: SessionStats = { logins: 0, reconnects: 0, cancelled: 0, statements: { metadata: 0, warehouse: 0 } };
  private readonly driver: SnowflakeDriver;

  constructor(private readonly options: SessionOptions) {
    this.driver = options.driver ?? threadDriver();
  }

  counters(): SessionStats {
    return { ...this.stats, statements: { ...this.stats.statements } };
  }

  /** Run one statement by `deadline` (epoch ms on the session's clock); rejects with SfpipeError. */
  async query(statement: Statement, signal: AbortSignal, deadline: number): Promise<Row[]> {
    let conn = await this.connection(signal);
    try {
      return await this.execute(conn, statement, signal, deadline);
    } catch (err) {
      if (signal.aborted || !isSessionGone(err)) throw this.explain(err, statement.what);
      this.drop(conn);
      this.stats.reconnects++;
      conn = await this.connection(signal);
      try {
        return await this.execute(conn, statement, signal, deadline);
      } catch (again) {
        throw this.explain(again, statement.what);
      }
    }
  }

  /** Log out; never rejects, never waits longer than timeoutMs. */
  async close(timeoutMs = 5_000): Promise<void> {
    const conns = [this.conn, this.login?.conn].filter((c): c is DriverConnection => c !== undefined);
    this.conn = undefined;
    this.login = undefined;
    await Promise.all(conns.map((c) => this.destroy(c, timeoutMs)));
  }

  // ---- connection ----------------------------------------------------------------------

  private async connection(signal: AbortSignal): Promise<DriverConnection> {
    if (this.conn?.isUp()) return this.conn;
    if (this.conn) {
      this.drop(this.conn);
      this.stats.reconnects++;
    }
    this.login ??= this.startLogin();
    const login = this.login;
    try {
      const conn = await abortable(login.done, signal, 'log in to Snowflake');
      if (this.login === login) {
        this.login = undefined;
        this.conn = conn;
      }
      return conn;
    } catch (err) {
      if (this.login === login) {
        this.login = undefined;
        // A login nobody waits for any more is abandoned, so a hung one cannot block the next call.
        login.abandoned = true;
        if (login.conn) void this.destroy(login.conn);
      }
      throw err;
    }
  }

  private startLogin(): Login {
    const login: Login = { conn: undefined, abandoned: false, done: Promise.resolve(undefined as never) };
    login.done = (async () => {
      try {
        const options = this.options.connectionOptions();
        const conn = this.driver.connection({ ...options, sfRetryMaxLoginRetries: options.sfRetryMaxLoginRetries ?? LOGIN_RETRIES });
        login.conn = conn;
        await conn.connect();
        this.stats.logins++;
        if (login.abandoned) void this.destroy(conn);
        return conn;
      } catch (err) {
        if (login.conn) void this.destroy(login.conn);
        throw this.explain(err, 'log in to Snowflake');
      }
    })();
    login.done.catch(() => undefined); // awaited by callers; one nobody awaits any more must not go unhandled
    return login;
  }

  private drop(conn: DriverConnection): void {
    if (this.conn === conn) this.conn = undefined;
    void this.destroy(conn);
  }

  /** Log out (a login still in flight is logged out when it completes); bounded, never rejects. */
  private destroy(conn: DriverConnection, timeoutMs = 5_000): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = this.options.clock.setTimeout(resolve, timeoutMs);
      const done = () => {
        this.options.clock.clearTimeout(timer);
        resolve();
      };
      conn.destroy().then(done, done);
    });
  }

  // ---- statements ----------------------------------------------------------------------

  private execute(conn: DriverConnection, statement: Statement, signal: AbortSignal, deadline: number): Promise<Row[]> {
    return new Promise<Row[]>((resolve, reject) => {
      if (signal.aborted) return reject(new SfpipeError('timeout', 'snowflake', `${statement.what}: cancelled`));
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        fn();
      };
      // Snowflake's own bound, in whole seconds, from what is left of the caller's time.
      const seconds = Math.max(1, Math.ceil((deadline - this.options.clock.now()) / 1000));
      let running: RunningStatement | undefined;
      const onAbort = () =>
        finish(() => {
          this.stats.cancelled++;
          running?.cancel();
          reject(new SfpipeError('timeout', 'snowflake', `${statement.what}: cancelled`));
        });
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        this.stats.statements[statement.cost]++;
        running = conn.execute(statement.sql, { STATEMENT_TIMEOUT_IN_SECONDS: seconds });
        running.rows.then(
          (rows) => finish(() => resolve(rows)),
          (err: unknown) => finish(() => reject(err)),
        );
      } catch (err) {
        finish(() => reject(err));
      }
    });
  }

  private explain(err: unknown, what: string): SfpipeError {
    return toSnowflakeError(err, what, this.options);
  }
}

/** The promise, or a 'timeout' rejection as soon as the signal aborts (the promise itself goes on). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) return Promise.reject(new SfpipeError('timeout', 'snowflake', `${what}: cancelled`));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new SfpipeError('timeout', 'snowflake', `${what}: cancelled`));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
