/**
 * The details views one SSH session may open. Operators get the console's details provider
 * as it is. Read-only sessions get it without the raw-table view: that view runs queries that
 * resume a Snowflake warehouse and bill credits, which a viewer must not be able to cause.
 */
import { SfpipeError } from '../domain/errors.js';
import type { ConsoleMode } from '../keymap/actions.js';
import type { DetailsProvider } from '../ui/details/types.js';

export const VIEWER_NO_WAREHOUSE = 'read-only viewers cannot run warehouse queries; ask an operator';

export function detailsForSession(details: DetailsProvider | undefined, mode: ConsoleMode): DetailsProvider | undefined {
  if (!details || !mode.readOnly) return details;
  return {
    containerLogs: (id, tail, signal) => details.containerLogs(id, tail, signal),
    connector: (name, signal) => details.connector(name, signal),
    topic: (topic, lastMessages, signal) => details.topic(topic, lastMessages, signal),
    table: () =>
      Promise.reject(
        new SfpipeError('unsupported', 'ssh', VIEWER_NO_WAREHOUSE, {
          hint: 'this view resumes a Snowflake warehouse, which bills credits',
        }),
      ),
  };
}
