/**
 * Files holding credentials (connections.toml, private keys) must be readable by their
 * owner only, as Snowflake's own tools require; anything looser is refused, not warned about.
 */
import { statSync } from 'node:fs';
import { SfpipeError, type ErrorSource } from '../domain/errors.js';

/** Throws unless `file` exists and has no group/other permission bits (POSIX only). */
export function assertOwnerOnly(file: string, source: ErrorSource, what: string, platform: NodeJS.Platform = process.platform): void {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new SfpipeError('not-found', source, `${what} ${file} does not exist`, { location: file, hint: 'check the path', cause: err });
    throw new SfpipeError('auth', source, `cannot read ${what} ${file} (${code ?? 'error'})`, { location: file, cause: err });
  }
  if (platform === 'win32') return;
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw new SfpipeError('invalid-input', source, `${what} ${file} is accessible by other users (mode ${octal})`, {
      location: file,
      hint: `run \`chmod 0600 ${file}\``,
    });
  }
}
