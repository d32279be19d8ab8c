/**
 * Which Snowflake statements wake a warehouse (bill credits). Metadata commands run in
 * Snowflake's cloud services layer; anything that scans data needs a running warehouse.
 * SYSTEM$STREAM_HAS_DATA is not documented either way, so it is counted as warehouse-bound.
 */
export type SqlClass = 'metadata' | 'session' | 'warehouse';

const SESSION = /^(USE|ALTER\s+SESSION|SET|UNSET|BEGIN|COMMIT|ROLLBACK)\b/i;
const METADATA = /^(SHOW|DESC|DESCRIBE|LIST|LS)\b/i;
/** SELECT of constants or context functions only, no FROM: answered without a warehouse. */
const CONTEXT_SELECT = /^SELECT\s+((CURRENT_\w+|LAST_QUERY_ID)\s*\(\s*\)|\d+|'[^']*')(\s*,\s*((CURRENT_\w+|LAST_QUERY_ID)\s*\(\s*\)|\d+|'[^']*'))*\s*;?$/i;

/** Strip leading comments and whitespace. */
function head(sql: string): string {
  let s = sql.trim();
  for (;;) {
    if (s.startsWith('--')) s = s.slice(s.indexOf('\n') + 1 || s.length).trim();
    else if (s.startsWith('/*')) s = s.slice(s.indexOf('*/') + 2 || s.length).trim();
    else return s;
  }
}

export function classifySql(sql: string): SqlClass {
  const s = head(sql);
  if (SESSION.test(s)) return 'session';
  if (METADATA.test(s)) return 'metadata';
  if (CONTEXT_SELECT.test(s)) return 'metadata';
  return 'warehouse';
}

/** The statement's first two words, upper-cased, for a breakdown ("SHOW TABLES", "SELECT COUNT(*)"). */
export function sqlKind(sql: string): string {
  return head(sql).split(/\s+/).slice(0, 2).join(' ').toUpperCase().slice(0, 40);
}
