/**
 * pause: pause the source (datagen) connectors → wait until the sink has committed everything
 * produced → with --suspend-tasks, wait until the tasks drained the streams, then suspend them.
 */
import type { RunbookEnv } from './env.js';
import { pauseSourcesStep } from './steps/connectorState.js';
import { drainSinkStep } from './steps/drain.js';
import { drainStreamsStep, taskStateStep } from './steps/tasks.js';
import type { Runbook } from './types.js';
import { runbookSecrets } from './secrets.js';

export function pauseRunbook(env: RunbookEnv, options: { suspendTasks: boolean }): Runbook {
  const steps = [pauseSourcesStep(env), drainSinkStep(env)];
  if (options.suspendTasks && env.inputs.tasks.length > 0) steps.push(drainStreamsStep(env), taskStateStep(env, 'suspended'));
  return { id: 'pause', title: options.suspendTasks ? 'Pause the pipeline and suspend the tasks' : 'Pause the pipeline', steps, secrets: runbookSecrets(env) };
}
