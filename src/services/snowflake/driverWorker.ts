/**
 * The Snowflake driver thread: snowflake-sdk (through sdkDriver) answering driverThread.ts's
 * requests. It holds no logic of its own — retries, timeouts and error wording stay with the
 * session on the console's thread.
 */
import { parentPort } from 'node:worker_threads';
import { log, routeProcessWarningsToLog } from '../../log/fileLog.js';
import { sdkDriver, type DriverConnection, type RunningStatement } from './driver.js';
import { toWireError, type FromWorker, type ToWorker } from './driverWire.js';
import type { Row } from './rows.js';

const port = parentPort;
if (!port) throw new Error('driverWorker.ts runs as a worker thread (see driverThread.ts)');

// Whatever the driver prints (the AWS SDK's Node-version warning …) goes to sfpipe's log.
routeProcessWarningsToLog();
for (const [name, stream] of [
  ['stdout', process.stdout],
  ['stderr', process.stderr],
] as const) {
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    for (const line of String(chunk).split('\n')) if (line.trim()) log('warn', `snowflake driver ${name}: ${line}`);
    const done = rest.find((r): r is () => void => typeof r === 'function');
    done?.();
    return true;
  }) as typeof stream.write;
}

const driver = sdkDriver();
const connections = new Map<number, DriverConnection>();
const statements = new Map<number, RunningStatement>();

const reply = (id: number, conn: number, result: { ok: true; rows?: Row[] } | { ok: false; error: unknown }): void => {
  const up = connections.get(conn)?.isUp() ?? false;
  const message: FromWorker = result.ok ? { id, up, ok: true, ...(result.rows ? { rows: result.rows } : {}) } : { id, up, ok: false, error: toWireError(result.error) };
  try {
    port.postMessage(message);
  } catch (err) {
    // rows that cannot be cloned: the statement fails rather than never answering
    port.postMessage({ id, up, ok: false, error: toWireError(err) } satisfies FromWorker);
  }
};

port.on('message', (m: ToWorker) => {
  switch (m.op) {
    case 'connect': {
      const conn = driver.connection(m.options);
      connections.set(m.conn, conn);
      void conn.connect().then(
        () => reply(m.id, m.conn, { ok: true }),
        (error: unknown) => {
          connections.delete(m.conn);
          reply(m.id, m.conn, { ok: false, error });
        },
      );
      return;
    }
    case 'execute': {
      const conn = connections.get(m.conn);
      // 407002 is the driver's own "connection not up": the session logs in again.
      if (!conn) return reply(m.id, m.conn, { ok: false, error: Object.assign(new Error('the Snowflake connection is gone'), { code: '407002' }) });
      const statement = conn.execute(m.sqlText, m.parameters);
      statements.set(m.id, statement);
      void statement.rows
        .then(
          (rows) => reply(m.id, m.conn, { ok: true, rows }),
          (error: unknown) => reply(m.id, m.conn, { ok: false, error }),
        )
        .finally(() => statements.delete(m.id));
      return;
    }
    case 'cancel':
      statements.get(m.target)?.cancel();
      return;
    case 'destroy': {
      const conn = connections.get(m.conn);
      connections.delete(m.conn);
      void (conn ? conn.destroy() : Promise.resolve()).then(() => reply(m.id, m.conn, { ok: true }));
      return;
    }
  }
});
