import { describe, expect, it, vi } from 'vitest';
import { SfpipeError } from '../../domain/errors.js';
import { healthyState } from '../test-utils/fixtures.js';
import { KEYS, renderApp } from '../test-utils/render.js';
import type { ConnectorDetails, DetailsProvider } from './types.js';

/** A provider whose answers the test releases by hand, recording what was asked and aborted. */
function fakeProvider() {
  const calls: Array<{ what: string; signal: AbortSignal; resolve: (v: unknown) => void; reject: (e: unknown) => void }> = [];
  const pending = <T,>(what: string, signal: AbortSignal) => new Promise<T>((resolve, reject) => calls.push({ what, signal, resolve: resolve as (v: unknown) => void, reject }));
  const provider: DetailsProvider = {
    containerLogs: (id, _tail, signal) => pending(`logs ${id}`, signal),
    connector: (name, signal) => pending(`connector ${name}`, signal),
    topic: (topic, _n, signal) => pending(`topic ${topic}`, signal),
    table: (topic, _n, signal) => pending(`table ${topic}`, signal),
  };
  return { provider, calls };
}

const sink: ConnectorDetails = {
  name: 'snowflake-sink',
  state: 'RUNNING',
  trace: undefined,
  config: { 'snowflake.private.key.passphrase': 'hunter2', 'topics': 'orders' },
  tasks: [{ id: 0, state: 'RUNNING', workerId: 'w1', trace: undefined }],
};

describe('details view', () => {
  it('Enter on a connector: loading, then its redacted config and tasks; Esc closes and aborts nothing left', async () => {
    const { provider, calls } = fakeProvider();
    const r = await renderApp({ state: healthyState(), details: provider });
    await r.press('3', KEYS.end, KEYS.enter);
    expect(calls.map((c) => c.what)).toEqual(['connector snowflake-sink']);
    expect(r.frame()).toContain('Connector snowflake-sink');
    expect(r.frame()).toContain('Loading…');
    calls[0]!.resolve(sink);
    await r.settle();
    expect(r.frame()).toContain('● task 0: RUNNING on w1');
    expect(r.frame()).toContain('snowflake.private.key.passphrase = •••••• (redacted)');
    expect(r.frame()).not.toContain('hunter2');
    await r.press(KEYS.escape);
    expect(r.frame()).toContain('3 Connectors');
  });

  it('a failure is shown as the error, not a crash; closing a loading view aborts the request', async () => {
    const { provider, calls } = fakeProvider();
    const r = await renderApp({ state: healthyState(), details: provider });
    await r.press('2', KEYS.enter);
    calls[0]!.reject(new SfpipeError('timeout', 'kafka', 'no answer in 5s'));
    await r.settle();
    expect(r.frame()).toContain('✗ kafka: no answer in 5s');
    await r.press(KEYS.escape, '1', KEYS.enter);
    expect(calls[1]!.what).toBe('logs id-broker');
    await r.press(KEYS.escape);
    expect(calls[1]!.signal.aborted).toBe(true);
    calls[1]!.resolve(['late line']); // a late answer for a closed view is dropped
    await r.settle();
    expect(r.frame()).not.toContain('late line');
  });

  it('Snowflake rows are fetched only on Enter (they wake a warehouse), and scroll', async () => {
    const { provider, calls } = fakeProvider();
    const r = await renderApp({ state: healthyState(), details: provider });
    await r.press('4');
    expect(calls).toHaveLength(0);
    await r.press(KEYS.enter);
    expect(calls.map((c) => c.what)).toEqual(['table pageviews']);
    const rows = Array.from({ length: 40 }, (_, i) => [`{"offset":${i}}`, `{"n":${i}}`]);
    calls[0]!.resolve({ table: 'PAGEVIEWS', columns: ['RECORD_METADATA', 'RECORD_CONTENT'], rows, taskRuns: [], notes: [] });
    await r.settle();
    expect(r.frame()).toContain('{"n":0}');
    await r.press(KEYS.pageDown, KEYS.pageDown);
    expect(r.frame()).not.toContain('{"n":0}');
    expect(r.frame()).toMatch(/\{"n":\d\d\}/);
  });

  it('a raw table shows its rows ingested per minute under the rows', async () => {
    const { provider, calls } = fakeProvider();
    const r = await renderApp({ state: healthyState(), details: provider });
    await r.press('4', KEYS.enter);
    const minute = (m: number) => Date.UTC(2026, 0, 15, 11, m);
    calls[0]!.resolve({ table: 'PAGEVIEWS', columns: ['RECORD_CONTENT'], rows: [['{"n":1}']], ingestion: [{ minute: minute(58), rows: 600 }, { minute: minute(59), rows: 1_234 }], taskRuns: [], notes: [] });
    await r.settle();
    expect(r.frame()).toContain('Rows ingested per minute');
    expect(r.frame()).toMatch(/█{20}\s+1,234/);
    expect(r.frame()).toMatch(/█{10}\s+600/);
  });

  it('without a provider it says details need a live connection', async () => {
    const r = await renderApp({ state: healthyState() });
    await r.press(KEYS.enter);
    expect(r.frame()).toContain('Details need a live connection');
  });

  it('the pipeline funnel detail comes from the store, no provider call', async () => {
    const { provider, calls } = fakeProvider();
    const spy = vi.spyOn(provider, 'topic');
    const r = await renderApp({ state: healthyState(), details: provider });
    await r.press('5', 'j', KEYS.enter);
    expect(r.frame()).toContain('Funnel of orders');
    expect(r.frame()).toContain('records in Kafka');
    expect(calls).toHaveLength(0);
    expect(spy).not.toHaveBeenCalled();
  });
});
