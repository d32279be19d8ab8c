/**
 * What SnowflakeSession needs of a snowflake-sdk connection, as promises: log in, run a
 * statement (cancellable), log out. Two implementations: sdkDriver() runs snowflake-sdk on the
 * calling thread; threadDriver() (driverThread.ts, the session's default) runs that same
 * sdkDriver on a worker thread, so loading the driver (~0.3 s of CPU: it pulls in the AWS,
 * Azure and Google SDKs) and its work never hold up the console's thread.
 */
import type { Connection, ConnectionOptions } from 'snowflake-sdk';
import type { Row } from './rows.js';
import { snowflakeSdk } from './sdk.js';

export interface RunningStatement {
  /** the rows, or the driver's error */
  rows: Promise<Row[]>;
  /** ask the server to stop the statement (best effort; the rows promise may still settle) */
  cancel(): void;
}

export interface DriverConnection {
  /** log in; rejects with the driver's error */
  connect(): Promise<void>;
  isUp(): boolean;
  /** log out and forget the connection; never rejects */
  destroy(): Promise<void>;
  execute(sqlText: string, parameters: Record<string, unknown>): RunningStatement;
}

export interface SnowflakeDriver {
  connection(options: ConnectionOptions): DriverConnection;
}

/** snowflake-sdk on this thread (loaded at the first connection). */
export function sdkDriver(load: () => Promise<{ createConnection(options: ConnectionOptions): Connection }> = snowflakeSdk): SnowflakeDriver {
  return {
    connection(options) {
      let conn: Connection | undefined;
      let connecting: Promise<void> | undefined;
      const created = load().then((sdk) => (conn = sdk.createConnection(options)));
      created.catch(() => undefined); // reported by connect()
      return {
        connect: () =>
          (connecting = created.then(
            (c) =>
              new Promise<void>((resolve, reject) => {
                c.connect((err) => (err ? reject(err) : resolve()));
              }),
          )),
        isUp: () => conn?.isUp() ?? false,
        destroy: async () => {
          const c = await created.catch(() => undefined);
          if (!c) return;
          // a login still in flight is let finish, so that it is logged out rather than left open
          await connecting?.catch(() => undefined);
          await new Promise<void>((resolve) => {
            try {
              if (!c.isUp()) return resolve();
              c.destroy(() => resolve());
            } catch {
              resolve();
            }
          });
        },
        execute: (sqlText, parameters) => {
          let handle: { cancel(cb?: () => void): void } | undefined;
          const rows = new Promise<Row[]>((resolve, reject) => {
            if (!conn) return reject(new Error('not logged in to Snowflake'));
            handle = conn.execute({
              sqlText,
              parameters,
              complete: (err, _stmt, result) => (err ? reject(err) : resolve((result ?? []) as Row[])),
            });
          });
          return {
            rows,
            cancel: () => {
              try {
                handle?.cancel(() => undefined);
              } catch {
                // best effort: the statement's server-side timeout stops it anyway
              }
            },
          };
        },
      };
    },
  };
}
