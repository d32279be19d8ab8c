/**
 * setup: key pair (if missing) → compose up, healthy → topics → connector plugins → Snowflake
 * scripts (admin connection, public key substituted) → connectors (secrets from config) →
 * records flow. Every step skips work already done, so a re-run resumes where one stopped.
 */
import { AdminSql, type RunbookEnv } from './env.js';
import { composeUpStep } from './steps/compose.js';
import { deployConnectorsStep } from './steps/connectors.js';
import { verifyFlowStep } from './steps/flow.js';
import { keyPairStep } from './steps/keys.js';
import { pluginsStep } from './steps/plugins.js';
import { sqlScriptStep } from './steps/sqlScript.js';
import { createTopicsStep } from './steps/topics.js';
import type { Runbook } from './types.js';
import { runbookSecrets } from './secrets.js';

export function setupRunbook(env: RunbookEnv): Runbook {
  const admin = new AdminSql(env);
  const runbook: Runbook = { id: 'setup', title: 'Set up the pipeline', steps: [], secrets: runbookSecrets(env), close: () => admin.close() };
  runbook.steps = [
    keyPairStep(env),
    composeUpStep(env),
    createTopicsStep(env),
    pluginsStep(env),
    ...env.inputs.setupScripts.map((path) => sqlScriptStep(env, admin, path, 'setup')),
    deployConnectorsStep(env, runbook),
    verifyFlowStep(env),
  ];
  return runbook;
}
