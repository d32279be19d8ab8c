/** Shared shapes of the test harness: each service module implements HarnessService. */
export type HarnessServiceName = 'docker' | 'kafka' | 'connect' | 'snowflake' | 'schema-registry';

export interface ServiceStatus {
  name: HarnessServiceName;
  /** running: started by the harness and answering; external: the user's own (e.g. their Docker engine); stopped; failed */
  state: 'running' | 'external' | 'stopped' | 'failed';
  endpoint: string | undefined;
  pid: number | undefined;
  log: string | undefined;
  detail?: string;
}

export interface HarnessContext {
  /** root of the cache (downloads, venvs, data dirs, logs, pid files) */
  home: string;
  /** write a progress line for humans (stderr) */
  progress(line: string): void;
}

export interface HarnessService {
  name: HarnessServiceName;
  /** services that must be up first */
  dependsOn: HarnessServiceName[];
  /** Provision (install/download into the cache) and start; idempotent: a running service is reused. */
  up(ctx: HarnessContext): Promise<ServiceStatus>;
  status(ctx: HarnessContext): Promise<ServiceStatus>;
  /** Stop what the harness started, by pid, never by name. No-op when not running or external. */
  down(ctx: HarnessContext): Promise<void>;
  /** Variables that point sfpipe (and the tests) at this service. */
  env(ctx: HarnessContext): Record<string, string>;
}

/** Thrown when a prerequisite is missing (no Java, no Python, not root); tests skip on it unless REQUIRE_REAL_SERVICES=1. */
export class HarnessPrerequisiteMissing extends Error {
  override readonly name = 'HarnessPrerequisiteMissing';
}

/** Thrown when a step of provisioning or starting failed; carries the step name and the last log lines. */
export class HarnessStepFailed extends Error {
  override readonly name = 'HarnessStepFailed';
  constructor(
    readonly step: string,
    message: string,
    readonly logTail: string = '',
  ) {
    super(`${step}: ${message}${logTail ? `\n--- last log lines ---\n${logTail}` : ''}`);
  }
}
