/**
 * Bad input at the command line, for every subcommand: wrong flags, missing files, a private
 * key that is loosely permissioned, unreadable or not a key, a wrong passphrase, a connections
 * file others can read, an unknown named connection. Each run is the real CLI in a child
 * process (from source), in a sandbox holding a home, a project directory, a valid key pair
 * and a connections.toml; the test then requires one clear message, a non-zero exit, and a
 * sandbox byte-for-byte as it was (nothing created, nothing rewritten, no mode changed).
 * Backends are loopback ports nothing listens on, so nothing outside the sandbox is reachable.
 */
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utils as sshUtils } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, type CommandEntry } from '../../src/cli/commands.js';
import { generateKeyPair, writeKeyPair } from '../../src/keypair/index.js';
import { crashSigns } from '../support/consoleScreen.js';
import { closedPort } from '../support/faultServers.js';
import { runSfpipe, type RunResult } from '../support/sfpipeCli.js';

const PASSPHRASE = 'correct horse battery staple 42';

interface Sandbox {
  root: string;
  home: string;
  project: string;
  keysDir: string;
  privateKey: string;
  connections: string;
  env: Record<string, string>;
}

let base: string;
let keyPem: { privateKey: string; publicKey: string };
let ports: { kafka: number; connect: number; docker: number; listen: number };

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'sfpipe-bad-input-'));
  const pair = await generateKeyPair(PASSPHRASE);
  keyPem = { privateKey: pair.privatePem, publicKey: pair.publicPem };
  const [kafka, connect, docker, listen] = await Promise.all([closedPort(), closedPort(), closedPort(), closedPort()]);
  ports = { kafka, connect, docker, listen };
});

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

let sandboxes = 0;

/** A home with ~/.snowflake/connections.toml (0600) naming a key pair in <project>/keys, and ~/.ssh/authorized_keys. */
function sandbox(): Sandbox {
  const root = join(base, `s${++sandboxes}`);
  const home = join(root, 'home');
  const project = join(root, 'project');
  const keysDir = join(project, 'keys');
  mkdirSync(join(home, '.snowflake'), { recursive: true, mode: 0o700 });
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  mkdirSync(project, { recursive: true });
  const paths = writeKeyPair(keysDir, { privatePem: keyPem.privateKey, publicPem: keyPem.publicKey }, false);
  const connections = join(home, '.snowflake', 'connections.toml');
  writeFileSync(
    connections,
    ['[demo]', 'account = "sfpipe_test"', 'user = "KAFKA_DEMO"', 'authenticator = "SNOWFLAKE_JWT"', `private_key_file = "${paths.privateKey}"`, 'host = "127.0.0.1"', `port = ${ports.connect}`, 'protocol = "http"', ''].join('\n'),
    { mode: 0o600 },
  );
  writeFileSync(join(root, 'home', '.snowflake', 'config.toml'), 'default_connection_name = "demo"\n', { mode: 0o600 });
  writeFileSync(join(home, '.ssh', 'authorized_keys'), `${sshUtils.generateKeyPairSync('ed25519').public} test\n`, { mode: 0o600 });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    SNOWFLAKE_HOME: join(home, '.snowflake'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CACHE_HOME: join(home, '.cache'),
    PRIVATE_KEY_PASSPHRASE: PASSPHRASE,
    SFPIPE_KAFKA_BROKERS: `127.0.0.1:${ports.kafka}`,
    SFPIPE_CONNECT_URL: `http://127.0.0.1:${ports.connect}`,
    DOCKER_HOST: `tcp://127.0.0.1:${ports.docker}`,
  };
  return { root, home, project, keysDir, privateKey: paths.privateKey, connections, env };
}

/** Every file and directory under root with its type, mode, size and content hash. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = lstatSync(path);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isDirectory()) {
        out.set(path, `dir ${mode}`);
        walk(path);
      } else {
        const hash = st.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16) : '';
        out.set(path, `${st.isFile() ? 'file' : 'other'} ${mode} ${st.size} ${hash}`);
      }
    }
  };
  walk(root);
  return out;
}

function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const diff: string[] = [];
  for (const [p, v] of after) if (before.get(p) !== v) diff.push(`${before.has(p) ? 'changed' : 'created'}: ${p} (${v})`);
  for (const p of before.keys()) if (!after.has(p)) diff.push(`removed: ${p}`);
  return diff;
}

interface Expectation {
  /** what the one message must name: a flag, a file, a connection */
  mentions: (string | RegExp)[];
  /** exact exit code, when it matters (2 = invalid input, usage) */
  code?: number;
  /** doctor reports a list of checks rather than one line */
  report?: boolean;
}

/** Run once in a fresh sandbox (prepared by `arrange`) and check message, exit and that nothing changed. */
async function expectRejected(args: string[], expectation: Expectation, arrange: (sb: Sandbox) => void = () => undefined): Promise<RunResult> {
  const sb = sandbox();
  arrange(sb);
  const before = snapshot(sb.root);
  const result = await runSfpipe(args, { cwd: sb.project, env: sb.env, timeoutMs: 30_000 });
  const after = snapshot(sb.root);
  const what = `sfpipe ${args.join(' ')}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
  expect(result.signal, `${what}\n(it did not stop by itself: a bad input must be refused, not acted on)`).toBeNull();
  expect(result.code, what).not.toBe(0);
  if (expectation.code !== undefined) expect(result.code, what).toBe(expectation.code);
  const message = expectation.report ? result.stdout + result.stderr : result.stderr;
  if (!expectation.report) {
    expect(result.stderr.trimEnd().split('\n'), `${what}\n(one message, on one line)`).toHaveLength(1);
    expect(result.stderr, what).toMatch(/^sfpipe: /);
    expect(result.stdout, what).toBe('');
  }
  for (const m of expectation.mentions) expect(message, what).toMatch(typeof m === 'string' ? new RegExp(escape(m)) : m);
  expect(crashSigns(result.stdout + result.stderr), what).toBeUndefined();
  expect(changes(before, after), `${what}\n(the sandbox changed)`).toEqual([]);
  // never a secret in what was printed
  expect(result.stdout + result.stderr, what).not.toContain(PASSPHRASE);
  return result;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const has = (c: CommandEntry, flag: string) => c.flags.some((f) => f.name === flag);
/** Commands that log in to Snowflake with the pipeline or admin connection. */
const usesConnection = COMMANDS.filter((c) => has(c, 'connection'));
/** Arguments a command needs to get as far as its settings (serve: a free loopback port). */
const baseArgs = (c: CommandEntry): string[] => {
  const args = [c.name];
  if (c.name === 'serve') args.push('--listen', `127.0.0.1:${ports.listen}`, '--host-key', join(base, 'never-created', 'host_key'));
  if (c.name === 'action') args.push('connector.pause', 'datagen-orders');
  return args;
};

describe('every subcommand refuses wrong flags with one clear message, exit 2, nothing changed', () => {
  for (const command of COMMANDS) {
    it(`${command.name} --no-such-flag`, async () => {
      await expectRejected([command.name, '--no-such-flag'], { mentions: ['--no-such-flag'], code: 2 });
    });

    const valued = command.flags.find((f) => f.type === 'string');
    if (valued) {
      it(`${command.name} --${valued.name} without its value`, async () => {
        await expectRejected([command.name, `--${valued.name}`], { mentions: [`--${valued.name}`], code: 2 });
      });
    }
    const numeric = command.flags.find((f) => f.type === 'number');
    if (numeric) {
      it(`${command.name} --${numeric.name} not-a-number, and out of range`, async () => {
        await expectRejected([command.name, `--${numeric.name}`, 'soon'], { mentions: [`--${numeric.name}`, 'soon'], code: 2 });
        await expectRejected([...baseArgs(command), `--${numeric.name}`, '-5'], { mentions: [`--${numeric.name}`], code: 2 });
      });
    }
    if (!command.positionals?.length) {
      it(`${command.name} with a stray argument`, async () => {
        await expectRejected([command.name, 'stray'], { mentions: ['stray'], code: 2 });
      });
    }
  }
});

describe('missing files', () => {
  for (const command of COMMANDS.filter((c) => has(c, 'config'))) {
    it(`${command.name} --config <a file that does not exist>`, async () => {
      const report = command.name === 'doctor';
      await expectRejected([...baseArgs(command), '--config', 'nowhere/sfpipe.toml'], { mentions: ['nowhere/sfpipe.toml'], report });
    });
  }

  it('serve --authorized-keys <missing>: refused before a host key is generated', async () => {
    await expectRejected(['serve', '--listen', `127.0.0.1:${ports.listen}`, '--authorized-keys', 'missing_keys'], { mentions: ['missing_keys'] }, () => undefined);
  });

  it('keys --out <a file, not a directory>', async () => {
    await expectRejected(['keys', '--out', 'keys/rsa_key.pub'], { mentions: ['rsa_key.pub', 'not a directory'] });
  });

  it('keys over an existing pair without --force: refused, the pair untouched', async () => {
    await expectRejected(['keys'], { mentions: ['already exists', '--force'] });
  });

  it('keys with no passphrase and no terminal to ask on', async () => {
    await expectRejected(['keys', '--out', 'newkeys'], { mentions: ['PRIVATE_KEY_PASSPHRASE'] }, (sb) => {
      delete sb.env.PRIVATE_KEY_PASSPHRASE;
    });
  });
});

describe('private keys and connection files', () => {
  for (const command of usesConnection) {
    const report = command.name === 'doctor';
    describe(command.name, () => {
      it('refuses a private key others can read (0644), naming the file and the fix', async () => {
        await expectRejected(baseArgs(command), { mentions: ['rsa_key.p8', report ? /0644|chmod/ : /chmod 0600/], report }, (sb) => chmodSync(sb.privateKey, 0o644));
      });

      it('refuses a private key that cannot be read as a file', async () => {
        await expectRejected(baseArgs(command), { mentions: ['rsa_key.p8'], report }, (sb) => {
          rmSync(sb.privateKey);
          mkdirSync(sb.privateKey, { mode: 0o700 });
        });
      });

      it('refuses a private key file that holds no key', async () => {
        await expectRejected(baseArgs(command), { mentions: ['rsa_key.p8'], report }, (sb) => {
          writeFileSync(sb.privateKey, 'not a key at all\n', { mode: 0o600 });
        });
      });

      it('refuses a wrong passphrase with one auth message, never echoing it', async () => {
        const result = await expectRejected(baseArgs(command), { mentions: ['rsa_key.p8', /passphrase/i], report }, (sb) => {
          sb.env.PRIVATE_KEY_PASSPHRASE = 'the wrong passphrase';
        });
        expect(result.stdout + result.stderr).not.toContain('the wrong passphrase');
      });

      it('refuses a connections.toml others can read', async () => {
        await expectRejected(baseArgs(command), { mentions: ['connections.toml', report ? /0644|chmod/ : /chmod 0600/], report }, (sb) => chmodSync(sb.connections, 0o644));
      });

      it('refuses an unknown named connection, naming it', async () => {
        await expectRejected([...baseArgs(command), '--connection', 'no_such_conn'], { mentions: ['no_such_conn'], report });
      });
    });
  }
});
