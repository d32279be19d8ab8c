/**
 * Entry point of the Schema Registry stand-in, started detached by harness/schema-registry.ts:
 *   node --import tsx harness/schema-registry/main.ts --host 127.0.0.1 --port 18081 --data <file>
 */
import { parseArgs } from 'node:util';
import { createRegistryServer } from './server.js';
import { RegistryStore } from './store.js';

const { values } = parseArgs({ options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string' }, data: { type: 'string' } } });
const host = values.host ?? '127.0.0.1';
const port = Number(values.port);
if (!['127.0.0.1', '::1', 'localhost'].includes(host)) throw new Error(`refusing to listen on ${host}: loopback only`);
if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`--port must be a TCP port, got ${values.port}`);

const server = createRegistryServer(new RegistryStore(values.data));
server.listen(port, host, () => {
  process.stdout.write(`${new Date().toISOString()} schema registry stand-in listening on http://${host}:${port} (pid ${process.pid}, data ${values.data ?? 'in memory'})\n`);
});
const stop = () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref(); // a client holding a connection open does not keep us up
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
