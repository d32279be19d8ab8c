/**
 * Kafka Connect's answers → the project's types. The one list request,
 * GET /connectors?expand=status&expand=info, answers
 *   { "<name>": { "status": {name, connector:{state, worker_id, trace?}, tasks:[{id, state, worker_id, trace?}], type},
 *                 "info":   {name, config:{…}, tasks:[…], type} } }
 * States are passed through as Connect spells them (UNASSIGNED, RESTARTING, STOPPED and any a
 * later Connect adds); a part Connect left out becomes 'UNKNOWN' rather than a crash. Configs
 * are redacted here, and the connector's own secret values are scrubbed from its traces.
 */
import { redactText } from '../../config/redact.js';
import { SfpipeError } from '../../domain/errors.js';
import type { ConnectorInfo, ConnectorTask } from '../../domain/model.js';
import { isSecretKey, redactConfig } from '../../connectors/secrets.js';
import type { ConnectorPlugin } from '../types.js';

/** State shown when Connect's answer has no state for a connector or task. */
export const UNKNOWN_STATE = 'UNKNOWN';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

export function parseConnectors(body: unknown, what = 'list connectors'): ConnectorInfo[] {
  if (!isObject(body)) {
    // a plain list of names is what a worker that ignores ?expand= (Kafka before 2.3) answers
    const hint = Array.isArray(body) ? 'this Connect worker does not support ?expand=status&expand=info (it needs Kafka 2.3 or later)' : undefined;
    throw new SfpipeError('bad-response', 'connect', `${what}: expected an object keyed by connector name, got ${describeJson(body)}`, hint ? { hint } : {});
  }
  return Object.entries(body)
    .map(([name, entry]) => parseConnector(name, isObject(entry) ? entry : {}))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function parseConnector(name: string, entry: Json): ConnectorInfo {
  const status = isObject(entry.status) ? entry.status : {};
  const info = isObject(entry.info) ? entry.info : {};
  const rawConfig = stringConfig(info.config);
  const secrets = Object.entries(rawConfig)
    .filter(([k]) => isSecretKey(k))
    .map(([, v]) => v);
  const scrub = (trace: unknown) => {
    const t = nonEmpty(trace);
    return t === undefined ? undefined : redactText(t, secrets);
  };
  const connector = isObject(status.connector) ? status.connector : {};
  return {
    name,
    type: nonEmpty(status.type) ?? nonEmpty(info.type) ?? 'unknown',
    className: nonEmpty(rawConfig['connector.class']),
    state: nonEmpty(connector.state) ?? UNKNOWN_STATE,
    workerId: str(connector.worker_id) ?? '',
    trace: scrub(connector.trace),
    tasks: parseTasks(status.tasks, scrub),
    config: redactConfig(rawConfig),
    topics: topicsOf(rawConfig),
  };
}

function parseTasks(tasks: unknown, scrub: (trace: unknown) => string | undefined): ConnectorTask[] {
  if (!Array.isArray(tasks)) return [];
  return tasks
    .filter(isObject)
    .filter((t) => typeof t.id === 'number' && Number.isInteger(t.id))
    .map((t) => ({ id: t.id as number, state: nonEmpty(t.state) ?? UNKNOWN_STATE, workerId: str(t.worker_id) ?? '', trace: scrub(t.trace) }))
    .sort((a, b) => a.id - b.id);
}

/** Connect answers configs as strings; anything else it might send is shown as its JSON. */
function stringConfig(config: unknown): Record<string, string> {
  if (!isObject(config)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/**
 * The topics a connector reads or writes, from its config: `topics` (sinks, comma-separated),
 * `topics.regex` (sinks, kept as the pattern), `kafka.topic` (datagen), `topic` (FileStreamSource).
 */
export function topicsOf(config: Readonly<Record<string, string>>): string[] {
  const found: string[] = [];
  for (const key of ['topics', 'kafka.topic', 'topic', 'topics.regex']) {
    const value = config[key];
    if (value === undefined) continue;
    const parts = key === 'topics' ? value.split(',') : [value];
    for (const p of parts.map((x) => x.trim())) if (p && !found.includes(p)) found.push(p);
  }
  return found;
}

/** GET /connector-plugins → [{class, type, version}]. */
export function parsePlugins(body: unknown, what = 'list connector plugins'): ConnectorPlugin[] {
  if (!Array.isArray(body)) throw new SfpipeError('bad-response', 'connect', `${what}: expected a list of plugins, got ${describeJson(body)}`);
  return body
    .filter(isObject)
    .filter((p) => nonEmpty(p.class) !== undefined)
    .map((p) => ({ className: p.class as string, type: nonEmpty(p.type) ?? 'unknown', version: nonEmpty(p.version) }));
}

function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
