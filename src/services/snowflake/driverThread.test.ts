/**
 * The driver thread with the real snowflake-sdk in it, against a port on 127.0.0.1 where
 * nothing listens (the stand-in itself is exercised through the adapter in
 * test/integration/snowflake-adapter.test.ts): the driver's own error comes back across the
 * thread and is classified as on the console's thread; a thread that stops fails what waited
 * on it and the next login starts another.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConnectionOptions } from 'snowflake-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { DriverThread } from './driverThread.js';
import { toSnowflakeError } from './errors.js';
import { closedPort } from '../../../test/support/faultServers.js';


const options = (port: number): ConnectionOptions => ({
  account: 'sfpipe_test',
  username: 'NOBODY',
  password: 'not-a-real-password',
  host: '127.0.0.1',
  accessUrl: `http://127.0.0.1:${port}`,
  sfRetryMaxLoginRetries: 0,
  timeout: 10_000,
});

describe('the Snowflake driver thread', () => {
  const thread = new DriverThread();
  afterAll(() => thread.terminate());

  it('logs in on its own thread; the driver’s error comes back as on this thread', async () => {
    const conn = thread.connection(options(await closedPort()));
    const err = await conn.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(toSnowflakeError(err, 'log in to Snowflake')).toMatchObject({ kind: 'unreachable', source: 'snowflake' });
    expect(toSnowflakeError(err, 'log in to Snowflake').message).not.toContain('not-a-real-password');
    expect(conn.isUp()).toBe(false);
    // a statement on a connection that never came up is the driver's "not up": the session logs in again
    await expect(conn.execute('SELECT 1', {}).rows).rejects.toMatchObject({ code: '407002' });
    await conn.destroy();
  }, 60_000);

  it('a thread that stops fails what waited on it; the next login starts another', async () => {
    const port = await closedPort();
    // a login that waits on a server that accepts and never answers
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const hung = thread.connection(options((silent.address() as net.AddressInfo).port));
      const pending = hung.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      await new Promise((r) => setTimeout(r, 200));
      await thread.terminate();
      expect(await pending).toMatchObject({ code: 'SFPIPE_DRIVER_THREAD', message: 'the Snowflake driver thread stopped (terminated)' });
      expect(hung.isUp()).toBe(false);
      await hung.destroy(); // nothing to log out of: returns at once

      const again = await thread
        .connection(options(port))
        .connect()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(toSnowflakeError(again, 'log in to Snowflake')).toMatchObject({ kind: 'unreachable' });
    } finally {
      silent.close();
    }
  }, 60_000);

  it('does not keep the process alive once nobody waits on it: after a login, or with a login given up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfpipe-driver-thread-'));
    // a server that accepts and never answers: a login to it hangs
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const script = join(dir, 'idle.mts');
      const module = fileURLToPath(new URL('./driverThread.ts', import.meta.url));
      writeFileSync(
        script,
        [
          `import { threadDriver } from ${JSON.stringify(module)};`,
          'const thread = threadDriver();',
          "if (process.argv[2] === 'login') {",
          `  const conn = thread.connection(${JSON.stringify(options(await closedPort()))});`,
          "  await conn.connect().catch((e) => process.stdout.write(`login failed: ${e.code}\\n`));",
          '  await conn.destroy();',
          '}',
          "if (process.argv[2] === 'abandon') {",
          // the driver itself would wait far longer than the bound below
          `  const conn = thread.connection(${JSON.stringify({ ...options((silent.address() as net.AddressInfo).port), timeout: 300_000 })});`,
          '  const login = conn.connect().catch((e) => process.stdout.write(`login given up: ${e.message}\\n`));',
          '  await new Promise((r) => setTimeout(r, 300));',
          '  await conn.destroy();',
          '  await login;',
          '}',
          "process.stdout.write('done\\n');",
        ].join('\n'),
      );
      for (const scenario of ['login', 'abandon']) {
        // a thread that held the process open would run into this bound and be killed
        const child = spawnSync(process.execPath, ['--import', 'tsx', script, scenario], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, SFPIPE_LOG_FILE: join(dir, 'sfpipe.log') } });
        expect(child.stdout, scenario).toContain('done');
        expect(child.signal, `${scenario}: the process had to be killed; stderr: ${child.stderr}`).toBeNull();
        expect(child.status, scenario).toBe(0);
      }
    } finally {
      silent.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
