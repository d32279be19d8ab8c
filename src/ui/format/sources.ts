/**
 * A source's health for the header and the pane titles, and — when a pane has nothing to
 * show — what is missing and the key or command that fixes it, from the source's status
 * and error. Nothing here should leave a newcomer guessing.
 */
import type { SfpipeError } from '../../domain/errors.js';
import type { SourceName, SourceState } from '../../domain/model.js';
import { look, type StatusLook } from '../theme/symbols.js';
import type { Role } from '../theme/semantic.js';
import { formatAge } from './time.js';

export const SOURCE_LABELS: Record<SourceName, string> = {
  docker: 'docker',
  kafka: 'kafka',
  connect: 'connect',
  snowflake: 'snowflake',
};

export interface SourceSummary {
  look: StatusLook;
  /** age of the data shown, e.g. '4s'; undefined when there is no data */
  age: string | undefined;
  /** short reason for a problem, e.g. 'timeout' */
  problem: string | undefined;
}

export function sourceSummary(state: SourceState<unknown>, now: number): SourceSummary {
  const age = state.updatedAt === undefined ? undefined : formatAge(state.updatedAt, now);
  const problem = state.error?.kind;
  // Before the first answer the store says 'down' with nothing tried yet: that is not a failure.
  if (state.status === 'down' && state.attemptedAt === undefined && state.error === undefined) {
    return { look: look('idle', 'connecting…'), age: undefined, problem: undefined };
  }
  switch (state.status) {
    case 'ok':
      return { look: look('ok', 'ok'), age, problem: undefined };
    case 'stale':
      return { look: look('warn', 'stale'), age, problem };
    case 'down':
      return { look: look('error', 'down'), age, problem };
    case 'unconfigured':
      return { look: look('idle', 'not configured'), age: undefined, problem: undefined };
    default:
      return { look: look('unknown', String(state.status)), age, problem };
  }
}

/** 'ok 4s', 'stale 45s old (timeout)', 'down (unreachable)', 'not configured'. */
export function summaryText(s: SourceSummary): string {
  const age = s.age === undefined ? '' : s.look.word === 'ok' ? ` ${s.age}` : ` ${s.age} old`;
  return `${s.look.word}${age}${s.problem ? ` (${s.problem})` : ''}`;
}

export interface Guidance {
  role: Role;
  /** what is wrong, first line the most important */
  lines: string[];
  /** how to fix it (shown once even when several sources share it) */
  fix: string | undefined;
}

const sentence = (s: string): string => {
  const t = s.trim();
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
};

const WHAT: Record<SourceName, string> = {
  docker: 'Docker engine',
  kafka: 'Kafka broker',
  connect: 'Kafka Connect worker',
  snowflake: 'Snowflake connection',
};

const UNCONFIGURED: Record<SourceName, string> = {
  docker: 'No Docker engine configured: set DOCKER_HOST or --docker-host.',
  kafka: 'No Kafka brokers configured: set SFPIPE_KAFKA_BROKERS or --brokers.',
  connect: 'No Kafka Connect URL configured: set SFPIPE_CONNECT_URL or --connect-url.',
  snowflake: 'No Snowflake connection: add one to ~/.snowflake/connections.toml or pass --connection.',
};

function problemLine(source: SourceName, error: SfpipeError | undefined): string {
  if (!error) return `${WHAT[source]} is down.`;
  switch (error.kind) {
    case 'unreachable':
      return `${WHAT[source]} unreachable: ${error.message}`;
    case 'timeout':
      return `${WHAT[source]} timed out: ${error.message}`;
    case 'auth':
      return `${WHAT[source]} refused the credentials: ${error.message}`;
    case 'bad-response':
      return `${WHAT[source]} answered something sfpipe cannot read: ${error.message}`;
    default:
      return `${WHAT[source]} ${error.kind}: ${error.message}`;
  }
}

/** The line that says how to fix it: the setup key when operations are available, else the commands. */
export function fixLine(setupKey: string | undefined): string {
  return setupKey
    ? `Press ${setupKey} to run setup (or \`sfpipe setup\`); \`sfpipe doctor\` checks every prerequisite.`
    : 'Run `sfpipe setup` to stand the stack up; `sfpipe doctor` checks every prerequisite.';
}

/**
 * Guidance when a source has no data to show (down or unconfigured, nothing cached);
 * a notice line when it has older data; undefined when all is well.
 */
export function sourceGuidance(source: SourceName, state: SourceState<unknown>, now: number, setupKey: string | undefined): Guidance | undefined {
  if (state.status === 'ok') return undefined;
  const hint = state.error?.hint;
  if (state.status === 'unconfigured') {
    // The poller's own reason (which setting is missing) beats the generic one.
    const reason = state.error ? sentence(state.error.message) : UNCONFIGURED[source];
    return { role: 'idle', lines: [reason, ...(hint ? [sentence(hint)] : [])], fix: fixLine(setupKey) };
  }
  if (state.status === 'down' && state.attemptedAt === undefined && state.error === undefined) {
    return { role: 'idle', lines: [`Waiting for the first answer from the ${WHAT[source]}…`], fix: undefined };
  }
  if (state.data !== undefined) {
    const age = state.updatedAt === undefined ? '' : ` from ${formatAge(state.updatedAt, now)} ago`;
    return { role: 'warn', lines: [`${problemLine(source, state.error)} — showing data${age}.`], fix: undefined };
  }
  return { role: 'error', lines: [problemLine(source, state.error), ...(hint ? [sentence(hint)] : [])], fix: fixLine(setupKey) };
}
