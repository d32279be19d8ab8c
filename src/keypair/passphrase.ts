/**
 * The passphrase for a new key: from PRIVATE_KEY_PASSPHRASE (or
 * SNOWFLAKE_PRIVATE_KEY_PASSPHRASE), else typed twice on a terminal with echo off.
 */
import { SfpipeError } from '../domain/errors.js';

export interface PromptIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  /** where prompts go (stderr, so stdout stays clean for the result) */
  prompt: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export const PASSPHRASE_VARS = ['PRIVATE_KEY_PASSPHRASE', 'SNOWFLAKE_PRIVATE_KEY_PASSPHRASE'] as const;

export async function newPassphrase(io: PromptIO): Promise<{ passphrase: string; from: string }> {
  for (const name of PASSPHRASE_VARS) {
    const v = io.env[name];
    if (v) return { passphrase: v, from: `$${name}` };
  }
  if (!io.stdin.isTTY || typeof io.stdin.setRawMode !== 'function') {
    throw new SfpipeError('invalid-input', 'keys', 'no passphrase: PRIVATE_KEY_PASSPHRASE is not set and stdin is not a terminal to ask on', {
      hint: 'set PRIVATE_KEY_PASSPHRASE (or SNOWFLAKE_PRIVATE_KEY_PASSPHRASE), or run in a terminal',
    });
  }
  const first = await readHidden(io, 'Passphrase for the new private key: ');
  if (first === '') throw new SfpipeError('invalid-input', 'keys', 'the passphrase must not be empty', { hint: 'nothing was changed; run again' });
  const second = await readHidden(io, 'Type it again: ');
  if (first !== second) throw new SfpipeError('invalid-input', 'keys', 'the two passphrases differ', { hint: 'nothing was changed; run again' });
  return { passphrase: first, from: 'terminal' };
}

/** One line from a raw-mode terminal, echoing nothing. Ctrl-C / Ctrl-D abort. */
export function readHidden(io: PromptIO, prompt: string): Promise<string> {
  const stdin = io.stdin;
  io.prompt.write(prompt);
  stdin.setRawMode!(true);
  stdin.resume();
  return new Promise<string>((resolve, reject) => {
    let value = '';
    const finish = (err?: SfpipeError) => {
      stdin.removeListener('data', onData);
      stdin.removeListener('end', onEnd);
      stdin.setRawMode!(false);
      stdin.pause();
      io.prompt.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onEnd = () => finish(new SfpipeError('invalid-input', 'keys', 'input closed before a passphrase was entered', { hint: 'nothing was changed' }));
    const onData = (chunk: Buffer | string) => {
      const chars = [...chunk.toString()];
      for (let i = 0; i < chars.length; i++) {
        const ch = chars[i]!;
        if (ch === '\r' || ch === '\n') {
          // Typed-ahead input (a pasted second line) belongs to the next prompt.
          const rest = chars.slice(i + 1).join('').replace(/^\n/, '');
          finish();
          if (rest) (stdin as NodeJS.ReadableStream & { unshift?: (c: Buffer) => void }).unshift?.(Buffer.from(rest));
          return;
        }
        if (ch === '\u0003') return finish(new SfpipeError('invalid-input', 'keys', 'interrupted', { hint: 'nothing was changed' }));
        if (ch === '\u0004') return value === '' ? onEnd() : finish();
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
  });
}
