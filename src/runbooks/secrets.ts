/** Every secret a runbook could come across, so its events can be scrubbed of them. */
import { readFileSync } from 'node:fs';
import { privateKeyBody } from '../connectors/render.js';
import type { Secret } from '../config/secret.js';
import { keyPairPaths } from '../keypair/files.js';
import type { RunbookEnv } from './env.js';

export function runbookSecrets(env: RunbookEnv): (string | Secret | undefined)[] {
  const conns = [env.config.snowflake.pipeline, env.config.snowflake.admin];
  const out: (string | Secret | undefined)[] = [env.inputs.passphrase, ...conns.flatMap((c) => (c ? [c.privateKeyPassphrase, c.password] : []))];
  try {
    // the key as it travels in a connector config: its bare body (PEM blocks are scrubbed anyway)
    out.push(privateKeyBody(readFileSync(keyPairPaths(env.inputs.keysDir).privateKey, 'utf8')));
  } catch {
    // no key yet: the deploy step adds it when it reads one
  }
  return out;
}
