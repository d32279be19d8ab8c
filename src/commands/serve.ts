import type { CommandRun } from '../cli/commands.js';
import { SfpipeError } from '../domain/errors.js';

// Not built yet: see the open issue for this command. Fails loudly rather than pretending.
export const run: CommandRun = async () => {
  throw new SfpipeError('unsupported', 'cli', 'this command is not implemented yet', { hint: 'see the project issues' });
};
