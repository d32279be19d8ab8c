import { describe, expect, it } from 'vitest';
import { SfpipeError } from '../domain/errors.js';
import { createPipelineStore } from '../store/pipelineStore.js';
import { buildStatusJson, scrubText } from './json.js';
import { statusExitCode } from './health.js';

describe('status JSON', () => {
  it('scrubs URL credentials, private keys and configured secrets from text', () => {
    const pem = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----';
    const text = `failed at http://user:pa55@127.0.0.1:8083/connectors with key ${pem} and passphrase s3cret-value`;
    const out = scrubText(text, ['s3cret-value']);
    expect(out).toBe('failed at http://***@127.0.0.1:8083/connectors with key *** and passphrase ***');
  });

  it('unknown values are null, never missing; an error only when not ok', () => {
    const store = createPipelineStore({ pipelineTopics: ['orders'] });
    store.getState().sourceFailed('kafka', new SfpipeError('unreachable', 'kafka', 'ECONNREFUSED', { hint: 'start the broker' }), 1_000);
    const json = buildStatusJson(store.getState(), 2_000, { rateWindowMs: 30_000 });
    expect(json.sources.kafka).toEqual({ status: 'down', updatedAt: null, ageMs: null, latencyMs: null, error: { kind: 'unreachable', message: 'ECONNREFUSED', hint: 'start the broker' } });
    expect(json.topics).toEqual([
      {
        name: 'orders',
        ratePerSecond: null,
        partitions: null,
        funnel: {
          produced: null, committedBySink: null, sinkLag: null, rawRows: null, inStream: null, extractedRows: null,
          verdict: { waitingAt: 'unknown', waiting: null, since: null, explanation: 'kafka is down: produced and committed counts unknown' },
        },
      },
    ]);
  });

  it('exit code: 0 only when every configured source is ok', () => {
    const store = createPipelineStore();
    const s = store.getState;
    for (const src of ['docker', 'kafka', 'connect'] as const) s().sourceUnconfigured(src, 'not set');
    s().sourceSucceeded('snowflake', { database: 'D', schema: 'S', topics: [] }, 1, 1);
    expect(statusExitCode(s())).toBe(0);
    s().sourceFailed('snowflake', new SfpipeError('timeout', 'snowflake', 'slow'), 2);
    expect(s().sources.snowflake.status).toBe('stale');
    expect(statusExitCode(s())).toBe(1);
  });
});
