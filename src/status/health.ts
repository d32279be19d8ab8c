/** Health for scripts: every configured source ok → exit 0; any configured source stale or down → 1. */
import { SOURCE_NAMES } from '../domain/model.js';
import type { PipelineState } from '../store/state.js';

export function isHealthy(state: PipelineState): boolean {
  return SOURCE_NAMES.every((name) => {
    const status = state.sources[name].status;
    return status === 'ok' || status === 'unconfigured';
  });
}

export function statusExitCode(state: PipelineState): 0 | 1 {
  return isHealthy(state) ? 0 : 1;
}
