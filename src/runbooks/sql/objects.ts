/**
 * Which Snowflake objects a script creates or drops, read from its CREATE / DROP statements
 * (names resolved against the script's USE DATABASE / USE SCHEMA), and whether they exist now,
 * asked with one SHOW per kind and container. This is how setup knows a script's work is there
 * and cleanup knows its work is done, for the shipped scripts and for any injected one.
 */
import type { SqlStatement } from '../../sql/splitter.js';
import type { CallOptions, SqlRunner } from '../../services/types.js';

export type ObjectKind = 'DATABASE' | 'SCHEMA' | 'WAREHOUSE' | 'ROLE' | 'USER' | 'TABLE' | 'VIEW' | 'STREAM' | 'PROCEDURE' | 'TASK';

export interface ScriptObject {
  kind: ObjectKind;
  /** qualified name parts, canonical: [db], [db, schema], [db, schema, name] or [name] */
  path: string[];
  verb: 'create' | 'drop';
  /** file:line of the statement */
  at: string;
}

const KINDS = 'DATABASE|SCHEMA|WAREHOUSE|ROLE|USER|TABLE|VIEW|STREAM|PROCEDURE|TASK';
const PART = '(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)';
const NAME = `(${PART}(?:\\s*\\.\\s*(?:${PART}))*)`;
const CREATE = new RegExp(`^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:(?:SECURE|TRANSIENT|TEMPORARY|TEMP|LOCAL|GLOBAL|VOLATILE)\\s+)*(${KINDS})\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${NAME}`, 'i');
const DROP = new RegExp(`^DROP\\s+(${KINDS})\\s+(?:IF\\s+EXISTS\\s+)?${NAME}`, 'i');
const USE = new RegExp(`^USE\\s+(DATABASE|SCHEMA)\\s+${NAME}\\s*$`, 'i');
const IN_SCHEMA: ReadonlySet<ObjectKind> = new Set(['TABLE', 'VIEW', 'STREAM', 'PROCEDURE', 'TASK']);

function parts(name: string): string[] {
  return [...name.matchAll(new RegExp(PART, 'g'))].map((m) => (m[0].startsWith('"') ? m[0].slice(1, -1).replace(/""/g, '"') : m[0].toUpperCase()));
}

export function scriptObjects(statements: readonly SqlStatement[], file: string): ScriptObject[] {
  let database: string | undefined;
  let schema: string | undefined;
  const out: ScriptObject[] = [];
  for (const s of statements) {
    const use = USE.exec(s.text);
    if (use) {
      const p = parts(use[2]!);
      if (use[1]!.toUpperCase() === 'DATABASE') [database, schema] = [p[0], undefined];
      else if (p.length >= 2) [database, schema] = [p[0], p[1]];
      else schema = p[0];
      continue;
    }
    const m = CREATE.exec(s.text) ?? DROP.exec(s.text);
    if (!m) continue;
    const kind = m[1]!.toUpperCase() as ObjectKind;
    const p = parts(m[2]!);
    let path: string[] | undefined = p;
    if (kind === 'SCHEMA' && p.length === 1) path = database ? [database, p[0]!] : undefined;
    else if (IN_SCHEMA.has(kind) && p.length < 3) path = p.length === 2 ? (database ? [database, ...p] : undefined) : database && schema ? [database, schema, p[0]!] : undefined;
    // an object whose database or schema the script never names cannot be found again: skip it
    if (path) out.push({ kind, path, verb: s.text.trimStart().toUpperCase().startsWith('DROP') ? 'drop' : 'create', at: `${file}:${s.line}` });
  }
  return out;
}

export interface ProbeResult {
  present: ScriptObject[];
  absent: ScriptObject[];
  /** objects whose SHOW failed, with the error message */
  unknown: { object: ScriptObject; error: string }[];
}

const quote = (p: string) => `"${p.replace(/"/g, '""')}"`;
const PLURAL: Record<ObjectKind, string> = {
  DATABASE: 'DATABASES', SCHEMA: 'SCHEMAS', WAREHOUSE: 'WAREHOUSES', ROLE: 'ROLES', USER: 'USERS',
  TABLE: 'TABLES', VIEW: 'VIEWS', STREAM: 'STREAMS', PROCEDURE: 'PROCEDURES', TASK: 'TASKS',
};

/** The SHOW statement that lists objects of this kind where this one would be. */
export function showFor(o: ScriptObject): string {
  const container = o.path.slice(0, -1);
  if (container.length === 0) return `SHOW ${PLURAL[o.kind]}`;
  return `SHOW ${PLURAL[o.kind]} IN ${container.length === 1 ? 'DATABASE' : 'SCHEMA'} ${container.map(quote).join('.')}`;
}

/** Ask which of the objects exist. A container that does not exist means its objects do not either. */
export async function probeObjects(runner: SqlRunner, objects: readonly ScriptObject[], opts: CallOptions = {}): Promise<ProbeResult> {
  const result: ProbeResult = { present: [], absent: [], unknown: [] };
  const byQuery = new Map<string, ScriptObject[]>();
  for (const o of objects) byQuery.set(showFor(o), [...(byQuery.get(showFor(o)) ?? []), o]);
  for (const [query, group] of byQuery) {
    let names: string[];
    try {
      const rows = await runner.run(query, { file: 'probe', line: 1 }, opts);
      names = rows.map((r) => String(r.name ?? r.NAME ?? ''));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const gone = /does not exist|not authorized/i.test(message);
      for (const o of group) {
        if (gone) result.absent.push(o);
        else result.unknown.push({ object: o, error: message });
      }
      continue;
    }
    for (const o of group) {
      const want = o.path[o.path.length - 1]!;
      const found = names.includes(want) || names.some((n) => n.toUpperCase() === want.toUpperCase());
      if (found) result.present.push(o);
      else result.absent.push(o);
    }
  }
  return result;
}

export function describeObject(o: ScriptObject): string {
  return `${o.kind.toLowerCase()} ${o.path.join('.')}`;
}
