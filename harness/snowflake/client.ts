/**
 * A snowflake-sdk connection built from the harness's SNOWFLAKE_* variables (the names the
 * Snowflake CLI reads): used by the harness's readiness check and, through
 * test/support/snowflake.ts, by tests. Every call is bounded in time.
 *
 * The stand-in is a custom http endpoint: the driver takes host + port + protocol (it builds
 * accessUrl from them), and still requires `account` (it goes into the JWT's claims).
 */
import snowflake from 'snowflake-sdk';
import type { Binds, Connection, ConnectionOptions, SnowflakeError } from 'snowflake-sdk';

// The driver logs to the terminal by default; tests and the harness must stay quiet.
snowflake.configure({ logLevel: 'OFF', additionalLogToConsole: false });

export type SnowflakeEnv = Record<string, string | undefined>;

export const CONNECT_TIMEOUT_MS = 30_000;
export const QUERY_TIMEOUT_MS = 60_000;

/** ConnectionOptions for a key-pair (SNOWFLAKE_JWT) login from SNOWFLAKE_* variables. */
export function connectionOptionsFromEnv(env: SnowflakeEnv, overrides: Partial<ConnectionOptions> = {}): ConnectionOptions {
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set (eval "$(npm run -s harness -- env snowflake)" sets it)`);
    return value;
  };
  const host = need('SNOWFLAKE_HOST');
  const protocol = env.SNOWFLAKE_PROTOCOL ?? 'https';
  const port = env.SNOWFLAKE_PORT ?? (protocol === 'http' ? '80' : '443');
  return {
    account: need('SNOWFLAKE_ACCOUNT'),
    username: need('SNOWFLAKE_USER'),
    // the driver also reads `port` and `protocol`, but only accessUrl is in its typings
    host,
    accessUrl: `${protocol}://${host}:${port}`,
    authenticator: env.SNOWFLAKE_AUTHENTICATOR ?? 'SNOWFLAKE_JWT',
    privateKeyPath: need('SNOWFLAKE_PRIVATE_KEY_FILE'),
    ...(env.PRIVATE_KEY_PASSPHRASE ? { privateKeyPass: env.PRIVATE_KEY_PASSPHRASE } : {}),
    ...(env.SNOWFLAKE_DATABASE ? { database: env.SNOWFLAKE_DATABASE } : {}),
    ...(env.SNOWFLAKE_SCHEMA ? { schema: env.SNOWFLAKE_SCHEMA } : {}),
    ...(env.SNOWFLAKE_WAREHOUSE ? { warehouse: env.SNOWFLAKE_WAREHOUSE } : {}),
    ...(env.SNOWFLAKE_ROLE ? { role: env.SNOWFLAKE_ROLE } : {}),
    application: 'sfpipe-harness',
    ...overrides,
  };
}

/** Connect, or reject with a clear error within timeoutMs. A key the driver cannot decrypt is named, never shown. */
export async function openConnection(options: ConnectionOptions, timeoutMs = CONNECT_TIMEOUT_MS): Promise<Connection> {
  const conn = snowflake.createConnection(options);
  try {
    await bounded(
      new Promise<void>((resolve, reject) => {
        conn.connect((err) => (err ? reject(err) : resolve()));
      }),
      timeoutMs,
      `connect to Snowflake at ${describeEndpoint(options)}`,
    );
    return conn;
  } catch (err) {
    void closeConnection(conn);
    throw explainConnectError(err, options);
  }
}

/** Run one statement and collect its rows (objects keyed by column name). */
export function query<Row = Record<string, unknown>>(conn: Connection, sqlText: string, binds?: Binds, timeoutMs = QUERY_TIMEOUT_MS): Promise<Row[]> {
  let statement: { cancel(cb?: () => void): void } | undefined;
  const run = new Promise<Row[]>((resolve, reject) => {
    statement = conn.execute({
      sqlText,
      ...(binds ? { binds } : {}),
      complete: (err: SnowflakeError | undefined, _stmt: unknown, rows?: unknown[]) => (err ? reject(err) : resolve((rows ?? []) as Row[])),
    });
  });
  return bounded(run, timeoutMs, `query ${JSON.stringify(sqlText.slice(0, 60))}`).catch((err: unknown) => {
    if (err instanceof TimeoutError) statement?.cancel();
    throw err;
  });
}

/** Log out; never rejects (a connection that never logged in has nothing to close). */
export function closeConnection(conn: Connection, timeoutMs = 10_000): Promise<void> {
  return bounded(
    new Promise<void>((resolve) => {
      if (!conn.isUp()) return resolve();
      conn.destroy(() => resolve());
    }),
    timeoutMs,
    'close the Snowflake connection',
  ).catch(() => undefined);
}

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

function bounded<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer within ${Math.round(timeoutMs / 1000)}s`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describeEndpoint(options: ConnectionOptions): string {
  return options.accessUrl ?? options.host ?? `${options.account}.snowflakecomputing.com`;
}

/**
 * The driver reports a wrong passphrase as OpenSSL's "bad decrypt"; say which key file and
 * which variable instead. Messages carry the file path only, never the key or passphrase.
 */
function explainConnectError(err: unknown, options: ConnectionOptions): Error {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const keyFile = options.privateKeyPath ?? 'the private key';
  if (code === 'ERR_OSSL_BAD_DECRYPT' || /bad decrypt/i.test(String(e.message))) {
    return new Error(`could not decrypt the private key ${keyFile}: wrong passphrase (check PRIVATE_KEY_PASSPHRASE)`, { cause: err });
  }
  if (code.startsWith('ERR_OSSL') || code === 'ERR_MISSING_PASSPHRASE') {
    return new Error(`could not read the private key ${keyFile} (${code}): it must be a PEM PKCS#8 RSA key, with PRIVATE_KEY_PASSPHRASE set if it is encrypted`, { cause: err });
  }
  if (code === 'ENOENT') return new Error(`private key file not found: ${keyFile}`, { cause: err });
  return err instanceof Error ? err : new Error(String(err));
}
