/** Setup step: the connector classes the pipeline needs are installed in the Connect worker. */
import { SfpipeError } from '../../domain/errors.js';
import { need, type RunbookEnv } from '../env.js';
import type { RunbookStep, StepContext } from '../types.js';
import { waitFor } from '../wait.js';

const PLUGIN_WAIT_MS = 60_000;

export function pluginsStep(env: RunbookEnv): RunbookStep {
  const required = env.inputs.requiredPlugins;
  const missing = async (ctx: StepContext) => {
    const plugins = await need(env.services.connect, 'connect').plugins({ timeoutMs: env.callTimeoutMs, signal: ctx.signal });
    const have = new Set(plugins.map((p) => p.className));
    return { absent: required.filter((c) => !have.has(c)), installed: plugins.map((p) => p.className) };
  };
  return {
    id: 'plugins',
    title: 'check the connector plugins in the worker',
    async check(ctx) {
      const { absent } = await missing(ctx);
      return absent.length === 0 ? { done: true, detail: `installed: ${required.map(short).join(', ')}` } : { done: false, detail: `not (yet) installed: ${absent.join(', ')}` };
    },
    async plan() {
      return [{ kind: 'rest', text: `GET ${env.config.connect.url}/connector-plugins — expect ${required.join(', ')}` }];
    },
    async apply(ctx) {
      // a worker that just started loads its plugins for a while: give it a minute
      let last: { absent: string[]; installed: string[] } = { absent: required, installed: [] };
      try {
        await waitFor('the plugins to appear', ctx, async () => {
          last = await missing(ctx);
          return { done: last.absent.length === 0, value: last, status: last.absent.length ? `missing ${last.absent.map(short).join(', ')}` : 'all installed' };
        }, { source: 'connect', timeoutMs: PLUGIN_WAIT_MS, intervalMs: env.pollMs });
      } catch (err) {
        if (!(err instanceof SfpipeError) || err.kind !== 'timeout' || ctx.signal.aborted) throw err;
        throw new SfpipeError('not-found', 'connect', `connector plugin(s) not installed in the worker at ${env.config.connect.url}: ${last.absent.join(', ')} (installed: ${last.installed.map(short).join(', ') || 'none'})`, {
          hint: 'install them into the worker (docker/connect/Dockerfile does for the compose stack) and restart it',
        });
      }
      return `installed: ${required.map(short).join(', ')}`;
    },
  };
}

const short = (className: string) => className.slice(className.lastIndexOf('.') + 1);
