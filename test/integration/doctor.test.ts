/**
 * `sfpipe doctor` against the harness: a real Kafka broker and Connect worker (FileStream
 * connectors only, so the datagen and Snowflake plugins are missing) and the Snowflake
 * stand-in for the login. Output is searched for the passphrase and the key body.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { requireServices } from '../../harness/index.js';
import { main } from '../../src/cli.js';
import { pemBody } from '../../src/config/redact.js';
import { loadPrivateKey } from '../../src/keypair/load.js';

const connect = await requireServices(['connect']);
const snowflake = connect.ok ? await requireServices(['snowflake']) : connect;

const root = mkdtempSync(join(tmpdir(), 'sfpipe-doctor-it-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function doctor(env: Record<string, string>, args: string[] = []): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  // HOME points at an empty dir: no ~/.snowflake of the machine leaks into the test.
  const code = await main(['doctor', ...args], { stdout, stderr, stdin: new PassThrough(), env: { HOME: root, ...env }, cwd: root });
  return { code, out, err };
}

const line = (out: string, id: string) => out.split('\n').find((l) => l.slice(2).startsWith(`${id} `)) ?? `(no line for ${id})`;

describe.skipIf(!connect.ok)('sfpipe doctor against the harness Connect worker', () => {
  const env = connect.ok ? connect.env : {};

  it('finds the worker, reports the missing plugins with the fix, and exits non-zero', async () => {
    const { code, out, err } = await doctor(env);
    expect(err).toBe('');
    expect(code).toBe(1);
    expect(line(out, 'connect')).toMatch(new RegExp(`^✓ connect +Kafka Connect \\S+ at ${env.SFPIPE_CONNECT_URL}`));
    expect(line(out, 'connect plugin datagen')).toMatch(/^✗ .*io\.confluent\.kafka\.connect\.datagen\.DatagenConnector is not installed/);
    expect(line(out, 'connect plugin datagen')).toContain('confluent connect plugin install confluentinc/kafka-connect-datagen:');
    expect(line(out, 'connect plugin snowflake v4')).toMatch(/^✗ .*SnowflakeStreamingSinkConnector is not installed.*snowflakeinc\/snowflake-kafka-connector/);
    // the harness ports answer as what the config says they are
    const brokerPort = env.SFPIPE_KAFKA_BROKERS!.split(',')[0]!.split(':')[1];
    expect(line(out, `port kafka ${brokerPort}`)).toMatch(/^✓ .*answers as a Kafka broker/);
    const connectPort = new URL(env.SFPIPE_CONNECT_URL!).port;
    expect(line(out, `port connect ${connectPort}`)).toMatch(/^✓ .*answers as Kafka Connect/);
    expect(out).toMatch(/^✓ node /m);
  });

  it('--json: one object per check, the same verdicts', async () => {
    const { code, out } = await doctor(env, ['--json']);
    expect(code).toBe(1);
    const checks = out.trim().split('\n').map((l) => JSON.parse(l) as { check: string; status: string; fix?: string });
    expect(checks.find((c) => c.check === 'connect')?.status).toBe('ok');
    const datagen = checks.find((c) => c.check === 'connect plugin datagen');
    expect(datagen?.status).toBe('fail');
    expect(datagen?.fix).toContain('kafka-connect-datagen');
  });

  it('reports compose the way this machine has it', async () => {
    let hasCompose = true;
    try {
      execFileSync('docker-compose', ['version', '--short'], { stdio: 'ignore' });
    } catch {
      hasCompose = false;
    }
    const { out } = await doctor(env);
    expect(line(out, 'compose').startsWith(hasCompose ? '✓' : '✗')).toBe(true);
  });
});

describe.skipIf(!snowflake.ok || !connect.ok)('sfpipe doctor with the Snowflake stand-in: login, and no secret in the output', () => {
  const env = snowflake.ok && connect.ok ? { ...connect.env, ...snowflake.env } : {};

  it('logs in with the key pair and prints neither the passphrase nor the key', async () => {
    const { out } = await doctor({ ...env, SNOWFLAKE_PASSWORD: 'doctor-it-password-77' });
    expect(line(out, 'snowflake connection (pipeline+admin)')).toMatch(/^✓ .*SFPIPE_HARNESS @ sfpipe_harness via http:\/\/127\.0\.0\.1:/);
    expect(line(out, 'snowflake key (pipeline+admin)')).toMatch(/^✓ .*0600, decrypts, SHA256:/);
    expect(line(out, 'snowflake login (pipeline+admin)')).toMatch(/^✓ .*logged in as SFPIPE_HARNESS/);

    const keyFile = env.SNOWFLAKE_PRIVATE_KEY_FILE!;
    const decrypted = loadPrivateKey(keyFile, env.PRIVATE_KEY_PASSPHRASE!).pem;
    const json = await doctor({ ...env, SNOWFLAKE_PASSWORD: 'doctor-it-password-77' }, ['--json']);
    for (const text of [out, json.out]) {
      expect(text).not.toContain(env.PRIVATE_KEY_PASSPHRASE!);
      expect(text).not.toContain('doctor-it-password-77');
      expect(text).not.toContain(pemBody(readFileSync(keyFile, 'utf8'))!.slice(0, 40));
      expect(text).not.toContain(pemBody(decrypted)!.slice(0, 40));
      expect(text).not.toContain(pemBody(decrypted)!.slice(-40));
    }
  });

  it('a wrong passphrase: the key line says so, the login is not tried, exit non-zero', async () => {
    const { code, out } = await doctor({ ...env, PRIVATE_KEY_PASSPHRASE: 'wrong-doctor-passphrase' });
    expect(code).toBe(1);
    expect(line(out, 'snowflake key (pipeline+admin)')).toContain(`✗ snowflake key (pipeline+admin)`);
    expect(line(out, 'snowflake key (pipeline+admin)')).toContain(`could not decrypt ${env.SNOWFLAKE_PRIVATE_KEY_FILE}: wrong passphrase?`);
    expect(line(out, 'snowflake login (pipeline+admin)')).toMatch(/^- .*not tried/);
    expect(out).not.toContain('wrong-doctor-passphrase');
  });
});
