/**
 * Reading connector files: JSON syntax errors get a line and column, schema problems a JSON
 * path, both prefixed with the file name. Nothing here talks to Kafka Connect.
 */
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { SfpipeError } from '../domain/errors.js';
import { SINK_FILES, SINK_KIND } from './classes.js';
import type { ConnectorKind, SinkVariant } from './classes.js';
import { lineAndColumn } from './jsonPath.js';
import { checkConnector } from './schema.js';
import type { ConnectorIssue } from './schema.js';

export interface ConnectorSpec {
  /** the file it came from, as shown in messages */
  file: string;
  name: string;
  /** settings exactly as written, placeholders unfilled */
  config: Readonly<Record<string, string>>;
  connectorClass: string;
  kind: ConnectorKind;
}

export interface FileIssue extends ConnectorIssue {
  file: string;
}

/** How a file is named in messages: relative to the working directory when inside it. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export function issueToError(issue: FileIssue, more = 0): SfpipeError {
  const also = more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'} in this file)` : '';
  return new SfpipeError('invalid-input', 'connect', `${issue.message}${also}`, { location: `${issue.file}: ${issue.path}`, hint: issue.hint });
}

/** Parse and check one file's text; returns every issue instead of throwing. */
export function checkConnectorText(text: string, file: string): { spec: ConnectorSpec | undefined; issues: FileIssue[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const where = lineAndColumn(text, syntaxErrorOffset(text));
    const path = `line ${where.line}, column ${where.column}`;
    return { spec: undefined, issues: [{ file, path, message: `not valid JSON: ${syntaxErrorKind(err)}`, hint: 'fix the JSON syntax (a trailing comma or a missing quote is the usual cause)' }] };
  }
  const { connector, issues } = checkConnector(doc);
  return {
    spec: connector ? { file, ...connector } : undefined,
    issues: issues.map((i) => ({ file, ...i })),
  };
}

/**
 * V8's message quotes the text around an unexpected token, which may be a secret typed
 * without quotes: keep only the kind of error.
 */
function syntaxErrorKind(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return raw
    .replace(/, (\.\.\.)?".*$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/^Unexpected token .*$/s, 'unexpected character');
}

/**
 * Offset of the first character that makes invalid JSON wrong (its length when it just ends
 * too early), by bisecting on prefixes: one that stops before that character is merely
 * incomplete, one that includes it is wrong. V8 gives no position for "Unexpected token".
 */
export function syntaxErrorOffset(text: string): number {
  const wrong = (n: number): boolean => {
    try {
      JSON.parse(text.slice(0, n));
      return false;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const pos = /at position (\d+)/.exec(message);
      return pos ? Number(pos[1]) < n : !message.includes('end of JSON input');
    }
  };
  // every prefix merely incomplete: the document ends too early
  if (!wrong(text.length)) return text.length;
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (wrong(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

/** Parse and check one file's text; throws the first problem as an SfpipeError. */
export function parseConnectorText(text: string, file: string): ConnectorSpec {
  const { spec, issues } = checkConnectorText(text, file);
  const [first] = issues;
  if (first) throw issueToError(first, issues.length - 1);
  // checkConnector returns a connector exactly when there are no issues
  if (!spec) throw new SfpipeError('internal', 'connect', 'connector check returned neither a connector nor a problem', { location: file });
  return spec;
}

export async function readConnectorText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const file = displayPath(path);
    if (code === 'ENOENT') throw new SfpipeError('not-found', 'connect', 'no such connector file', { location: file, hint: 'check the path, or run sfpipe from the project directory', cause: err });
    throw new SfpipeError(code === 'EACCES' ? 'auth' : 'internal', 'connect', `cannot read connector file (${String(code ?? err)})`, { location: file, cause: err });
  }
}

export async function loadConnectorFile(path: string): Promise<ConnectorSpec> {
  return parseConnectorText(await readConnectorText(path), displayPath(path));
}

/** Every *.json file of a directory, sorted by name, all checked; the first problem is thrown. */
export async function loadConnectorDir(dir: string): Promise<ConnectorSpec[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    throw new SfpipeError('not-found', 'connect', 'cannot list connector files', { location: displayPath(dir), hint: 'point sfpipe at the connectors/ directory of the project', cause: err });
  }
  const specs = await Promise.all(names.map((n) => loadConnectorFile(join(dir, n))));
  // the v4 and v3 sink files share a name on purpose: only one of them is ever deployed
  assertUniqueNames(specs.filter((s) => s.kind !== 'snowflake-v3'));
  assertUniqueNames(specs.filter((s) => s.kind !== 'snowflake-v4'));
  return specs;
}

function assertUniqueNames(specs: readonly ConnectorSpec[]): void {
  const seen = new Map<string, string>();
  for (const spec of specs) {
    const other = seen.get(spec.name);
    if (other) throw new SfpipeError('conflict', 'connect', `connector name "${spec.name}" is also used by ${other}`, { location: `${spec.file}: $.name`, hint: 'give every connector file its own name' });
    seen.set(spec.name, spec.file);
  }
}

/**
 * The connectors to deploy: every non-Snowflake connector plus the one sink of the chosen
 * generation (v4 by default). Both sink files exist side by side; only one is deployed.
 */
export function selectConnectors(specs: readonly ConnectorSpec[], sink: SinkVariant): ConnectorSpec[] {
  const sinks = specs.filter((s) => s.kind === SINK_KIND[sink]);
  if (sinks.length !== 1) {
    const found = sinks.map((s) => s.file).join(', ') || 'none';
    throw new SfpipeError('invalid-input', 'connect', `expected exactly one Snowflake ${sink} sink connector, found ${found}`, { hint: `keep connectors/${SINK_FILES[sink]} (and only that ${sink} sink)` });
  }
  const chosen = specs.filter((s) => s.kind !== 'snowflake-v4' && s.kind !== 'snowflake-v3').concat(sinks);
  assertUniqueNames(chosen);
  return chosen;
}
