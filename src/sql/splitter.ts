/**
 * Splits a Snowflake script into statements the way Snowflake's own clients read it:
 * a `;` ends a statement only in code, never inside '…' strings, "…" identifiers,
 * `--` / `//` line comments, `/* … *\/` block comments or `$$ … $$` bodies (procedures,
 * anonymous blocks). Each statement keeps its 1-based start line so errors can say file:line.
 */
import { SfpipeError } from '../domain/errors.js';

export type SegmentKind = 'code' | 'string' | 'quoted-identifier' | 'line-comment' | 'block-comment' | 'dollar-body';

/** A run of the script of one lexical kind; delimiters (quotes, `--`, `$$` …) belong to the segment. */
export interface SqlSegment {
  kind: SegmentKind;
  /** offset of the first character (inclusive) */
  start: number;
  /** offset after the last character (exclusive) */
  end: number;
  /** 1-based line of `start` */
  line: number;
}

export interface SqlStatement {
  /** from its first to its last character of code: no `;`, nor comments or whitespace around it */
  text: string;
  /** 1-based line where the statement starts */
  line: number;
  /** offset of the statement's first character in the script */
  offset: number;
}

const OPENERS: Record<Exclude<SegmentKind, 'code'>, string> = {
  string: "'",
  'quoted-identifier': '"',
  'line-comment': '--',
  'block-comment': '/*',
  'dollar-body': '$$',
};

const UNTERMINATED: Record<Exclude<SegmentKind, 'code' | 'line-comment'>, { what: string; hint: string }> = {
  string: { what: "string literal (opened with ')", hint: "close it with ' (write '' or \\' for a quote inside it)" },
  'quoted-identifier': { what: 'quoted identifier (opened with ")', hint: 'close it with " (write "" for a quote inside it)' },
  'block-comment': { what: 'block comment (opened with /*)', hint: 'close it with */' },
  'dollar-body': { what: '$$ body (opened with $$)', hint: 'end the body with $$' },
};

/** Which delimited segment starts at i, if any. */
function openerAt(text: string, i: number): Exclude<SegmentKind, 'code'> | undefined {
  const c = text[i];
  const next = text[i + 1];
  if (c === "'") return 'string';
  if (c === '"') return 'quoted-identifier';
  if ((c === '-' && next === '-') || (c === '/' && next === '/')) return 'line-comment';
  if (c === '/' && next === '*') return 'block-comment';
  if (c === '$' && next === '$') return 'dollar-body';
  return undefined;
}

/** Offset just after the segment of `kind` that opens at `start`, or -1 if it never closes. */
function closeOf(text: string, kind: Exclude<SegmentKind, 'code'>, start: number): number {
  const from = start + OPENERS[kind].length;
  switch (kind) {
    case 'line-comment': {
      const nl = text.indexOf('\n', from);
      return nl === -1 ? text.length : nl; // the newline itself is whitespace of the code after
    }
    case 'block-comment': {
      const close = text.indexOf('*/', from);
      return close === -1 ? -1 : close + 2;
    }
    case 'dollar-body': {
      const close = text.indexOf('$$', from);
      return close === -1 ? -1 : close + 2;
    }
    case 'string':
      for (let j = from; j < text.length; j++) {
        if (text[j] === '\\') j++; // backslash escapes the next character, whatever it is
        else if (text[j] === "'") {
          if (text[j + 1] === "'") j++;
          else return j + 1;
        }
      }
      return -1;
    case 'quoted-identifier':
      for (let j = from; j < text.length; j++) {
        if (text[j] === '"') {
          if (text[j + 1] === '"') j++;
          else return j + 1;
        }
      }
      return -1;
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Cuts a script into lexical segments; an unterminated string, identifier, comment or body is an error at its line. */
export function scanSql(text: string, file = '<sql>'): SqlSegment[] {
  const segments: SqlSegment[] = [];
  let i = 0;
  let line = 1;
  let codeStart = 0;
  const flushCode = (to: number) => {
    if (to > codeStart) {
      segments.push({ kind: 'code', start: codeStart, end: to, line: line - countNewlines(text, codeStart, to) });
    }
  };
  while (i < text.length) {
    const kind = openerAt(text, i);
    if (kind === undefined) {
      if (text.charCodeAt(i) === 10) line++;
      i++;
      continue;
    }
    flushCode(i);
    const end = closeOf(text, kind, i);
    if (end === -1) {
      const { what, hint } = UNTERMINATED[kind as keyof typeof UNTERMINATED];
      throw new SfpipeError('invalid-input', 'sql', `unterminated ${what}`, { location: `${file}:${line}`, hint });
    }
    segments.push({ kind, start: i, end, line });
    line += countNewlines(text, i, end);
    i = end;
    codeStart = end;
  }
  flushCode(text.length);
  return segments;
}

// Unicode white space too (no-break space, BOM, ideographic space …), as String.prototype.trim sees it:
// a statement of nothing but such characters is no statement.
const isSpace = (c: string | undefined) => c !== undefined && /^\s$/u.test(c);

/** Splits a script into statements; a missing final `;` is fine, empty statements are dropped. */
export function splitStatements(text: string, file = '<sql>'): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let start = -1; // offset of the current statement's first character, -1 before it starts
  let startLine = 0;
  let lastEnd = -1; // offset after its last character that is neither space nor comment
  const finish = () => {
    if (start !== -1) statements.push({ text: text.slice(start, lastEnd), line: startLine, offset: start });
    start = -1;
  };
  for (const seg of scanSql(text, file)) {
    // A comment inside a statement stays in its text (it lies before lastEnd); one before
    // or after it is not part of it.
    if (seg.kind === 'line-comment' || seg.kind === 'block-comment') continue;
    if (seg.kind !== 'code') {
      if (start === -1) [start, startLine] = [seg.start, seg.line];
      lastEnd = seg.end;
      continue;
    }
    let line = seg.line;
    for (let i = seg.start; i < seg.end; i++) {
      const c = text[i];
      if (c === ';') finish();
      else if (!isSpace(c)) {
        if (start === -1) [start, startLine] = [i, line];
        lastEnd = i + 1;
      }
      if (c === '\n') line++;
    }
  }
  finish();
  return statements;
}
