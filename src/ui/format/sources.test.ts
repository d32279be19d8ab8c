import { describe, expect, it } from 'vitest';
import { down, err, ok, stale, T0, unconfigured } from '../test-utils/fixtures.js';
import { fixLine, sourceGuidance, sourceSummary, summaryText } from './sources.js';

describe('source summary', () => {
  it('gives the data’s age, and the problem when there is one', () => {
    expect(summaryText(sourceSummary(ok([], T0 - 4_000), T0))).toBe('ok 4s');
    expect(summaryText(sourceSummary(stale([], T0 - 45_000, err('timeout', 'kafka', 'no answer in 5s')), T0))).toBe('stale 45s old (timeout)');
    expect(summaryText(sourceSummary(down(err('unreachable', 'connect', 'ECONNREFUSED')), T0))).toBe('down (unreachable)');
    expect(summaryText(sourceSummary(unconfigured('snowflake', 'no connection'), T0))).toBe('not configured');
  });

  it('does not call a source down before its first answer', () => {
    const initial = { status: 'down' as const, data: undefined, error: undefined, updatedAt: undefined, attemptedAt: undefined, latencyMs: undefined };
    expect(sourceSummary(initial, T0).look.word).toBe('connecting…');
  });
});

describe('guidance when a pane has nothing to show', () => {
  it('says what is missing and what fixes it, with the setup key when there is one', () => {
    const g = sourceGuidance('kafka', down(err('unreachable', 'kafka', 'connect ECONNREFUSED 127.0.0.1:9092')), T0, 'S');
    expect(g?.lines[0]).toBe('Kafka broker unreachable: connect ECONNREFUSED 127.0.0.1:9092');
    expect(g?.fix).toContain('Press S to run setup');
    expect(g?.fix).toContain('sfpipe doctor');
    expect(fixLine(undefined)).toContain('`sfpipe setup`');
  });

  it('uses the poller’s reason and hint for an unconfigured source', () => {
    const g = sourceGuidance('snowflake', unconfigured('snowflake', 'no Snowflake connection configured', 'add one to ~/.snowflake/connections.toml'), T0, undefined);
    expect(g?.lines).toEqual(['No Snowflake connection configured.', 'Add one to ~/.snowflake/connections.toml.']);
  });

  it('with last-known data: one line saying how old the data shown is', () => {
    const g = sourceGuidance('docker', stale([], T0 - 45_000, err('timeout', 'docker', 'no answer in 5s')), T0, 'S');
    expect(g).toMatchObject({ role: 'warn', fix: undefined });
    expect(g?.lines).toEqual(['Docker engine timed out: no answer in 5s — showing data from 45s ago.']);
    expect(sourceGuidance('docker', ok([]), T0, 'S')).toBeUndefined();
  });
});
