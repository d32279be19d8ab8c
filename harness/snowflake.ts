// Placeholder until the Docker harness service lands (being written now).
import type { HarnessService } from './types.js';
import { HarnessPrerequisiteMissing } from './types.js';
const notYet = (): never => { throw new HarnessPrerequisiteMissing('snowflake harness not written yet'); };
export const snowflakeService: HarnessService = { name: 'snowflake', dependsOn: [], up: async () => notYet(), status: async () => ({ name: 'snowflake', state: 'stopped', endpoint: undefined, pid: undefined, log: undefined }), down: async () => {}, env: () => ({}) };
