/**
 * `sfpipe keys [--out DIR] [--force]`: generate the pipeline user's encrypted key pair and
 * print the ALTER USER statement that registers it. Checks for an existing pair before
 * asking for anything, so a refusal changes nothing.
 */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { CommandRun } from '../cli/commands.js';
import { loadConfig } from '../config/load.js';
import { alterUserStatement, assertCanWrite, generateKeyPair, publicKeyFingerprint, writeKeyPair } from '../keypair/index.js';
import { newPassphrase } from '../keypair/passphrase.js';

export const run: CommandRun = async (args, io) => {
  const config = loadConfig({ cwd: io.cwd, env: io.env, homedir: io.env.HOME || homedir(), skipConnections: true });
  const out = args.flags.out;
  const dir = typeof out === 'string' && out !== '' ? resolve(io.cwd, out) : config.keys.dir;
  const force = args.flags.force === true;
  assertCanWrite(dir, force);

  const { passphrase, from } = await newPassphrase({ stdin: io.stdin as Parameters<typeof newPassphrase>[0]['stdin'], prompt: io.stderr, env: io.env });
  const pair = await generateKeyPair(passphrase);
  const paths = writeKeyPair(dir, pair, force);
  const user = config.snowflake.objects.user;

  io.stdout.write(
    [
      `Wrote an encrypted RSA 2048 key pair (passphrase from ${from === 'terminal' ? 'the terminal' : from}):`,
      `  private key  ${paths.privateKey}  (PKCS#8, mode 0600)`,
      `  public key   ${paths.publicKey}`,
      `  fingerprint  ${publicKeyFingerprint(pair.publicPem)}`,
      '',
      `Register the public key with the pipeline user ${user} (as an admin, e.g. in Snowsight):`,
      '',
      `  ${alterUserStatement(user, pair.publicPem)}`,
      '',
      'DESCRIBE USER then shows the fingerprint above as RSA_PUBLIC_KEY_FP.',
      'Point the pipeline connection at the key, e.g. in ~/.snowflake/connections.toml (mode 0600):',
      '',
      '  [kafka_demo]',
      '  account = "<your account identifier>"',
      `  user = "${user}"`,
      `  private_key_file = "${paths.privateKey}"`,
      '',
      'and keep the passphrase in PRIVATE_KEY_PASSPHRASE, never in a file.',
      '',
    ].join('\n'),
  );
  return 0;
};
