import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addSecret, log, logFilePath } from './fileLog.js';

describe('file log', () => {
  it('writes 0600 lines and never a registered secret or a PEM block', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sfpipe-log-')), 'sub', 'sfpipe.log');
    addSecret('hunter2-passphrase');
    log('error', 'login failed with passphrase hunter2-passphrase\n-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHzBJBgkq\n-----END ENCRYPTED PRIVATE KEY-----', file);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('login failed with passphrase');
    expect(text).not.toContain('hunter2-passphrase');
    expect(text).not.toContain('MIIFHzBJBgkq');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('honours SFPIPE_LOG_FILE and XDG_STATE_HOME', () => {
    expect(logFilePath({ SFPIPE_LOG_FILE: '/x/y.log' }, '/home/u')).toBe('/x/y.log');
    expect(logFilePath({ XDG_STATE_HOME: '/s' }, '/home/u')).toBe('/s/sfpipe/sfpipe.log');
    expect(logFilePath({}, '/home/u')).toBe('/home/u/.local/state/sfpipe/sfpipe.log');
  });
});
