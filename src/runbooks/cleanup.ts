/**
 * cleanup: delete the connectors (first, so nothing writes into what is being dropped and they
 * do not come back with the stack) → Snowflake cleanup script (suspends and drops the tasks,
 * then the rest) → compose down (volumes only on request) → the key pair only on request.
 * The caller confirms first by having the database name typed (confirm.ts).
 */
import { AdminSql, type RunbookEnv } from './env.js';
import { composeDownStep } from './steps/compose.js';
import { deleteConnectorsStep } from './steps/connectors.js';
import { purgeKeysStep } from './steps/keys.js';
import { sqlScriptStep } from './steps/sqlScript.js';
import type { Runbook } from './types.js';
import { runbookSecrets } from './secrets.js';

export interface CleanupOptions {
  volumes: boolean;
  purgeKeys: boolean;
}

export function cleanupRunbook(env: RunbookEnv, options: CleanupOptions): Runbook {
  const admin = new AdminSql(env);
  return {
    id: 'cleanup',
    title: 'Clean up the pipeline',
    steps: [
      deleteConnectorsStep(env),
      ...env.inputs.cleanupScripts.map((path) => sqlScriptStep(env, admin, path, 'cleanup')),
      composeDownStep(env, options.volumes),
      ...(options.purgeKeys ? [purgeKeysStep(env)] : []),
    ],
    secrets: runbookSecrets(env),
    close: () => admin.close(),
  };
}
