/**
 * The values connector placeholders are filled with: names from configuration, the pipeline
 * user's private key from the keys folder (the pair whose public half script 01 registers)
 * and its passphrase. For plans the secrets are masked, so a plan never holds one.
 */
import { readFileSync } from 'node:fs';
import { MASK } from '../../config/secret.js';
import { privateKeyBody, type PlaceholderValues } from '../../connectors/render.js';
import { SfpipeError } from '../../domain/errors.js';
import { keyPairPaths } from '../../keypair/files.js';
import type { RunbookEnv } from '../env.js';

export function snowflakeUrlName(env: RunbookEnv): string | undefined {
  const conn = env.config.snowflake.pipeline ?? env.config.snowflake.admin;
  if (!conn) return undefined;
  if (conn.host) return `${conn.host}:${conn.port ?? (conn.protocol === 'http' ? 80 : 443)}`;
  return `${conn.account}.snowflakecomputing.com:443`;
}

export interface FilledValues {
  values: PlaceholderValues;
  /** secret values as they will travel (PEM, its bare body, the passphrase), for scrubbing */
  secrets: string[];
}

export function placeholderValues(env: RunbookEnv, forPlan: boolean): FilledValues {
  const vars = env.inputs.sqlVariables;
  const values: Record<string, string> = {};
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') values[name] = value;
  };
  set('snowflake.url.name', snowflakeUrlName(env));
  set('snowflake.user.name', vars.user);
  set('snowflake.database.name', vars.database);
  set('snowflake.schema.name', vars.schema);
  set('snowflake.role.name', vars.role);
  const passphrase = env.inputs.passphrase?.reveal();
  if (forPlan) {
    set('snowflake.private.key', MASK);
    if (passphrase) set('snowflake.private.key.passphrase', MASK);
    return { values, secrets: [] };
  }
  const keyFile = keyPairPaths(env.inputs.keysDir).privateKey;
  let pem: string;
  try {
    pem = readFileSync(keyFile, 'utf8');
  } catch {
    throw new SfpipeError('not-found', 'keys', `cannot read the private key ${keyFile}`, { location: keyFile, hint: 'run `sfpipe keys` (or the key step of setup) first' });
  }
  set('snowflake.private.key', pem);
  set('snowflake.private.key.passphrase', passphrase);
  return { values, secrets: [pem, privateKeyBody(pem), ...(passphrase ? [passphrase] : [])] };
}
