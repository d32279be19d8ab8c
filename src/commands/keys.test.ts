import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../cli/commands.js';
import { SfpipeError } from '../domain/errors.js';
import { loadPrivateKey } from '../keypair/load.js';
import { publicKeyBody } from '../keypair/public-key.js';
import { run } from './keys.js';

const PASS = 'keys-test-passphrase-8c1f';
let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'sfpipe-keyscmd-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

interface FakeIO extends CliIO {
  out(): string;
  err(): string;
}

function fakeIO(env: NodeJS.ProcessEnv, stdin: CliIO['stdin'] = Object.assign(new PassThrough(), { isTTY: false })): FakeIO {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { stdout, stderr, stdin, env: { HOME: cwd, ...env }, cwd, out: () => out, err: () => err };
}

/** A terminal stand-in: raw mode recorded, keystrokes fed by the test. */
function fakeTTY() {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode: (m: boolean) => void; rawModes: boolean[] };
  s.isTTY = true;
  s.rawModes = [];
  s.setRawMode = (m: boolean) => void s.rawModes.push(m);
  return s;
}

async function failure(p: Promise<unknown>): Promise<SfpipeError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SfpipeError);
    return err as SfpipeError;
  }
  throw new Error('expected an SfpipeError');
}

describe('sfpipe keys', () => {
  it('writes the pair to ./keys and prints ALTER USER and where the files are, never the passphrase', async () => {
    const io = fakeIO({ PRIVATE_KEY_PASSPHRASE: PASS });
    expect(await run({ flags: {}, positionals: [] }, io)).toBe(0);
    const dir = join(cwd, 'keys');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(existsSync(join(dir, 'README.md'))).toBe(true);
    expect(statSync(join(dir, 'rsa_key.p8')).mode & 0o777).toBe(0o600);
    const pub = readFileSync(join(dir, 'rsa_key.pub'), 'utf8');
    expect(io.out()).toContain(`ALTER USER KAFKA_DEMO SET RSA_PUBLIC_KEY='${publicKeyBody(pub)}';`);
    expect(io.out()).toContain(join(dir, 'rsa_key.p8'));
    expect(io.out()).toMatch(/fingerprint {2}SHA256:[A-Za-z0-9+/]{43}=/);
    expect(io.out() + io.err()).not.toContain(PASS);
    // the key opens with the passphrase from the environment
    expect(loadPrivateKey(join(dir, 'rsa_key.p8'), PASS).encrypted).toBe(true);
  });

  it('uses --out, SNOWFLAKE_PRIVATE_KEY_PASSPHRASE and the user from sfpipe.toml', async () => {
    writeFileSync(join(cwd, 'sfpipe.toml'), '[snowflake]\nuser = "PIPE_USER"\n');
    const io = fakeIO({ SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: PASS });
    await run({ flags: { out: 'custom/dir' }, positionals: [] }, io);
    expect(existsSync(join(cwd, 'custom', 'dir', 'rsa_key.p8'))).toBe(true);
    expect(io.out()).toContain('ALTER USER PIPE_USER SET RSA_PUBLIC_KEY=');
  });

  it('refuses to overwrite an existing pair without --force, and changes nothing', async () => {
    await run({ flags: {}, positionals: [] }, fakeIO({ PRIVATE_KEY_PASSPHRASE: PASS }));
    const file = join(cwd, 'keys', 'rsa_key.p8');
    const before = readFileSync(file, 'utf8');
    const e = await failure(run({ flags: {}, positionals: [] }, fakeIO({ PRIVATE_KEY_PASSPHRASE: 'other' })));
    expect(e.kind).toBe('conflict');
    expect(e.hint).toContain('--force');
    expect(readFileSync(file, 'utf8')).toBe(before);
    await run({ flags: { force: true }, positionals: [] }, fakeIO({ PRIVATE_KEY_PASSPHRASE: 'other' }));
    expect(readFileSync(file, 'utf8')).not.toBe(before);
    expect(loadPrivateKey(file, 'other').encrypted).toBe(true);
  });

  it('without a passphrase variable and no terminal: a clear error, nothing created', async () => {
    const e = await failure(run({ flags: {}, positionals: [] }, fakeIO({})));
    expect(e.message).toContain('PRIVATE_KEY_PASSPHRASE is not set');
    expect(existsSync(join(cwd, 'keys'))).toBe(false);
  });

  it('asks twice on a terminal without echo', async () => {
    const tty = fakeTTY();
    const io = fakeIO({}, tty);
    const done = run({ flags: {}, positionals: [] }, io);
    // both lines typed ahead in one chunk, with a typo corrected by backspace
    tty.write(`${PASS}x\u007f\r${PASS}\r`);
    expect(await done).toBe(0);
    expect(tty.rawModes).toEqual([true, false, true, false]);
    expect(io.err()).toContain('Passphrase for the new private key: ');
    expect(io.out() + io.err()).not.toContain(PASS);
    expect(loadPrivateKey(join(cwd, 'keys', 'rsa_key.p8'), PASS).encrypted).toBe(true);
  });

  it('on a terminal, two different passphrases change nothing', async () => {
    const tty = fakeTTY();
    const done = run({ flags: {}, positionals: [] }, fakeIO({}, tty));
    tty.write('first-one\r');
    setImmediate(() => tty.write('second-one\r'));
    expect((await failure(done)).message).toBe('the two passphrases differ');
    expect(existsSync(join(cwd, 'keys'))).toBe(false);
  });

  it('Ctrl-C at the prompt aborts and changes nothing', async () => {
    const tty = fakeTTY();
    const done = run({ flags: {}, positionals: [] }, fakeIO({}, tty));
    tty.write('abc\u0003');
    expect((await failure(done)).message).toBe('interrupted');
    expect(tty.rawModes.at(-1)).toBe(false);
    expect(existsSync(join(cwd, 'keys'))).toBe(false);
  });

  it('an --out that is a file is refused', async () => {
    mkdirSync(join(cwd, 'x'));
    writeFileSync(join(cwd, 'x', 'f'), '');
    expect((await failure(run({ flags: { out: 'x/f' }, positionals: [] }, fakeIO({ PRIVATE_KEY_PASSPHRASE: PASS })))).message).toContain('not a directory');
  });
});
