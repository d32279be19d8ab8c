import { describe, expect, it } from 'vitest';
import { formatCommandHelp, parseArgs, type CommandSpec } from './args.js';
import { SfpipeError } from '../domain/errors.js';

const spec: CommandSpec = {
  name: 'demo',
  summary: 'a demo command',
  flags: [
    { name: 'yes', short: 'y', type: 'boolean', description: 'skip confirmation' },
    { name: 'out', type: 'string', value: 'DIR', description: 'output dir' },
    { name: 'refresh', type: 'number', value: 'SECONDS', description: 'interval' },
    { name: 'color', type: 'boolean', description: 'colour' },
  ],
  positionals: ['name'],
};

describe('parseArgs', () => {
  it('parses booleans, strings, numbers, inline values and negation', () => {
    const r = parseArgs(spec, ['-y', '--out', 'k', '--refresh=2.5', '--no-color', 'x']);
    expect(r.flags).toEqual({ yes: true, out: 'k', refresh: 2.5, color: false });
    expect(r.positionals).toEqual(['x']);
  });

  it.each([
    [['--nope'], /unknown flag --nope/],
    [['--out'], /--out needs a value/],
    [['--out', '--yes'], /--out needs a value/],
    [['--refresh', 'soon'], /needs a number, got "soon"/],
    [['--yes=1'], /takes no value/],
    [['a', 'b'], /unexpected argument "b"/],
  ])('rejects %j with a clear message', (argv, message) => {
    let caught: unknown;
    try {
      parseArgs(spec, argv);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SfpipeError);
    expect((caught as SfpipeError).kind).toBe('invalid-input');
    expect((caught as SfpipeError).message).toMatch(message);
    expect((caught as SfpipeError).hint).toContain('sfpipe demo --help');
  });

  it('generates help from the same table', () => {
    const help = formatCommandHelp(spec);
    expect(help).toContain('usage: sfpipe demo [flags] [name]');
    expect(help).toMatch(/-y, --yes\s+skip confirmation/);
    expect(help).toMatch(/--out DIR\s+output dir/);
  });
});
