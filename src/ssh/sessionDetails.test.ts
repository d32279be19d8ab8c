import { describe, expect, it, vi } from 'vitest';
import type { DetailsProvider, TableDetails } from '../ui/details/types.js';
import { detailsForSession, VIEWER_NO_WAREHOUSE } from './sessionDetails.js';

const TABLE: TableDetails = { table: 'ORDERS', columns: ['RECORD_CONTENT'], rows: [['{"orderid":1}']], taskRuns: [], notes: [] };

function fakeDetails() {
  return {
    containerLogs: vi.fn(async () => ['broker started']),
    connector: vi.fn(async (name: string) => ({ name, config: {}, state: 'RUNNING', trace: undefined, tasks: [] })),
    topic: vi.fn(async (topic: string) => ({ topic, partitions: [], messages: [] })),
    table: vi.fn(async () => TABLE),
  } satisfies DetailsProvider;
}

const signal = new AbortController().signal;

describe('details for an SSH session', () => {
  it('an operator gets the console’s provider, table view included', async () => {
    const details = fakeDetails();
    const forOperator = detailsForSession(details, { readOnly: false })!;
    await expect(forOperator.table('orders', 10, signal)).resolves.toBe(TABLE);
    expect(details.table).toHaveBeenCalledWith('orders', 10, signal);
  });

  it('a read-only viewer is refused the warehouse-bound table view, and the warehouse is never asked', async () => {
    const details = fakeDetails();
    const forViewer = detailsForSession(details, { readOnly: true, reason: 'read-only viewer session' })!;
    const err = await forViewer.table('orders', 10, signal).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'unsupported', source: 'ssh', message: VIEWER_NO_WAREHOUSE });
    expect(VIEWER_NO_WAREHOUSE).toBe('read-only viewers cannot run warehouse queries; ask an operator');
    expect(details.table).not.toHaveBeenCalled();
  });

  it('a viewer still gets container logs, connector and topic details', async () => {
    const details = fakeDetails();
    const forViewer = detailsForSession(details, { readOnly: true })!;
    await expect(forViewer.containerLogs('id-broker', 200, signal)).resolves.toEqual(['broker started']);
    await expect(forViewer.connector('datagen-orders', signal)).resolves.toMatchObject({ name: 'datagen-orders' });
    await expect(forViewer.topic('orders', 10, signal)).resolves.toMatchObject({ topic: 'orders' });
    expect(details.containerLogs).toHaveBeenCalledWith('id-broker', 200, signal);
  });

  it('without a provider there is nothing to wrap', () => {
    expect(detailsForSession(undefined, { readOnly: true })).toBeUndefined();
  });
});
