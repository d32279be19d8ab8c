/**
 * patches/ink+6.8.0.patch makes Ink's output stage faster and its text caches bounded. These
 * tests hold the patched code to Ink 6.8.0's own behaviour: the patch keeps the original
 * output.js as output-6.8.0.js, and every frame the patched Output builds — random writes,
 * styles, wide and combining characters, clips, transformers, the same caches over many
 * frames — must show what the original shows: the same characters with the same styles in
 * every cell (and, without transformers, the very same string).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Chalk } from 'chalk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

type Transformer = (line: string, index: number) => string;
interface OutputLike {
  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void;
  clip(clip: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
  unclip(): void;
  get(): { output: string; height: number };
}
type OutputClass = new (o: { width: number; height: number }) => OutputLike;
interface Token {
  type: string;
}
interface BoundedCacheLike {
  size: number;
}

const inkBuild = dirname(createRequire(import.meta.url).resolve('ink'));
const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(join(inkBuild, file)).href)) as T;

const patched = await load<{ default: OutputClass; fastTokenize: (line: string) => Token[] }>('output.js');
const original = await load<{ default: OutputClass }>('output-6.8.0.js');
const { tokenize, styledCharsFromTokens } = (await import('@alcalzone/ansi-tokenize')) as unknown as {
  tokenize: (s: string) => Token[];
  styledCharsFromTokens: (t: Token[]) => { value: string; styles: { code: string }[] }[];
};
const measure = await load<{ default: (text: string) => { width: number; height: number }; cache: BoundedCacheLike }>('measure-text.js');
const wrap = await load<{ default: (text: string, width: number, type: string) => string; cache: BoundedCacheLike }>('wrap-text.js');

const SGR = ['\x1b[31m', '\x1b[32m', '\x1b[39m', '\x1b[1m', '\x1b[22m', '\x1b[2m', '\x1b[7m', '\x1b[27m', '\x1b[44m', '\x1b[49m', '\x1b[0m', '\x1b[38;5;208m', '\x1b[38;2;1;2;3m', '\x1b[4m', '\x1b[24m'];
/** What the console writes (ASCII, its symbols, box drawing, blocks) and what it might meet (wide, combining, emoji, links). */
const PIECES = [
  'a', 'Z', '7', ' ', '  ', '-', '|', '●', '▲', '✗', '✓', '○', '‖', '›', '◀', '▶', '…', '—', '–', '•', '·', '×', '→', '↑', '⊘', '⋮', '│', '─', '┌', '┐', '╔', '═', '║',
  '▁', '▄', '█', '▏', 'é', 'ü', '’',
  '中', '文', '😀', 'e\u0301', '🇸🇪', '👩‍💻', '⚡', '⚠', '⚠️', '\u00ad', '\t', 'ｱ', '\u200b',
  '\x1b]8;;https://example.invalid\x07', '\x1b]8;;\x07', '\x1b[', '\x9b31m',
];
const piece = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...PIECES) }, { weight: 3, arbitrary: fc.constantFrom(...SGR) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) });
const line = fc.array(piece, { maxLength: 24 }).map((p) => p.join(''));
const text = fc.array(line, { minLength: 1, maxLength: 4 }).map((l) => l.join('\n'));

type Op =
  | { kind: 'write'; x: number; y: number; text: string; transform: number }
  | { kind: 'clip'; x1?: number; x2?: number; y1?: number; y2?: number }
  | { kind: 'unclip' };
/**
 * Transformers as Ink's <Text> makes them: chalk wrapping the line in colour, background, bold,
 * dim (src: ink/build/components/Text.js). Not arbitrary string functions: the patch places a
 * one-column line inside its clip without slicing it, and slicing drops codes that style no
 * character, which a function that appends text after them could bring to light.
 */
const ink = new Chalk({ level: 3 });
const TRANSFORMS: Transformer[][] = [[], [(l) => ink.green(l)], [(l) => ink.bold(l), (l) => ink.bgBlue(l)], [(l) => ink.dim(ink.hex('#ff8800')(l))], [(l) => ink.inverse(l)]];
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('write' as const), x: fc.nat(30), y: fc.integer({ min: -1, max: 9 }), text, transform: fc.nat(TRANSFORMS.length - 1) }) },
  {
    weight: 1,
    arbitrary: fc.record(
      { kind: fc.constant('clip' as const), x1: fc.nat(20), x2: fc.nat(34), y1: fc.nat(6), y2: fc.nat(10) },
      { requiredKeys: ['kind'] },
    ),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'unclip' as const }) },
);
const frame = fc.record({ width: fc.integer({ min: 1, max: 32 }), height: fc.integer({ min: 1, max: 8 }), ops: fc.array(op, { maxLength: 14 }) });

function render(Output: OutputClass, f: { width: number; height: number; ops: Op[] }): string {
  const out = new Output({ width: f.width, height: f.height });
  let depth = 0;
  for (const o of f.ops) {
    if (o.kind === 'write') out.write(o.x, o.y, o.text, { transformers: TRANSFORMS[o.transform]! });
    else if (o.kind === 'clip') {
      depth++;
      out.clip(o);
    } else if (depth > 0) {
      depth--;
      out.unclip();
    }
  }
  return JSON.stringify(out.get());
}

/** What a terminal shows: each cell's character and the set of styles on it, line by line. */
function cells(rendered: string): string[][] {
  const { output, height } = JSON.parse(rendered) as { output: string; height: number };
  return [
    [String(height)],
    ...output.split('\n').map((l) => styledCharsFromTokens(tokenize(l)).map((c) => `${c.value}|${c.styles.map((x) => x.code).sort().join('')}`)),
  ];
}

function expectSameScreen(f: { width: number; height: number; ops: Op[] }): void {
  const got = render(patched.default, f);
  const want = render(original.default, f);
  const transformed = f.ops.some((o) => o.kind === 'write' && o.transform !== 0);
  if (transformed) expect(cells(got)).toEqual(cells(want));
  else expect(got).toBe(want);
}

describe('patched Ink output stage', () => {
  it('shows every frame as Ink 6.8.0 does', () => {
    fc.assert(
      fc.property(frame, (f) => expectSameScreen(f)),
      { numRuns: 3000 },
    );
  });

  it('stays exact when frames repeat and change a little (the caches shared between frames)', () => {
    fc.assert(
      fc.property(fc.array(frame, { minLength: 2, maxLength: 6 }), fc.array(fc.nat(5), { minLength: 4, maxLength: 20 }), (frames, order) => {
        for (const i of order) {
          expectSameScreen(frames[i % frames.length]!);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a console-like frame: borders, coloured cells, a clipped pane', () => {
    const f = {
      width: 60,
      height: 4,
      ops: [
        { kind: 'write', x: 0, y: 0, text: '╔══ Topics ══╗\n║\n╚════════════╝', transform: 0 },
        { kind: 'clip', x1: 1, x2: 12, y1: 1, y2: 2 },
        { kind: 'write', x: 1, y: 1, text: `\x1b[32m● ok\x1b[39m pageviews 1,234/s ▁▂▃▅▇`, transform: 0 },
        { kind: 'unclip' },
        { kind: 'write', x: 20, y: 3, text: '中文 😀 e\u0301', transform: 1 },
      ] as Op[],
    };
    const got = render(patched.default, f);
    expect(got).toBe(render(original.default, f));
    expect(got).toContain('● ok');
  });

  it('tokenises plain one-column text like ansi-tokenize, and hands anything else to it', () => {
    // every code point the fast path accepts, alone and between colour codes
    const accepted: string[] = [];
    for (let c = 0x20; c <= 0x2bff; c++) {
      const ch = String.fromCharCode(c);
      if (patched.fastTokenize(`\x1b[31m${ch}`).length === 2 && /^[\s\S]$/.test(ch)) accepted.push(ch);
    }
    expect(accepted.length).toBeGreaterThan(1000);
    for (const ch of accepted) expect(patched.fastTokenize(`\x1b[31m${ch}\x1b[39m${ch}`)).toEqual(tokenize(`\x1b[31m${ch}\x1b[39m${ch}`));
    fc.assert(
      fc.property(line, (l) => {
        expect(patched.fastTokenize(l)).toEqual(tokenize(l));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('patched Ink text caches', () => {
  it('measure-text keeps a bounded number of strings however many distinct ones are drawn', () => {
    for (let i = 0; i < 20_000; i++) measure.default(`uptime ${i}s ● ok`);
    expect(measure.cache.size).toBeLessThanOrEqual(2 * 4096);
    expect(measure.default('uptime 19999s ● ok')).toEqual({ width: 18, height: 1 });
  });

  it('wrap-text keeps a bounded number of strings, and a text ending in digits does not collide with another width', () => {
    for (let i = 0; i < 20_000; i++) wrap.default(`a long line number ${i} that wraps`, 10, 'wrap');
    expect(wrap.cache.size).toBeLessThanOrEqual(2 * 4096);
    expect(wrap.default('ab1', 2, 'wrap')).toBe('ab\n1');
    // the old key was text + width + type: 'ab' at 12 read the entry of 'ab1' at 2
    expect(wrap.default('ab', 12, 'wrap')).toBe('ab');
  });
});

describe('patched Ink text width', () => {
  it('measures every string as string-width does, only faster for one-column text', async () => {
    const { stringWidth, widestLine } = await load<{ stringWidth: (s: string) => number; widestLine: (s: string) => number }>('text-width.js');
    const requireFromInk = createRequire(join(inkBuild, 'index.js'));
    const reference = ((await import(pathToFileURL(requireFromInk.resolve('string-width')).href)) as { default: (s: string) => number }).default;
    for (let c = 0x20; c <= 0x2bff; c++) {
      if (c >= 0x7f && c < 0xa0) continue;
      const ch = String.fromCharCode(c);
      expect([ch, stringWidth(ch)]).toEqual([ch, reference(ch)]);
      expect([ch, stringWidth(`\x1b[31m${ch}${ch}\x1b[39m`)]).toEqual([ch, reference(`\x1b[31m${ch}${ch}\x1b[39m`)]);
    }
    fc.assert(
      fc.property(text, (t) => {
        for (const l of t.split('\n')) expect(stringWidth(l)).toBe(reference(l));
        expect(widestLine(t)).toBe(Math.max(...t.split('\n').map(reference)));
      }),
      { numRuns: 5000 },
    );
  });
});
