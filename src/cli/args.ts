/**
 * A small, strict argument parser: every command declares its flags as data, unknown flags
 * and missing values are errors that name the flag, and `--help` text is generated from the
 * same table.
 */
import { SfpipeError } from '../domain/errors.js';

export type FlagType = 'boolean' | 'string' | 'number';

export interface FlagSpec {
  name: string; // without dashes, e.g. "dry-run"
  type: FlagType;
  description: string;
  short?: string;
  /** placeholder for the value in help, e.g. DIR */
  value?: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  flags: FlagSpec[];
  /** positional argument names (help only); extra positionals are an error */
  positionals?: string[];
  details?: string;
}

export interface ParsedArgs {
  flags: Record<string, string | number | boolean>;
  positionals: string[];
}

export function parseArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const [rawName, inline] = arg.startsWith('--') ? splitOnce(arg.slice(2), '=') : [arg.slice(1), undefined];
    const flag = arg.startsWith('--')
      ? spec.flags.find((f) => f.name === rawName || (f.type === 'boolean' && rawName === `no-${f.name}`))
      : spec.flags.find((f) => f.short === rawName);
    if (!flag) throw usageError(spec, `unknown flag ${arg}`);
    if (flag.type === 'boolean') {
      if (inline !== undefined) throw usageError(spec, `flag --${flag.name} takes no value`);
      flags[flag.name] = !rawName.startsWith('no-') || flag.name.startsWith('no-');
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw usageError(spec, `flag --${flag.name} needs a value${flag.value ? ` (${flag.value})` : ''}`);
    if (flag.type === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n) || value.trim() === '') throw usageError(spec, `flag --${flag.name} needs a number, got "${value}"`);
      flags[flag.name] = n;
    } else {
      flags[flag.name] = value;
    }
  }
  const max = spec.positionals?.length ?? 0;
  if (positionals.length > max) throw usageError(spec, `unexpected argument "${positionals[max]}"`);
  return { flags, positionals };
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

function usageError(spec: CommandSpec, message: string): SfpipeError {
  return new SfpipeError('invalid-input', 'cli', message, { hint: `see \`sfpipe ${spec.name === 'console' ? '' : `${spec.name} `}--help\`` });
}

export function formatCommandHelp(spec: CommandSpec, bin = 'sfpipe'): string {
  const pos = (spec.positionals ?? []).map((p) => ` [${p}]`).join('');
  const lines = [`usage: ${bin}${spec.name === 'console' ? '' : ` ${spec.name}`} [flags]${pos}`, '', spec.summary, ''];
  if (spec.flags.length) {
    lines.push('flags:');
    const rows = spec.flags.map((f) => [`${f.short ? `-${f.short}, ` : ''}--${f.name}${f.value ? ` ${f.value}` : ''}`, f.description] as const);
    const width = Math.max(...rows.map(([a]) => a.length));
    for (const [a, b] of rows) lines.push(`  ${a.padEnd(width)}  ${b}`);
  }
  if (spec.details) lines.push('', spec.details.trimEnd());
  return `${lines.join('\n')}\n`;
}
