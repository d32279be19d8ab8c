import { describe, expect, it } from 'vitest';
import { auditActor, describeWho, sessionMode, VIEWER_READ_ONLY, type SessionWho } from './identity.js';

const who = (role: SessionWho['role']): SessionWho => ({ kind: 'ssh', user: 'demo', fingerprint: 'SHA256:abc', keyComment: 'alice', address: '127.0.0.1', role });

describe('session identity', () => {
  it('is the key fingerprint in the audit log', () => {
    expect(auditActor(who('operator'))).toBe('ssh:SHA256:abc');
    expect(describeWho(who('viewer'))).toBe('viewer demo@127.0.0.1 key SHA256:abc (alice)');
  });

  it('lets operators operate and makes everyone else a read-only viewer', () => {
    expect(sessionMode(who('operator'))).toEqual({ readOnly: false });
    expect(sessionMode(who('viewer'))).toEqual({ readOnly: true, reason: VIEWER_READ_ONLY });
    expect(VIEWER_READ_ONLY).toMatch(/read-only/);
    expect(sessionMode(who('operator'), 'read-only mode (console.read_only)')).toEqual({ readOnly: true, reason: 'read-only mode (console.read_only)' });
  });
});
