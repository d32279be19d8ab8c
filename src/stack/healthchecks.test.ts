/**
 * The HTTP healthchecks in docker-compose.yml are bash one-liners (the Confluent images have no
 * curl). Run each against a local HTTP server to prove it passes on 200 (with the plugins, for
 * Connect) and fails otherwise.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
type Service = { healthcheck?: { test?: string[] } };
const services = (yaml.load(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')) as { services: Record<string, Service> }).services;

let reply: { status: number; body: string } = { status: 200, body: '' };
let lastPath = '';
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    lastPath = req.url ?? '';
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Run a service's healthcheck (compose's $$ is a literal $) against the local server; true on exit 0. */
async function healthy(service: string): Promise<boolean> {
  const test = services[service]?.healthcheck?.test ?? [];
  expect(test.slice(0, 3)).toEqual(['CMD', 'bash', '-c']);
  const script = (test[3] ?? '').replace(/\$\$/g, '$').replace(/\/dev\/tcp\/127\.0\.0\.1\/\d+/, `/dev/tcp/127.0.0.1/${port}`);
  try {
    await run('bash', ['-c', script], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

const PLUGINS = JSON.stringify([
  { class: 'io.confluent.kafka.connect.datagen.DatagenConnector', type: 'source', version: '0.7.1' },
  { class: 'com.snowflake.kafka.connector.SnowflakeStreamingSinkConnector', type: 'sink', version: '4.1.0' },
]);

describe('compose healthchecks', () => {
  it('schema-registry: healthy on 200 from /subjects, not on 500', async () => {
    reply = { status: 200, body: '[]' };
    expect(await healthy('schema-registry')).toBe(true);
    expect(lastPath).toBe('/subjects');
    reply = { status: 500, body: '{}' };
    expect(await healthy('schema-registry')).toBe(false);
  });

  it('connect: healthy only when both plugins are listed', async () => {
    reply = { status: 200, body: PLUGINS };
    expect(await healthy('connect')).toBe(true);
    expect(lastPath).toBe('/connector-plugins');
    reply = { status: 200, body: PLUGINS.replace('DatagenConnector', 'Other') };
    expect(await healthy('connect')).toBe(false);
    reply = { status: 200, body: PLUGINS.replace('SnowflakeStreamingSinkConnector', 'SnowflakeSinkConnector') };
    expect(await healthy('connect')).toBe(true);
    reply = { status: 503, body: PLUGINS };
    expect(await healthy('connect')).toBe(false);
  });

  it('control-center, prometheus, alertmanager: healthy on 200 only', async () => {
    for (const s of ['control-center', 'prometheus', 'alertmanager']) {
      reply = { status: 200, body: 'ok' };
      expect(await healthy(s)).toBe(true);
      reply = { status: 404, body: 'no' };
      expect(await healthy(s)).toBe(false);
    }
  });

  it('fails when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const saved = port;
    port = freePort;
    try {
      expect(await healthy('schema-registry')).toBe(false);
    } finally {
      port = saved;
    }
  });
});
