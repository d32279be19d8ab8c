/**
 * SqlRunner over snowflake-sdk: one session per runner (USE ROLE / USE SCHEMA carry over from
 * statement to statement, as in SnowSQL), opened on the first statement. Every call is bounded
 * in time and cancels its statement on timeout or abort; errors name file:line and the
 * Snowflake error code and never quote the statement (it may hold literals).
 */
import type { Connection, SnowflakeError } from 'snowflake-sdk';
import type { SnowflakeConnection } from '../../config/schema.js';
import { toConnectionOptions } from '../../config/snowflake-options.js';
import type { Clock } from '../../domain/clock.js';
import { SfpipeError, type ErrorKind } from '../../domain/errors.js';
import { withTimeout } from '../timeout.js';
import type { CallOptions, SqlLocation, SqlRunner } from '../types.js';
import { snowflakeSdk } from './sdk.js';


export interface SqlRunnerOptions {
  clock: Clock;
  connectTimeoutMs?: number;
  /** default per statement; a caller's opts.timeoutMs wins */
  statementTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
const DEFAULT_STATEMENT_TIMEOUT_MS = 120_000;

export function createSqlRunner(connection: SnowflakeConnection, options: SqlRunnerOptions): SqlRunner {
  let session: Promise<Connection> | undefined;
  const { clock } = options;

  const open = (signal?: AbortSignal): Promise<Connection> => {
    session ??= withTimeout(
      async () => {
        // loaded now, not when sfpipe starts (see sdk.ts)
        const snowflake = await snowflakeSdk();
        return new Promise<Connection>((resolve, reject) => {
          // toConnectionOptions decrypts the key here, so a wrong passphrase is one clear error
          const conn = snowflake.createConnection(toConnectionOptions(connection));
          conn.connect((err) => (err ? reject(loginError(err, connection)) : resolve(conn)));
        });
      },
      { timeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, clock, source: 'snowflake', what: `log in to Snowflake (connection ${connection.name})`, signal },
    ).catch((err: unknown) => {
      session = undefined; // the next statement may try again
      throw err;
    });
    return session;
  };

  return {
    async run(statement: string, at: SqlLocation, opts: CallOptions = {}): Promise<Record<string, unknown>[]> {
      const where = `${at.file}:${at.line}`;
      const conn = await open(opts.signal).catch((err: unknown) => {
        throw err instanceof SfpipeError ? new SfpipeError(err.kind, err.source, err.message, { location: where, hint: err.hint, cause: err }) : err;
      });
      let stmt: { cancel(cb?: () => void): void } | undefined;
      return withTimeout(
        (signal) =>
          new Promise<Record<string, unknown>[]>((resolve, reject) => {
            stmt = conn.execute({
              sqlText: statement,
              complete: (err: SnowflakeError | undefined, _s: unknown, rows?: unknown[]) =>
                err ? reject(statementError(err, where)) : resolve((rows ?? []) as Record<string, unknown>[]),
            });
            signal.addEventListener('abort', () => stmt?.cancel(() => undefined), { once: true });
          }),
        { timeoutMs: opts.timeoutMs ?? options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS, clock, source: 'snowflake', what: `statement at ${where}`, signal: opts.signal },
      ).catch((err: unknown) => {
        if (err instanceof SfpipeError && err.location === undefined) throw new SfpipeError(err.kind, err.source, err.message, { location: where, hint: err.hint, cause: err });
        throw err;
      });
    },

    async close(): Promise<void> {
      const pending = session;
      session = undefined;
      if (!pending) return;
      const conn = await pending.catch(() => undefined);
      if (!conn?.isUp()) return;
      await withTimeout(() => new Promise<void>((resolve) => conn.destroy(() => resolve())), { timeoutMs: 10_000, clock, source: 'snowflake', what: 'log out of Snowflake' }).catch(() => undefined);
    },
  };
}

/** "001003 (42000): SQL compilation error: …" — code first, first line of the message only. */
export function statementError(err: SnowflakeError, where: string): SfpipeError {
  const code = err.code === undefined ? undefined : String(err.code);
  const text = firstLine(err.message).replace(/^\d{6} \(\w+\):\s*/, '');
  const label = code ? `Snowflake error ${code}${err.sqlState ? ` (${err.sqlState})` : ''}` : 'Snowflake error';
  return new SfpipeError(kindOf(code), 'snowflake', `${label}: ${text}`, {
    location: where,
    hint: 'fix the statement at this line (or the object it needs), then re-run: the scripts are safe to re-run',
  });
}

function loginError(err: SnowflakeError, connection: SnowflakeConnection): SfpipeError {
  const code = err.code === undefined ? undefined : String(err.code);
  return new SfpipeError(code === '390144' || code === '390100' || code === '390318' ? 'auth' : 'unreachable', 'snowflake', `cannot log in (connection ${connection.name}): ${code ? `${code} ` : ''}${firstLine(err.message)}`, {
    hint: 'check the connection with `sfpipe doctor`',
  });
}

function kindOf(code: string | undefined): ErrorKind {
  if (code === undefined) return 'bad-response';
  if (code === '002003' || code === '002043') return 'not-found'; // object does not exist or not authorized
  if (code === '003001' || code === '390144') return 'auth';
  if (code === '000604' || code === '000630') return 'timeout'; // cancelled / statement timeout
  return 'invalid-input';
}

function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0]!.trim();
}
