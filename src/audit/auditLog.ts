/**
 * The audit log: one JSON object per line, appended, never rewritten — who did what, with
 * which parameters (secrets removed) and how it ended. The file is 0600 in a 0700 directory:
 * it says what was done to the pipeline, which is nobody else's business.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { redact, redactText } from '../config/redact.js';
import type { Secret } from '../config/secret.js';
import type { Clock } from '../domain/clock.js';
import { SfpipeError } from '../domain/errors.js';

export type AuditOutcome = 'started' | 'ok' | 'failed' | 'aborted' | 'refused' | 'dry-run';

export interface AuditEntry {
  /** local:<user> or ssh:<key fingerprint> */
  who: string;
  /** action id, e.g. runbook.setup, connector.pause */
  what: string;
  /** the object acted on (connector name, container id …), if any */
  target?: string;
  parameters?: Record<string, unknown>;
  outcome: AuditOutcome;
  /** result or error, one line */
  detail?: string;
  durationMs?: number;
}

export interface AuditRecord extends AuditEntry {
  time: string;
}

export interface AuditLog {
  /** Append one record; rejects with SfpipeError when the file cannot be written. */
  append(entry: AuditEntry): Promise<void>;
}

export interface FileAuditLogOptions {
  clock: Clock;
  /** secret values to scrub from every field (passphrases, passwords) */
  secrets?: Iterable<string | Secret | undefined>;
}

export function createFileAuditLog(path: string, options: FileAuditLogOptions): AuditLog {
  const secrets = [...(options.secrets ?? [])];
  let prepared = false;
  const prepare = () => {
    if (prepared) return;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      // an existing file someone loosened: tighten it before adding to it
      if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ENOENT') throw err;
    }
    prepared = true;
  };
  return {
    async append(entry) {
      const record = toRecord(entry, options.clock.now(), secrets);
      try {
        prepare();
        // mode applies when the append creates the file: 0600 from its first byte
        await appendFile(path, `${JSON.stringify(record)}\n`, { mode: 0o600, flag: 'a' });
      } catch (err) {
        throw new SfpipeError('internal', 'cli', `cannot write the audit log (${(err as { code?: string }).code ?? String(err)})`, {
          location: path,
          hint: 'set SFPIPE_AUDIT_LOG or SFPIPE_STATE_DIR to a writable place',
        });
      }
    },
  };
}

export function toRecord(entry: AuditEntry, now: number, secrets: (string | Secret | undefined)[]): AuditRecord {
  const scrub = (text: string) => redactText(text, secrets);
  const record: AuditRecord = { time: new Date(now).toISOString(), who: entry.who, what: entry.what, outcome: entry.outcome };
  if (entry.target !== undefined) record.target = scrub(entry.target);
  if (entry.parameters !== undefined) record.parameters = JSON.parse(scrub(JSON.stringify(redact(entry.parameters)))) as Record<string, unknown>;
  if (entry.detail !== undefined) record.detail = scrub(entry.detail);
  if (entry.durationMs !== undefined) record.durationMs = entry.durationMs;
  return record;
}

/** Who is acting on this machine: local:<login name>. */
export function localActor(env: NodeJS.ProcessEnv = {}): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    name = env.USER ?? env.LOGNAME;
  }
  return `local:${name ?? 'unknown'}`;
}

/** An audit log that keeps records in memory (tests, and the console's own view of the session). */
export class MemoryAuditLog implements AuditLog {
  readonly records: AuditRecord[] = [];
  constructor(private readonly clock: Clock, private readonly secrets: (string | Secret | undefined)[] = []) {}
  append(entry: AuditEntry): Promise<void> {
    this.records.push(toRecord(entry, this.clock.now(), this.secrets));
    return Promise.resolve();
  }
}
