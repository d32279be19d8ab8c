/** resume: the reverse of pause — resume the Snowflake tasks if suspended, then the connectors. */
import type { RunbookEnv } from './env.js';
import { resumeConnectorsStep } from './steps/connectorState.js';
import { taskStateStep } from './steps/tasks.js';
import type { Runbook } from './types.js';
import { runbookSecrets } from './secrets.js';

export function resumeRunbook(env: RunbookEnv): Runbook {
  return { id: 'resume', title: 'Resume the pipeline', steps: [taskStateStep(env, 'started'), resumeConnectorsStep(env)], secrets: runbookSecrets(env) };
}
