/**
 * For unit tests: a RunbookEnv over the in-memory fakes (src/services/fakes.ts), a memory
 * journal and connector files given as text. The real stack is driven by the integration tests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { Secret } from '../config/secret.js';
import { parseConnectorText } from '../connectors/load.js';
import { systemClock } from '../domain/clock.js';
import { createFakeServices, type FakeServices } from '../services/fakes.js';
import type { ComposeContainer, ComposeRunner, ComposeTarget } from '../services/compose/types.js';
import type { PipelineInputs, RunbookEnv } from './env.js';
import { MemoryJournal } from './journal.js';

export interface FakeEnv extends RunbookEnv {
  services: FakeServices;
  journal: MemoryJournal;
  compose: FakeCompose;
}

/** Compose in memory: up starts one healthy container per service, down removes them. */
export class FakeCompose implements ComposeRunner {
  containers_: ComposeContainer[] = [];
  calls: string[] = [];
  constructor(readonly target: ComposeTarget, readonly serviceNames: string[] = ['broker', 'connect']) {}
  commandLine(sub: string[]): string {
    return `docker-compose -f ${this.target.file} -p ${this.target.project} ${sub.join(' ')}`;
  }
  services = async () => [...this.serviceNames];
  containers = async () => this.containers_.map((c) => ({ ...c }));
  volumes = async () => [];
  logs = async () => [];
  async up(): Promise<void> {
    this.calls.push('up');
    this.containers_ = this.serviceNames.map((s) => ({ id: `id-${s}`, name: `${this.target.project}_${s}_1`, service: s, state: 'running', health: 'healthy', exitCode: undefined }));
  }
  async down(): Promise<void> {
    this.calls.push('down');
    this.containers_ = [];
  }
}

export const connectorJson = (name: string, connectorClass: string, extra: Record<string, string> = {}) => JSON.stringify({ name, config: { 'connector.class': connectorClass, 'tasks.max': '1', ...extra } });

export function fakeRunbookEnv(options: { connectors?: { file: string; text: string }[]; inputs?: Partial<PipelineInputs>; passphrase?: Secret } = {}): FakeEnv {
  const dir = mkdtempSync(join(tmpdir(), 'sfpipe-runbook-'));
  const config = loadConfig({ cwd: dir, env: {}, homedir: dir, skipConnections: true });
  const services = createFakeServices(systemClock, 'connect-sink');
  const files = options.connectors ?? [];
  const inputs: PipelineInputs = {
    compose: { file: join(dir, 'docker-compose.yml'), project: 'sfpipe-unit' },
    keysDir: join(dir, 'keys'),
    requiredPlugins: [],
    connectors: async () => files.map((f) => {
      const spec = parseConnectorText(f.text, f.file);
      return { spec, name: spec.name };
    }),
    setupScripts: [],
    cleanupScripts: [],
    sqlVariables: { database: 'KAFKA_DB', schema: 'PUBLIC', role: 'R', user: 'U' },
    topics: [{ name: 't', partitions: 1, replicationFactor: 1 }],
    tasks: [],
    flow: { timeoutMs: 2_000, checkWindowMs: 100, maxLag: 1_000 },
    drainTimeoutMs: 2_000,
    healthyTimeoutMs: 2_000,
    passphrase: options.passphrase,
    ...options.inputs,
  };
  return {
    config,
    services,
    compose: new FakeCompose(inputs.compose),
    openAdminSql: { reason: 'no admin connection in unit tests' },
    inputs,
    journal: new MemoryJournal(),
    clock: systemClock,
    callTimeoutMs: 1_000,
    pollMs: 5,
    slowPollMs: 5,
  };
}
