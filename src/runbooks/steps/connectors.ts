/** Setup: deploy the pipeline's connectors (secrets filled from config); cleanup: delete them. */
import { connectorConfigPath, redactRendered, renderConnector, type RenderedConnector } from '../../connectors/render.js';
import { isSecretKey } from '../../connectors/secrets.js';
import { MASK } from '../../config/secret.js';
import type { ConnectorInfo } from '../../domain/model.js';
import { need, type Deployable, type RunbookEnv } from '../env.js';
import type { Runbook, RunbookStep } from '../types.js';
import { waitFor } from '../wait.js';
import { describeState, failedError, overallState, pipelineConnectors } from './connectState.js';
import { placeholderValues } from './connectorValues.js';

const RUNNING_TIMEOUT_MS = 90_000;

const render = (d: Deployable, values: Record<string, string>) => renderConnector(d.spec, values, { name: d.name });

/** Same configuration as deployed? Secret values are masked by the adapter: only their presence counts. */
function sameConfig(deployed: ConnectorInfo, wanted: RenderedConnector): boolean {
  return Object.entries(wanted.config).every(([k, v]) => {
    const have = deployed.config[k];
    if (have === undefined) return false;
    if (wanted.secretKeys.includes(k) || isSecretKey(k) || have === MASK) return true;
    return have === v;
  });
}

export function deployConnectorsStep(env: RunbookEnv, runbook: Pick<Runbook, 'secrets'>): RunbookStep {
  const planned = async () => {
    const deployables = await env.inputs.connectors();
    const { values } = placeholderValues(env, true);
    return deployables.map((d) => ({ d, rendered: render(d, values) }));
  };
  return {
    id: 'connectors',
    title: 'deploy the connectors',
    async check(ctx) {
      const wanted = await planned();
      const p = await pipelineConnectors(env, wanted.map((w) => w.d), ctx);
      const stale = wanted.filter((w) => !p.deployed.has(w.d.name) || !sameConfig(p.deployed.get(w.d.name)!, w.rendered)).map((w) => w.d.name);
      return stale.length === 0 ? { done: true, detail: `all ${wanted.length} deployed with this configuration` } : { done: false, detail: `to deploy: ${stale.join(', ')}` };
    },
    async plan() {
      return (await planned()).map(({ d, rendered }) => ({
        kind: 'rest' as const,
        text: `PUT ${env.config.connect.url}${connectorConfigPath(d.name)} ${JSON.stringify(redactRendered(rendered).config)}`,
        location: d.spec.file,
      }));
    },
    async apply(ctx) {
      const connect = need(env.services.connect, 'connect');
      const deployables = await env.inputs.connectors();
      const { values, secrets } = placeholderValues(env, false);
      // whatever Connect or the adapter says back must not carry the key or passphrase
      runbook.secrets.push(...secrets);
      const done: string[] = [];
      for (const [i, d] of deployables.entries()) {
        ctx.progress(`PUT ${connectorConfigPath(d.name)}`, i / deployables.length);
        const outcome = await connect.deploy(d.name, render(d, values).config, { timeoutMs: env.callTimeoutMs, signal: ctx.signal });
        done.push(`${outcome} ${d.name}`);
      }
      await waitFor('the connectors to run', ctx, async () => {
        const p = await pipelineConnectors(env, deployables, ctx);
        const all = [...p.deployed.values()];
        const failed = all.find((c) => overallState(c) === 'FAILED');
        if (failed) throw failedError(failed);
        const pending = all.filter((c) => overallState(c) !== 'RUNNING');
        const status = pending.length ? `waiting: ${pending.map(describeState).join('; ')}` : 'all running';
        return { done: pending.length === 0 && p.missing.length === 0, value: undefined, status };
      }, { source: 'connect', timeoutMs: RUNNING_TIMEOUT_MS, intervalMs: env.pollMs });
      return `${done.join(', ')}; all running`;
    },
  };
}

export function deleteConnectorsStep(env: RunbookEnv): RunbookStep {
  return {
    id: 'delete-connectors',
    title: 'delete the connectors',
    async check(ctx) {
      const p = await pipelineConnectors(env, await env.inputs.connectors(), ctx);
      return p.deployed.size === 0 ? { done: true, detail: 'none of the pipeline connectors is deployed' } : { done: false, detail: `deployed: ${[...p.deployed.keys()].join(', ')}` };
    },
    async plan() {
      return (await env.inputs.connectors()).map((d) => ({ kind: 'rest' as const, text: `DELETE ${env.config.connect.url}/connectors/${encodeURIComponent(d.name)}`, location: d.spec.file }));
    },
    async apply(ctx) {
      const connect = need(env.services.connect, 'connect');
      const deployables = await env.inputs.connectors();
      const p = await pipelineConnectors(env, deployables, ctx);
      for (const name of p.deployed.keys()) {
        ctx.progress(`DELETE /connectors/${name}`);
        await connect.delete(name, { timeoutMs: env.callTimeoutMs, signal: ctx.signal });
      }
      await waitFor('the connectors to disappear', ctx, async () => {
        const left = await pipelineConnectors(env, deployables, ctx);
        return { done: left.deployed.size === 0, value: undefined, status: left.deployed.size ? `still listed: ${[...left.deployed.keys()].join(', ')}` : 'gone' };
      }, { source: 'connect', timeoutMs: RUNNING_TIMEOUT_MS, intervalMs: env.pollMs });
      return p.deployed.size ? `deleted ${[...p.deployed.keys()].join(', ')}` : 'nothing to delete';
    },
  };
}
