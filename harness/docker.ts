// Placeholder until the Docker harness service lands (being written now).
import type { HarnessService } from './types.js';
import { HarnessPrerequisiteMissing } from './types.js';
const notYet = (): never => { throw new HarnessPrerequisiteMissing('docker harness not written yet'); };
export const dockerService: HarnessService = { name: 'docker', dependsOn: [], up: async () => notYet(), status: async () => ({ name: 'docker', state: 'stopped', endpoint: undefined, pid: undefined, log: undefined }), down: async () => {}, env: () => ({}) };
