#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// React's production build: its development build checks and records every render, which
// costs the console ~40 % more CPU per frame (bench metric 2). Set before React is loaded.
process.env.NODE_ENV ??= 'production';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('sfpipe: dist/ is missing. Run `npm ci` (or `npm run build`) in the sfpipe folder first.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
