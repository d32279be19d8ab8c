/** Run a bench TypeScript file in a child node process (through tsx) and read the JSON line it prints last. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './console.js';

export interface ChildOptions {
  nodeArgs?: string[];
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

export function runChild<T>(file: string, args: string[], o: ChildOptions = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...o.env })) if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [...(o.nodeArgs ?? []), '--import', 'tsx', join(REPO, file), ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 15 * 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').filter((l) => l.startsWith('{') || l.startsWith('[')).at(-1);
      if (code !== 0 || !line) return reject(new Error(`${file} exited ${code}: ${err.trim().split('\n').slice(-5).join(' | ')}`));
      try {
        resolve(JSON.parse(line) as T);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
}
