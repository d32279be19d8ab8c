// Placeholder until the Kafka harness service lands (being written now).
import type { HarnessService } from './types.js';
import { HarnessPrerequisiteMissing } from './types.js';
const notYet = (): never => { throw new HarnessPrerequisiteMissing('kafka harness not written yet'); };
export const kafkaService: HarnessService = { name: 'kafka', dependsOn: [], up: async () => notYet(), status: async () => ({ name: 'kafka', state: 'stopped', endpoint: undefined, pid: undefined, log: undefined }), down: async () => {}, env: () => ({}) };
export const connectService: HarnessService = { name: 'connect', dependsOn: ['kafka'], up: async () => notYet(), status: async () => ({ name: 'connect', state: 'stopped', endpoint: undefined, pid: undefined, log: undefined }), down: async () => {}, env: () => ({}) };
