import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Secret } from '../config/secret.js';
import { ManualClock } from '../domain/clock.js';
import { SfpipeError } from '../domain/errors.js';
import { createFileAuditLog, localActor } from './auditLog.js';
import { auditLogPath, stateDir } from './stateDir.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'sfpipe-audit-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('file audit log', () => {
  it('appends one JSON record per line, in a 0600 file in a 0700 directory', async () => {
    const file = join(tmp(), 'state', 'sfpipe', 'audit.jsonl');
    const clock = new ManualClock(Date.UTC(2026, 0, 2, 3, 4, 5));
    const log = createFileAuditLog(file, { clock });
    await log.append({ who: 'local:alice', what: 'pause', parameters: { dryRun: false }, outcome: 'started' });
    clock.advance(1500);
    await log.append({ who: 'local:alice', what: 'pause', outcome: 'ok', detail: 'paused 6 connectors', durationMs: 1500 });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { time: '2026-01-02T03:04:05.000Z', who: 'local:alice', what: 'pause', parameters: { dryRun: false }, outcome: 'started' },
      { time: '2026-01-02T03:04:06.500Z', who: 'local:alice', what: 'pause', outcome: 'ok', detail: 'paused 6 connectors', durationMs: 1500 },
    ]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
  });

  it('keeps secrets out: secret-named parameters, configured secret values, private keys', async () => {
    const file = join(tmp(), 'audit.jsonl');
    const log = createFileAuditLog(file, { clock: new ManualClock(0), secrets: [new Secret('correct horse battery')] });
    await log.append({
      who: 'local:bob',
      what: 'setup',
      parameters: { passphrase: 'p4ss-w0rd-xyz', note: 'used correct horse battery', key: '-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----' },
      outcome: 'failed',
      detail: 'connect: rejected correct horse battery',
    });
    const text = readFileSync(file, 'utf8');
    for (const secret of ['p4ss-w0rd-xyz', 'correct horse battery', 'MIIabc']) expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({ parameters: { passphrase: '***', note: 'used ***' }, detail: 'connect: rejected ***' });
  });

  it('tightens an existing file that others could read, and never truncates it', async () => {
    const file = join(tmp(), 'audit.jsonl');
    writeFileSync(file, '{"old":true}\n');
    chmodSync(file, 0o644);
    await createFileAuditLog(file, { clock: new ManualClock(0) }).append({ who: 'w', what: 'x', outcome: 'ok' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('{"old":true}');
  });

  it('an unwritable place is a clear error naming the file', async () => {
    const blocker = join(tmp(), 'not-a-dir');
    writeFileSync(blocker, '');
    const err = await createFileAuditLog(join(blocker, 'audit.jsonl'), { clock: new ManualClock(0) }).append({ who: 'w', what: 'x', outcome: 'ok' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SfpipeError);
    expect((err as SfpipeError).location).toBe(join(blocker, 'audit.jsonl'));
  });
});

describe('where it lives', () => {
  it('state dir: SFPIPE_STATE_DIR, else XDG_STATE_HOME/sfpipe, else ~/.local/state/sfpipe; the log is overridable', () => {
    expect(stateDir({}, '/home/u')).toBe('/home/u/.local/state/sfpipe');
    expect(stateDir({ XDG_STATE_HOME: '/x' }, '/home/u')).toBe('/x/sfpipe');
    expect(stateDir({ SFPIPE_STATE_DIR: '/s', XDG_STATE_HOME: '/x' }, '/home/u')).toBe('/s');
    expect(auditLogPath({}, '/home/u')).toBe('/home/u/.local/state/sfpipe/audit.jsonl');
    expect(auditLogPath({ SFPIPE_AUDIT_LOG: '/var/log/sfpipe.jsonl' }, '/home/u')).toBe('/var/log/sfpipe.jsonl');
  });

  it('who: the local login name', () => {
    expect(localActor()).toMatch(/^local:.+/);
  });
});
