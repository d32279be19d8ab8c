/** Reading the pipeline's connectors off the Connect worker: which exist, in which state. */
import { SfpipeError } from '../../domain/errors.js';
import type { ConnectorInfo } from '../../domain/model.js';
import { need, type Deployable, type RunbookEnv } from '../env.js';
import type { StepContext } from '../types.js';

export type Overall = 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'PENDING';

/** One word for a connector and its tasks together. */
export function overallState(c: ConnectorInfo): Overall {
  if (c.state === 'FAILED' || c.tasks.some((t) => t.state === 'FAILED')) return 'FAILED';
  if (c.state === 'STOPPED') return 'STOPPED';
  if (c.state === 'PAUSED' && c.tasks.every((t) => t.state === 'PAUSED')) return 'PAUSED';
  if (c.state === 'RUNNING' && c.tasks.length > 0 && c.tasks.every((t) => t.state === 'RUNNING')) return 'RUNNING';
  return 'PENDING';
}

export function describeState(c: ConnectorInfo): string {
  const tasks = c.tasks.map((t) => `${t.id}:${t.state}`).join(' ');
  return `${c.name} ${c.state}${tasks ? ` [tasks ${tasks}]` : ' [no tasks yet]'}`;
}

/** The first line of a failed connector's (or task's) trace: what Connect says went wrong. */
export function failureOf(c: ConnectorInfo): string {
  const trace = c.trace ?? c.tasks.find((t) => t.state === 'FAILED')?.trace ?? '';
  return trace.split('\n')[0]?.trim() || 'no trace';
}

export function failedError(c: ConnectorInfo): SfpipeError {
  return new SfpipeError('bad-response', 'connect', `connector ${c.name} FAILED: ${failureOf(c)}`, {
    hint: `see GET /connectors/${c.name}/status; fix the cause, then restart it (sfpipe action connector.restart ${c.name}) or re-run`,
  });
}

export interface PipelineConnectors {
  /** deployed pipeline connectors by name */
  deployed: Map<string, ConnectorInfo>;
  /** pipeline connectors not deployed */
  missing: string[];
}

export async function pipelineConnectors(env: RunbookEnv, deployables: readonly Deployable[], ctx: StepContext): Promise<PipelineConnectors> {
  const list = await need(env.services.connect, 'connect').list({ timeoutMs: env.callTimeoutMs, signal: ctx.signal });
  const deployed = new Map<string, ConnectorInfo>();
  const missing: string[] = [];
  for (const d of deployables) {
    const c = list.find((x) => x.name === d.name);
    if (c) deployed.set(d.name, c);
    else missing.push(d.name);
  }
  return { deployed, missing };
}

/** Deployed pipeline connectors of one type (Connect says which are sources and which sinks). */
export function ofType(p: PipelineConnectors, type: 'source' | 'sink'): ConnectorInfo[] {
  return [...p.deployed.values()].filter((c) => c.type === type);
}

export const sinkGroupOf = (sinkName: string) => `connect-${sinkName}`;
