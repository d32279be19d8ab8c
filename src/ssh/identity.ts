/**
 * Who is behind an SSH session, and what that lets them do. The key that authenticated is
 * the identity (its SHA256 fingerprint goes into the audit log as `ssh:<fingerprint>`); the
 * user name the client sent is only recorded, never trusted. Operators may run operations;
 * every other key gets the read-only viewer role.
 */
import type { ConsoleMode } from '../keymap/actions.js';
import type { Role } from './auth.js';

export interface SessionWho {
  kind: 'ssh';
  /** the user name the client logged in with (any name is accepted with a known key) */
  user: string;
  /** SHA256:… of the key that authenticated */
  fingerprint: string;
  /** the key's comment in authorized_keys, often the owner's name */
  keyComment: string;
  address: string;
  role: Role;
}

export const VIEWER_READ_ONLY = 'read-only viewer session (your key is not in the operators file)';

export function describeWho(who: SessionWho): string {
  return `${who.role} ${who.user}@${who.address} key ${who.fingerprint}${who.keyComment ? ` (${who.keyComment})` : ''}`;
}

/** The audit log's `who` for an SSH session (the convention of src/audit: ssh:<key fingerprint>). */
export function auditActor(who: SessionWho): string {
  return `ssh:${who.fingerprint}`;
}

/** Operator or read-only viewer; a server-wide read-only setting wins over the role. */
export function sessionMode(who: SessionWho, serverReadOnly?: string): ConsoleMode {
  if (serverReadOnly !== undefined) return { readOnly: true, reason: serverReadOnly };
  return who.role === 'operator' ? { readOnly: false } : { readOnly: true, reason: VIEWER_READ_ONLY };
}
