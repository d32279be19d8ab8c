/**
 * For tests: open a snowflake-sdk connection to the harness's Snowflake stand-in from the
 * env that requireServices(['snowflake']) returns (the SNOWFLAKE_* variables). The driver's
 * logger is switched off on import, so it never writes to the terminal.
 *
 *   const h = await requireServices(['snowflake']);
 *   const conn = await connectSnowflake(h.env);
 *   const rows = await sql(conn, 'SELECT 1 AS ONE');
 *   await disconnectSnowflake(conn);
 */
import type { Binds, Connection, ConnectionOptions } from 'snowflake-sdk';
import { closeConnection, connectionOptionsFromEnv, openConnection, query } from '../../harness/snowflake/client.js';
import type { SnowflakeEnv } from '../../harness/snowflake/client.js';

export type { SnowflakeEnv };
export { connectionOptionsFromEnv };

/** Connect with key-pair auth; overrides replace single options (another key, user, passphrase …). */
export function connectSnowflake(env: SnowflakeEnv, overrides: Partial<ConnectionOptions> = {}, timeoutMs?: number): Promise<Connection> {
  return openConnection(connectionOptionsFromEnv(env, overrides), timeoutMs);
}

export function sql<Row = Record<string, unknown>>(conn: Connection, sqlText: string, binds?: Binds, timeoutMs?: number): Promise<Row[]> {
  return query<Row>(conn, sqlText, binds, timeoutMs);
}

export function disconnectSnowflake(conn: Connection): Promise<void> {
  return closeConnection(conn);
}
