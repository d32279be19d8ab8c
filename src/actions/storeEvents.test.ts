import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../audit/auditLog.js';
import { systemClock } from '../domain/clock.js';
import { connectorJson, fakeRunbookEnv } from '../runbooks/fakeEnv.js';
import { fakeConnector } from '../services/fakes.js';
import { createPipelineStore } from '../store/pipelineStore.js';
import { findAction, runAction } from './index.js';
import { runbookEventsToStore } from './storeEvents.js';

describe('runbook events in the store', () => {
  it('a runbook started from the console tells the log pane each step and the closing account', async () => {
    const env = fakeRunbookEnv({ connectors: [{ file: 'src.json', text: connectorJson('src', 'org.apache.kafka.connect.file.FileStreamSourceConnector') }] });
    env.services.connect.connectors = [fakeConnector('src')];
    const store = createPipelineStore();
    await runAction(findAction('pause'), {
      config: env.config,
      services: env.services,
      clock: systemClock,
      who: 'ssh:SHA256:abc',
      audit: new MemoryAuditLog(systemClock),
      store,
      runbookEnv: () => env,
      onEvent: runbookEventsToStore(store, systemClock),
    });
    const messages = store.getState().events.map((e) => e.message);
    expect(messages[0]).toBe('Pause the pipeline: 2 steps');
    expect(messages).toContain('[1/2] pause the source (datagen) connectors');
    expect(messages).toContain('pause-sources: done — paused src');
    expect(messages.some((m) => m.startsWith('pause: completed in'))).toBe(true);
    expect(messages.at(-1)).toMatch(/^ssh:SHA256:abc: pause completed/);
    expect(store.getState().lastAction).toMatchObject({ action: 'Pause the pipeline', ok: true });
  });
});
