/**
 * The Connect adapter against the harness's real distributed worker (FileStreamSource/Sink as
 * real connectors in every state the console shows), and against tiny local HTTP servers on
 * 127.0.0.1 for what a healthy worker never does on demand: answer 409 (rebalance), an HTML
 * error page, truncated JSON, or nothing at all.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServices } from '../../harness/index.js';
import { SfpipeError } from '../../src/domain/errors.js';
import type { ConnectorInfo } from '../../src/domain/model.js';
import { ConnectAdapter } from '../../src/services/connect/adapter.js';

const h = await requireServices(['kafka', 'connect']);
const run = randomUUID().slice(0, 8);
const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';

/** Poll until fn returns a value (not undefined); fails with what it waited for and the last thing seen. */
async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what} did not happen; last error: ${String(last)}`);
    await sleep(300);
  }
}

/** fetch that records every URL it is asked for. */
function countingFetch(): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  const counted: typeof fetch = (input, init) => {
    urls.push(String(input instanceof Request ? input.url : input));
    return fetch(input, init);
  };
  return { fetch: counted, urls };
}

describe.skipIf(!h.ok)('connect adapter against the harness worker', () => {
  const url = h.ok ? (h.env.SFPIPE_CONNECT_URL ?? '') : '';
  let dir = '';
  const { fetch: counted, urls } = countingFetch();
  const connect = new ConnectAdapter({ url, fetch: counted, timeoutMs: 30_000 });
  const names = {
    running: `adapter-running-${run}`,
    paused: `adapter-paused-${run}`,
    stopped: `adapter-stopped-${run}`,
    failing: `adapter-failing-${run}`,
    deployed: `adapter-deployed-${run}`,
  };
  let brokenPath = '';
  const source = (file: string, topic: string, extra: Record<string, string> = {}) => ({ 'connector.class': SOURCE, file, topic, 'tasks.max': '1', ...extra });
  const ours = (list: ConnectorInfo[]) => list.filter((c) => c.name.endsWith(run));
  const find = (list: ConnectorInfo[], name: string) => list.find((c) => c.name === name);
  /** Until the connector and its tasks are in `state` (tasks: how many there must be). */
  const reaches = (name: string, state: string, tasks = 1) =>
    eventually(`${name} ${state}`, async () => {
      const c = find(await connect.list(), name);
      return c && c.state === state && c.tasks.length === tasks && c.tasks.every((t) => t.state === state) ? c : undefined;
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sfpipe-connect-adapter-'));
    brokenPath = join(dir, 'sink-target');
    for (const n of ['running', 'paused', 'stopped']) writeFileSync(join(dir, `${n}.txt`), '');
    // a directory where the sink wants to write its file: the task fails when it starts
    mkdirSync(brokenPath);
    expect(await connect.deploy(names.running, source(join(dir, 'running.txt'), `adapter-running-${run}`))).toBe('created');
    expect(await connect.deploy(names.paused, source(join(dir, 'paused.txt'), `adapter-paused-${run}`))).toBe('created');
    expect(await connect.deploy(names.stopped, source(join(dir, 'stopped.txt'), `adapter-stopped-${run}`))).toBe('created');
    expect(await connect.deploy(names.failing, { 'connector.class': SINK, topics: `adapter-failing-${run}`, file: brokenPath, 'tasks.max': '1' })).toBe('created');
  });

  afterAll(async () => {
    for (const name of Object.values(names)) await connect.delete(name).catch(() => undefined);
    await connect.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports RUNNING, PAUSED, STOPPED, and FAILED with the trace of the failed task', async () => {
    await reaches(names.paused, 'RUNNING');
    await connect.pause(names.paused);
    await reaches(names.stopped, 'RUNNING');
    await connect.stop(names.stopped);

    await reaches(names.running, 'RUNNING');
    const paused = await reaches(names.paused, 'PAUSED');
    const stopped = await reaches(names.stopped, 'STOPPED', 0); // stop (KIP-875) shuts the tasks down
    const failing = await eventually('the sink task to fail', async () => {
      const c = find(await connect.list(), names.failing);
      return c?.tasks[0]?.state === 'FAILED' ? c : undefined;
    });

    expect(paused).toMatchObject({ type: 'source', className: SOURCE, topics: [`adapter-paused-${run}`] });
    expect(stopped.tasks).toEqual([]);
    expect(failing).toMatchObject({ type: 'sink', className: SINK, state: 'RUNNING', topics: [`adapter-failing-${run}`] });
    const task = failing.tasks[0]!;
    expect(task.workerId).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(task.trace).toMatch(/ConnectException: Couldn't find or create file/);
    expect(task.trace).toContain('Is a directory');
  });

  it('lists every connector with status and info in exactly one request', async () => {
    const before = urls.length;
    const list = await connect.list();
    expect(urls.slice(before)).toEqual([`${url}/connectors?expand=status&expand=info`]);
    expect(ours(list).map((c) => c.name)).toEqual(Object.values(names).filter((n) => n !== names.deployed).sort());
    expect(ours(list).every((c) => c.workerId !== '' && typeof c.config['connector.class'] === 'string')).toBe(true);
  });

  it('deploys: created, then updated, with secrets redacted in what list() returns', async () => {
    const file = join(dir, 'deployed.txt');
    writeFileSync(file, '');
    const config = source(file, `adapter-deployed-${run}`, { 'sfpipe.test.password': 'hunter2-not-shown' });
    expect(await connect.deploy(names.deployed, config)).toBe('created');
    expect(await connect.deploy(names.deployed, { ...config, 'batch.size': '500' })).toBe('updated');
    const deployed = await eventually('the update to show', async () => {
      const c = find(await connect.list(), names.deployed);
      return c?.config['batch.size'] === '500' ? c : undefined;
    });
    expect(deployed.config['sfpipe.test.password']).toBe('***');
    expect(JSON.stringify(deployed)).not.toContain('hunter2-not-shown');
    expect(deployed.config.file).toBe(file);
  });

  it('refuses a bad config with Connect\'s own message', async () => {
    const err = await connect.deploy(`adapter-bad-${run}`, { 'connector.class': SOURCE, topic: 't', 'tasks.max': 'many' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SfpipeError);
    expect(err).toMatchObject({ kind: 'invalid-input', source: 'connect' });
    expect((err as SfpipeError).message).toMatch(/HTTP 400: .*tasks\.max/s);
  });

  it('restarts only the failed tasks once their cause is gone, resumes, and deletes', async () => {
    await eventually('the sink task to fail', async () => (find(await connect.list(), names.failing)?.tasks[0]?.state === 'FAILED' ? true : undefined));
    rmdirSync(brokenPath); // now the sink can create its file
    await connect.restart(names.failing, { includeTasks: true, onlyFailed: true });
    const fixed = await reaches(names.failing, 'RUNNING');
    expect(fixed.tasks[0]!.trace).toBeUndefined();

    await connect.resume(names.paused);
    await reaches(names.paused, 'RUNNING');
    await connect.restartTask(names.paused, 0);
    await reaches(names.paused, 'RUNNING');

    await connect.delete(names.deployed);
    await eventually('the deleted connector to go', async () => (find(await connect.list(), names.deployed) ? undefined : true));
    await expect(connect.pause(names.deployed)).rejects.toMatchObject({ kind: 'not-found', source: 'connect' });
  });

  it('lists the worker\'s plugins', async () => {
    const plugins = await connect.plugins();
    expect(plugins.map((p) => p.className)).toEqual(expect.arrayContaining([SOURCE, SINK]));
    expect(plugins.find((p) => p.className === SINK)).toMatchObject({ type: 'sink', version: expect.stringMatching(/^\d+\./) });
  });
});

// ---- a tiny local server for answers a healthy worker does not give on demand ------------

interface Fake {
  url: string;
  requests: { method: string; url: string; body: string }[];
  close(): Promise<void>;
}

async function fakeConnect(answer: (req: IncomingMessage, res: ServerResponse, n: number, body: string) => void): Promise<Fake> {
  const requests: Fake['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body });
      answer(req, res, requests.length, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const HTML_500 = `<html><head><title>Error 500 Internal Server Error</title></head><body><h2>HTTP ERROR 500</h2><pre>java.lang.NullPointerException\n${'\tat org.eclipse.jetty.Server.handle(Server.java:1)\n'.repeat(50)}</pre></body></html>`;

describe('connect adapter against garbled, busy and silent servers', () => {
  const quick = { backoffMs: 5, maxBackoffMs: 20 };
  const fakes: Fake[] = [];
  const fake = async (answer: Parameters<typeof fakeConnect>[0]) => {
    const f = await fakeConnect(answer);
    fakes.push(f);
    return f;
  };
  afterAll(async () => {
    for (const f of fakes) await f.close();
  });

  it('retries a 409 (rebalance) with backoff and then succeeds', async () => {
    const f = await fake((_req, res, n) => (n <= 2 ? json(res, 409, { error_code: 409, message: 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)' }) : json(res, 200, {})));
    const c = new ConnectAdapter({ url: f.url, ...quick });
    expect(await c.list()).toEqual([]);
    expect(f.requests.map((r) => r.url)).toEqual(Array(3).fill('/connectors?expand=status&expand=info'));

    const d = await fake((_req, res, n) => (n === 1 ? json(res, 409, { error_code: 409, message: 'rebalance' }) : json(res, 201, {})));
    expect(await new ConnectAdapter({ url: d.url, ...quick }).deploy('x', { 'connector.class': SOURCE })).toBe('created');
    expect(d.requests.map((r) => [r.method, r.url])).toEqual([
      ['PUT', '/connectors/x/config'],
      ['PUT', '/connectors/x/config'],
    ]);
  });

  it('gives up on a 409 after a bounded number of retries, as a conflict with Connect\'s message', async () => {
    const f = await fake((_req, res) => json(res, 409, { error_code: 409, message: 'Request cannot be completed because a rebalance is expected' }));
    const err = await new ConnectAdapter({ url: f.url, ...quick, rebalanceRetries: 3 }).pause('p').catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'conflict', source: 'connect' });
    expect((err as SfpipeError).message).toBe('pause connector p: HTTP 409: Request cannot be completed because a rebalance is expected (still rebalancing after 4 tries)');
    expect(f.requests).toHaveLength(4);
  });

  it('makes an HTML 500 page a bad response with a short, safe excerpt', async () => {
    const f = await fake((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end(HTML_500);
    });
    const err = (await new ConnectAdapter({ url: f.url }).list().catch((e: unknown) => e)) as SfpipeError;
    expect(err).toBeInstanceOf(SfpipeError);
    expect(err.kind).toBe('bad-response');
    expect(err.message).toMatch(/^list connectors: HTTP 500 with a body that is not Kafka Connect's JSON: "Error 500 Internal Server Error HTTP ERROR 500 java\.lang\.NullPointerException/);
    expect(err.message).not.toMatch(/[<>\n\t]/);
    expect(err.message.length).toBeLessThan(250);
  });

  it('makes truncated JSON a bad response, whether the body is complete or cut off mid-way', async () => {
    const full = JSON.stringify({ a: { status: { name: 'a', connector: { state: 'RUNNING', worker_id: 'w' }, tasks: [], type: 'source' } } });
    const short = await fake((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(full.slice(0, 40));
    });
    const err = await new ConnectAdapter({ url: short.url }).list().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'bad-response', source: 'connect' });
    expect((err as SfpipeError).message).toMatch(/^list connectors: HTTP 200 but the body is not valid JSON: "\{"a":\{"status"/);

    const cut = await fake((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(full.length) });
      res.write(full.slice(0, 40));
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const err2 = await new ConnectAdapter({ url: cut.url }).list().catch((e: unknown) => e);
    expect(err2).toMatchObject({ kind: 'bad-response', source: 'connect' });
    expect((err2 as SfpipeError).message).toMatch(/^list connectors: HTTP 200, then the answer was cut off/);
  });

  it('keeps the secrets it sent out of an error that echoes them', async () => {
    const f = await fake((_req, res, _n, body) => json(res, 400, { error_code: 400, message: `Invalid configuration: ${body}` }));
    const secret = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';
    const err = (await new ConnectAdapter({ url: f.url })
      .deploy('sink', { 'connector.class': SINK, 'snowflake.private.key': secret, 'snowflake.private.key.passphrase': 'open sesame' })
      .catch((e: unknown) => e)) as SfpipeError;
    expect(err.kind).toBe('invalid-input');
    expect(f.requests[0]!.body).toContain(secret); // it really was sent, and echoed
    expect(err.message).toContain('Invalid configuration');
    expect(err.message).not.toContain(secret);
    expect(err.message).not.toContain('open sesame');
  });

  it('times out on a server that never answers, and reports a closed port as unreachable', async () => {
    const f = await fake(() => undefined); // accepts, reads, never answers
    const err = await new ConnectAdapter({ url: f.url }).list({ timeoutMs: 500 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'timeout', source: 'connect' });

    const gone = await fakeConnect(() => undefined);
    await gone.close();
    const err2 = await new ConnectAdapter({ url: gone.url }).list({ timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect(err2).toMatchObject({ kind: 'unreachable', source: 'connect' });
    expect((err2 as SfpipeError).message).toContain(gone.url);
    expect((err2 as SfpipeError).hint).toMatch(/SFPIPE_CONNECT_URL/);
  });

  it('gives up at once when the caller aborts, and refuses calls after close()', async () => {
    const f = await fake(() => undefined);
    const c = new ConnectAdapter({ url: f.url });
    const controller = new AbortController();
    const pending = c.list({ signal: controller.signal, timeoutMs: 60_000 }).catch((e: unknown) => e);
    await eventually('the request to arrive', async () => (f.requests.length ? true : undefined));
    controller.abort();
    expect(await pending).toMatchObject({ kind: 'timeout', message: 'list connectors: cancelled' });
    await c.close();
    await expect(c.list()).rejects.toMatchObject({ kind: 'internal' });
  });
});
