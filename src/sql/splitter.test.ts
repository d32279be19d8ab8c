import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SfpipeError } from '../domain/errors.js';
import { scanSql, splitStatements } from './splitter.js';

const texts = (sql: string) => splitStatements(sql, 't.sql').map((s) => s.text);

function errorOf(fn: () => unknown): SfpipeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SfpipeError);
    return err as SfpipeError;
  }
  throw new Error('expected an SfpipeError, nothing was thrown');
}

describe('splitStatements — examples', () => {
  it('splits on ; and keeps a last statement without ;', () => {
    expect(texts('SELECT 1;\nSELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('drops empty statements, whitespace and comment-only scripts', () => {
    expect(texts(';;  ;\n')).toEqual([]);
    expect(texts('')).toEqual([]);
    expect(texts('-- only a comment\n/* and ; another */\n// and ;\n')).toEqual([]);
  });

  it('ignores ; in strings with both escapes, quoted identifiers and comments', () => {
    const sql = [
      "SELECT 'it''s; fine', 'back\\'slash; too', 'end\\\\' AS \"odd;name\"\"x\"; -- trailing; comment",
      '/* block; comment */ SELECT 2 // line; comment',
      ';',
    ].join('\n');
    expect(texts(sql)).toEqual(["SELECT 'it''s; fine', 'back\\'slash; too', 'end\\\\' AS \"odd;name\"\"x\"", 'SELECT 2']);
  });

  it('keeps a $$ body with ; inside as one statement, and $ in identifiers is not a body', () => {
    const proc = [
      'CREATE OR REPLACE PROCEDURE P()',
      'RETURNS STRING LANGUAGE SQL AS',
      '$$',
      'BEGIN',
      "  INSERT INTO T SELECT 1 FROM S WHERE METADATA$ACTION = 'INSERT';",
      "  RETURN 'done; really';",
      'END;',
      '$$',
    ].join('\n');
    const sql = `${proc};\nSELECT SYSTEM$STREAM_HAS_DATA('S');`;
    const got = splitStatements(sql, 't.sql');
    expect(got.map((s) => s.text)).toEqual([proc, "SELECT SYSTEM$STREAM_HAS_DATA('S')"]);
    expect(got.map((s) => s.line)).toEqual([1, 9]);
  });

  it('gives each statement the line of its first character, not of the comments before it', () => {
    const sql = '-- header\n\nUSE ROLE R;\n/* two\nlines */ SELECT\n  1;\r\nSELECT 3';
    expect(splitStatements(sql, 't.sql')).toEqual([
      { text: 'USE ROLE R', line: 3, offset: 11 },
      { text: 'SELECT\n  1', line: 5, offset: 39 },
      { text: 'SELECT 3', line: 7, offset: 52 },
    ]);
  });

  it('keeps comments inside a statement, drops those after it', () => {
    expect(texts('SELECT /* a */ 1 -- b\n, 2 -- c\n;')).toEqual(['SELECT /* a */ 1 -- b\n, 2']);
  });

  it.each([
    ["SELECT 1;\nSELECT 'open", 2, 'string literal'],
    ['SELECT 1;\n\n\nSELECT "open', 4, 'quoted identifier'],
    ['/* never\nclosed', 1, 'block comment'],
    ['SELECT 1;\nCREATE PROCEDURE P() AS\n$$\nBEGIN RETURN 1; END;\n', 3, '$$ body'],
    ["SELECT 'a\\'", 1, 'string literal'], // the backslash escapes the closing quote
  ])('an unterminated construct is an invalid-input error at its line: %j', (sql, line, what) => {
    const err = errorOf(() => splitStatements(sql, 'x/03.sql'));
    expect(err.kind).toBe('invalid-input');
    expect(err.source).toBe('sql');
    expect(err.location).toBe(`x/03.sql:${line}`);
    expect(err.message).toContain(what);
    expect(err.hint).toBeTruthy();
  });

  it('scanSql labels every part of the script and covers it exactly', () => {
    const sql = "a 'b' \"c\" -- d\n/* e */ $$f$$ // g";
    const segs = scanSql(sql);
    expect(segs.map((s) => [s.kind, sql.slice(s.start, s.end)])).toEqual([
      ['code', 'a '],
      ['string', "'b'"],
      ['code', ' '],
      ['quoted-identifier', '"c"'],
      ['code', ' '],
      ['line-comment', '-- d'],
      ['code', '\n'],
      ['block-comment', '/* e */'],
      ['code', ' '],
      ['dollar-body', '$$f$$'],
      ['code', ' '],
      ['line-comment', '// g'],
    ]);
  });
});

// ---- properties ------------------------------------------------------------------

const pieces = (...units: string[]) => fc.array(fc.constantFrom(...units), { maxLength: 6 }).map((a) => a.join(''));

/** Tokens that are code: words, punctuation, strings, quoted identifiers and $$ bodies, with tricky content. */
const word = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_$]{0,6}$/).filter((w) => !w.includes('$$'));
const punct = fc.constantFrom('(', ')', ',', '=', '.', '::', '*', '-', '/', '+', ':');
const stringLit = pieces('a', ' ', ';', '\n', '--', '//', '/*', '*/', '$$', '"', "''", "\\'", '\\\\', '\\n').map((b) => `'${b}'`);
const quotedIdent = pieces('a', ' ', ';', '\n', '--', '/*', '$$', "'", '""', '\\').map((b) => `"${b}"`);
const dollarBody = pieces('a', ' ', ';', '\n', '--', '/*', "'", '"', '\\', 'END;').map((b) => `$$${b}$$`);
const codeToken = fc.oneof({ arbitrary: word, weight: 4 }, punct, stringLit, quotedIdent, dollarBody);
/** What may stand between two tokens of one statement: whitespace, possibly holding comments with ; in them. */
const innerSep = fc.constantFrom(' ', '\n', '\t', ' /* ; */ ', '\n-- x; y\n', ' // ;\n', ' /* multi\nline; */\n');

const statement = fc
  .tuple(codeToken, fc.array(fc.tuple(innerSep, codeToken), { maxLength: 6 }))
  .map(([first, rest]) => first + rest.map(([sep, tok]) => sep + tok).join(''));
/** What may stand between statements (after a ;): whitespace and comments only. */
const filler = pieces(' ', '\n', '\r\n', '-- c;\n', '/* ; */', '// x\n');

describe('splitStatements — properties', () => {
  it('joining statements with ; and splitting gives them back, each at its offset and line', () => {
    fc.assert(
      fc.property(filler, fc.array(fc.tuple(statement, filler), { maxLength: 6 }), fc.boolean(), (lead, stmts, finalSemicolon) => {
        let script = lead;
        const expected: { text: string; offset: number; line: number }[] = [];
        stmts.forEach(([text, after], i) => {
          expected.push({ text, offset: script.length, line: script.split('\n').length });
          const last = i === stmts.length - 1;
          // Without a final ';' a newline ends the last statement: else a trailing '/' or '-'
          // would join a following comment's '//' or '--' (as it would in Snowflake too).
          script += text + (last && !finalSemicolon ? '\n' : ';') + after;
        });
        expect(splitStatements(script, 'p.sql')).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('on any input it returns statements that are exact, trimmed slices at the right line, or throws an SfpipeError', () => {
    const anyChar = fc.oneof(
      { arbitrary: fc.constantFrom("'", '"', '$', '$$', '-', '--', '/', '/*', '*/', '//', ';', '\\', '\n', '\r', ' ', 'a', 'Z'), weight: 5 },
      fc.string({ unit: 'binary', maxLength: 2 }),
    );
    fc.assert(
      fc.property(fc.array(anyChar, { maxLength: 60 }).map((a) => a.join('')), (input) => {
        let got;
        try {
          got = splitStatements(input, 'any.sql');
        } catch (err) {
          expect(err).toBeInstanceOf(SfpipeError);
          expect((err as SfpipeError).kind).toBe('invalid-input');
          expect((err as SfpipeError).location).toMatch(/^any\.sql:\d+$/);
          return;
        }
        for (const s of got) {
          expect(s.text.length).toBeGreaterThan(0);
          expect(input.slice(s.offset, s.offset + s.text.length)).toBe(s.text);
          expect(s.line).toBe(input.slice(0, s.offset).split('\n').length);
          expect(s.text.trim()).toBe(s.text);
          // a statement has no top-level ; left, so splitting it again gives it back whole
          expect(splitStatements(s.text).map((x) => x.text)).toEqual([s.text]);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('an unterminated string, identifier, block comment or $$ body is reported at the line it opens', () => {
    const opener = fc.constantFrom("'", '"', '/*', '$$');
    const body = pieces('a', ' ', ';', '\n', '--');
    fc.assert(
      fc.property(fc.array(fc.tuple(statement, filler), { maxLength: 4 }), fc.nat({ max: 3 }), opener, body, (stmts, blankLines, open, rest) => {
        const prefix = stmts.map(([s, f]) => `${s};${f}`).join('') + '\n'.repeat(blankLines) + 'SELECT ';
        const line = prefix.split('\n').length;
        const err = errorOf(() => splitStatements(prefix + open + rest, 'u.sql'));
        expect(err.kind).toBe('invalid-input');
        expect(err.location).toBe(`u.sql:${line}`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('splitStatements — Unicode white space', () => {
  it('treats no-break, ideographic and other Unicode spaces as white space, as trim() does', () => {
    for (const ch of ['\u00a0', '\u2028', '\u2029', '\ufeff', '\u1680', '\u3000']) {
      expect(splitStatements(`${ch}SELECT 1${ch};${ch}`, 'w.sql')).toEqual([{ text: 'SELECT 1', line: 1, offset: 1 }]);
      expect(splitStatements(ch, 'w.sql')).toEqual([]);
    }
  });
});
