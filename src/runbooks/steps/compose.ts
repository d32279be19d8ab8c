/** Setup: compose up and wait until every service runs (and is healthy); cleanup: compose down. */
import { SfpipeError } from '../../domain/errors.js';
import { formatMs } from '../../services/timeout.js';
import type { ComposeContainer, ComposeRunner } from '../../services/compose/types.js';
import { need, type RunbookEnv } from '../env.js';
import type { RunbookStep, StepContext } from '../types.js';
import { waitFor } from '../wait.js';

interface StackState {
  ready: boolean;
  status: string;
  /** containers that stopped or turned unhealthy */
  broken: ComposeContainer[];
  readyCount: number;
  total: number;
}

const isReady = (c: ComposeContainer) => c.state === 'running' && (c.health === 'healthy' || c.health === 'none');

async function stackState(compose: ComposeRunner, ctx: StepContext): Promise<StackState> {
  const [services, containers] = await Promise.all([compose.services({ signal: ctx.signal }), compose.containers({ signal: ctx.signal })]);
  const parts: string[] = [];
  const broken: ComposeContainer[] = [];
  let readyCount = 0;
  for (const service of services) {
    const c = containers.find((x) => x.service === service);
    if (!c) {
      parts.push(`${service}: no container`);
      continue;
    }
    if (isReady(c)) readyCount++;
    if (c.state === 'exited' || c.state === 'dead' || c.health === 'unhealthy') broken.push(c);
    parts.push(`${service}: ${c.state}${c.health === 'none' ? '' : ` (${c.health})`}`);
  }
  return { ready: readyCount === services.length, status: parts.join(', ') || 'no services', broken, readyCount, total: services.length };
}

export function composeUpStep(env: RunbookEnv): RunbookStep {
  const timeoutMs = env.inputs.healthyTimeoutMs;
  return {
    id: 'compose-up',
    title: 'start the stack and wait until it is healthy',
    async check(ctx) {
      const s = await stackState(need(env.compose, 'compose'), ctx);
      return { done: s.ready, detail: s.ready ? `${s.total} service(s) running and healthy` : s.status };
    },
    async plan() {
      const compose = need(env.compose, 'compose');
      return [
        { kind: 'docker', text: compose.commandLine(['up', '-d']), location: compose.target.file },
        { kind: 'wait', text: `until every service of project ${compose.target.project} is running and healthy (up to ${formatMs(timeoutMs)})` },
      ];
    },
    async apply(ctx) {
      const compose = need(env.compose, 'compose');
      await compose.up({ onLine: ctx.output, signal: ctx.signal });
      const s = await waitFor(
        'the stack to become healthy',
        ctx,
        async () => {
          const state = await stackState(compose, ctx);
          if (state.broken.length > 0) throw await brokenError(compose, state, ctx);
          return { done: state.ready, value: state, status: state.status, fraction: state.total ? state.readyCount / state.total : 1 };
        },
        { source: 'compose', timeoutMs, intervalMs: env.pollMs, hint: `look at the containers' logs: docker logs <name> (project ${compose.target.project})` },
      );
      return `${s.total} service(s) running and healthy`;
    },
  };
}

async function brokenError(compose: ComposeRunner, state: StackState, ctx: StepContext): Promise<SfpipeError> {
  const c = state.broken[0]!;
  const logs = await compose.logs(c.id, 5, { signal: ctx.signal }).catch(() => [] as string[]);
  const what = c.health === 'unhealthy' ? 'is unhealthy' : `exited${c.exitCode === undefined ? '' : ` with code ${c.exitCode}`}`;
  const tail = logs.length ? `; last log lines:\n${logs.map((l) => `    ${l}`).join('\n')}` : '';
  return new SfpipeError('bad-response', 'compose', `container ${c.name} (${c.service ?? '?'}) ${what}${tail}`, { hint: `fix it, then re-run: docker logs ${c.name}` });
}

export function composeDownStep(env: RunbookEnv, volumes: boolean): RunbookStep {
  return {
    id: 'compose-down',
    title: volumes ? 'take the stack down and remove its volumes' : 'take the stack down (volumes kept)',
    async check(ctx) {
      const compose = need(env.compose, 'compose');
      const containers = await compose.containers({ signal: ctx.signal });
      const vols = volumes ? await compose.volumes({ signal: ctx.signal }) : [];
      if (containers.length === 0 && vols.length === 0) return { done: true, detail: `no container${volumes ? ' or volume' : ''} of project ${compose.target.project}` };
      return { done: false, detail: `${containers.length} container(s)${volumes ? `, ${vols.length} volume(s)` : ''} of project ${compose.target.project}` };
    },
    async plan() {
      const compose = need(env.compose, 'compose');
      return [{ kind: 'docker', text: compose.commandLine(['down', '--remove-orphans', ...(volumes ? ['--volumes'] : [])]), location: compose.target.file }];
    },
    async apply(ctx) {
      const compose = need(env.compose, 'compose');
      await compose.down({ volumes }, { onLine: ctx.output, signal: ctx.signal });
      const left = await compose.containers({ signal: ctx.signal });
      if (left.length > 0) throw new SfpipeError('conflict', 'compose', `after down, ${left.length} container(s) of project ${compose.target.project} remain: ${left.map((c) => c.name).join(', ')}`);
      return volumes ? 'containers and volumes removed' : 'containers removed (volumes kept; --volumes removes them)';
    },
  };
}
