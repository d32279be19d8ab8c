import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Runs the real launcher (bin/ → dist/), as `npx sfpipe` does after `npm ci`.
const bin = new URL('../../bin/sfpipe.js', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('sfpipe launcher', () => {
  it('prints its version', () => {
    expect(execFileSync('node', [bin, '--version'], { encoding: 'utf8' }).trim()).toBe(pkg.version);
  });

  it('lists every command in --help', () => {
    const help = execFileSync('node', [bin, '--help'], { encoding: 'utf8' });
    for (const c of ['status', 'doctor', 'keys', 'setup', 'pause', 'resume', 'cleanup', 'serve']) expect(help).toContain(`  ${c}`);
  });

  it('says which Snowflake queries wake a warehouse in status --help', () => {
    const help = execFileSync('node', [bin, 'status', '--help'], { encoding: 'utf8' });
    expect(help).toContain('WAKE A WAREHOUSE');
    expect(help).toContain('SHOW TABLES');
  });

  it('rejects an unknown command and an unknown flag with exit 2 and one line', () => {
    const a = spawnSync('node', [bin, 'frobnicate'], { encoding: 'utf8' });
    expect(a.status).toBe(2);
    expect(a.stderr.trim().split('\n')).toHaveLength(1);
    const b = spawnSync('node', [bin, 'status', '--bogus'], { encoding: 'utf8' });
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('unknown flag --bogus');
  });
});
