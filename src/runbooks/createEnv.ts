/**
 * Composition for runbooks: configuration + services → RunbookEnv, with the real compose
 * runner (docker-compose or `docker compose`), admin SQL sessions over snowflake-sdk and the
 * journal in the user's state dir. Tests build their own RunbookEnv with other inputs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../audit/stateDir.js';
import type { SfpipeConfig } from '../config/schema.js';
import type { Clock } from '../domain/clock.js';
import { createComposeRunner } from '../services/compose/runner.js';
import { createSqlRunner } from '../services/snowflake/sqlRunner.js';
import { unconfigured, type Services } from '../services/types.js';
import type { PipelineInputs, RunbookEnv } from './env.js';
import { defaultInputs } from './inputs.js';
import { createFileJournal } from './journal.js';

export interface CreateEnvOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  homedir: string;
  clock: Clock;
  /** replace some inputs (tests, other stacks) */
  inputs?: Partial<PipelineInputs>;
  composeCommand?: string[];
}

export function createRunbookEnv(config: SfpipeConfig, services: Services, options: CreateEnvOptions): RunbookEnv {
  const inputs: PipelineInputs = { ...defaultInputs(config, options), ...options.inputs };
  const admin = config.snowflake.admin;
  const composeFile = inputs.compose.file;
  return {
    config,
    services,
    compose: existsSync(composeFile)
      ? createComposeRunner({ target: inputs.compose, dockerHost: config.docker.host, env: options.env, ...(options.composeCommand ? { composeCommand: options.composeCommand } : {}) })
      : unconfigured(`no compose file at ${composeFile}`, 'run sfpipe from the project directory (it has docker-compose.yml)'),
    openAdminSql: admin
      ? () => createSqlRunner(admin, { clock: options.clock })
      : { reason: 'no admin Snowflake connection is configured', hint: 'name one with --admin-connection (or sfpipe.toml snowflake.admin_connection), or set a default connection' },
    inputs,
    journal: createFileJournal(join(stateDir(options.env, options.homedir), 'runbooks.json')),
    clock: options.clock,
    callTimeoutMs: 15_000,
    pollMs: 2_000,
    slowPollMs: 20_000,
  };
}
