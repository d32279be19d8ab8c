/** What setup and cleanup ask of Docker Compose: the stack as a whole, not single containers. */
import type { CallOptions } from '../types.js';

export interface ComposeTarget {
  /** path of the compose file */
  file: string;
  /** compose project name (-p) */
  project: string;
  /** extra variables the compose file interpolates */
  env?: Readonly<Record<string, string>>;
}

export interface ComposeContainer {
  id: string;
  name: string;
  /** compose service (label com.docker.compose.service) */
  service: string | undefined;
  /** created, running, paused, restarting, exited, dead … */
  state: string;
  health: 'healthy' | 'unhealthy' | 'starting' | 'none';
  exitCode: number | undefined;
}

export interface ComposeCallOptions extends CallOptions {
  /** each output line of the underlying command, as it comes */
  onLine?: (line: string) => void;
}

export interface ComposeRunner {
  readonly target: ComposeTarget;
  /** How a subcommand is run, for plans: "docker-compose -f … -p … up -d". */
  commandLine(subcommand: string[]): string;
  /** Services the compose file defines (no engine needed). */
  services(opts?: ComposeCallOptions): Promise<string[]>;
  /** Every container of the project, running or not (label com.docker.compose.project). */
  containers(opts?: ComposeCallOptions): Promise<ComposeContainer[]>;
  /** Volumes of the project. */
  volumes(opts?: ComposeCallOptions): Promise<string[]>;
  up(opts?: ComposeCallOptions): Promise<void>;
  down(options: { volumes: boolean }, opts?: ComposeCallOptions): Promise<void>;
  /** Last log lines of one container. */
  logs(container: string, lines: number, opts?: ComposeCallOptions): Promise<string[]>;
}
