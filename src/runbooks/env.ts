/**
 * What runbook steps work with: configuration, the services, the compose runner, a way to open
 * a SQL session on the admin connection, the pipeline's inputs (files, names) and the journal.
 * Everything is injected, so the test stack (busybox compose, FileStream connectors, the
 * Snowflake stand-in with scripts it can run) drives the same runbooks as the real one.
 */
import type { SfpipeConfig } from '../config/schema.js';
import type { Secret } from '../config/secret.js';
import type { ConnectorSpec } from '../connectors/load.js';
import type { Clock } from '../domain/clock.js';
import { SfpipeError, type ErrorSource } from '../domain/errors.js';
import type { ComposeRunner, ComposeTarget } from '../services/compose/types.js';
import { isUnconfigured, type Services, type Slot, type SqlRunner, type TopicSpec } from '../services/types.js';
import type { Journal } from './journal.js';

/** A connector file and the name it is deployed under (the sink takes connect.sink_connector). */
export interface Deployable {
  spec: ConnectorSpec;
  name: string;
}

export interface PipelineInputs {
  compose: ComposeTarget;
  /** where the key pair is (or will be) */
  keysDir: string;
  /** connector classes the worker must have */
  requiredPlugins: string[];
  /** the connectors of the pipeline; read when a step needs them (errors name the file) */
  connectors(): Promise<Deployable[]>;
  /** Snowflake scripts setup runs, in order, on the admin connection */
  setupScripts: string[];
  /** Snowflake scripts cleanup runs */
  cleanupScripts: string[];
  /** values of the scripts' &{…} variables, except public_key */
  sqlVariables: Record<string, string>;
  topics: TopicSpec[];
  /** Snowflake tasks of the pipeline (suspended by pause --suspend-tasks, resumed by resume) */
  tasks: string[];
  /** setup's last step: how long to watch, how far behind the sink may be */
  flow: { timeoutMs: number; checkWindowMs: number; maxLag: number };
  /** pause: how long to wait for the sink to commit everything */
  drainTimeoutMs: number;
  /** how long compose services may take to become healthy */
  healthyTimeoutMs: number;
  /** the key passphrase (PRIVATE_KEY_PASSPHRASE or the pipeline connection's) */
  passphrase: Secret | undefined;
}

export interface RunbookEnv {
  config: SfpipeConfig;
  services: Services;
  compose: Slot<ComposeRunner>;
  /** a new session on the admin connection, or why there is none */
  openAdminSql: (() => SqlRunner) | { reason: string; hint?: string };
  inputs: PipelineInputs;
  journal: Journal;
  clock: Clock;
  /** per backend call */
  callTimeoutMs: number;
  /** poll interval of waits */
  pollMs: number;
  /** poll interval of warehouse-bound waits (stream backlog): slow, since each poll bills */
  slowPollMs: number;
}

/** The service, or a clear error saying it is not configured. */
export function need<T>(slot: Slot<T>, source: ErrorSource): T {
  if (isUnconfigured(slot)) throw new SfpipeError('unsupported', source, slot.reason, slot.hint === undefined ? {} : { hint: slot.hint });
  return slot;
}

/** One admin SQL session per runbook run, opened when first needed and closed at the end. */
export class AdminSql {
  private runner: SqlRunner | undefined;
  constructor(private readonly env: RunbookEnv) {}

  get(): SqlRunner {
    const open = this.env.openAdminSql;
    if (typeof open !== 'function') throw new SfpipeError('unsupported', 'snowflake', open.reason, open.hint === undefined ? {} : { hint: open.hint });
    this.runner ??= open();
    return this.runner;
  }

  async close(): Promise<void> {
    const r = this.runner;
    this.runner = undefined;
    await r?.close();
  }
}

/** Journal keys are scoped to the account, endpoint and database the scripts ran against. */
export function journalScope(env: RunbookEnv): string {
  const admin = env.config.snowflake.admin;
  const where = admin ? `${admin.account}@${admin.host ?? 'snowflakecomputing.com'}` : 'unconfigured';
  return `sql|${where}|${env.inputs.sqlVariables.database ?? ''}|`;
}
