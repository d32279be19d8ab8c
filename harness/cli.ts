/** `npm run harness -- up|down|status|env [service…]` */
import { ALL_SERVICES, down, env, makeContext, status, up } from './index.js';
import type { HarnessServiceName } from './types.js';

const USAGE = `usage: npm run harness -- <up|down|status|env> [docker|kafka|connect|snowflake|schema-registry …]

  up      provision (into the cache) and start, idempotently; prints status JSON
  down    stop what the harness started (by pid), nothing else
  status  one JSON object: each service's endpoint, pid and state
  env     export lines that point sfpipe at the harness:
            eval "$(npm run -s harness -- env)" && npx sfpipe status
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const unknown = rest.filter((n) => !(ALL_SERVICES as string[]).includes(n));
  if (!command || unknown.length > 0) {
    process.stderr.write(unknown.length ? `unknown service(s): ${unknown.join(', ')}\n${USAGE}` : USAGE);
    return 2;
  }
  const names = (rest.length ? rest : ALL_SERVICES) as HarnessServiceName[];
  const ctx = makeContext({ quiet: command === 'env' || command === 'status' });
  switch (command) {
    case 'up': {
      await up(ctx, names);
      process.stdout.write(`${JSON.stringify(await status(ctx), null, 2)}\n`);
      return 0;
    }
    case 'down':
      await down(ctx, names);
      return 0;
    case 'status':
      process.stdout.write(`${JSON.stringify(await status(ctx), null, 2)}\n`);
      return 0;
    case 'env':
      for (const [k, v] of Object.entries(env(ctx, names))) process.stdout.write(`export ${k}=${shellQuote(v)}\n`);
      return 0;
    default:
      process.stderr.write(`unknown command: ${command}\n${USAGE}`);
      return 2;
  }
}

function shellQuote(v: string): string {
  return /^[A-Za-z0-9_./:@,+=-]*$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`harness: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
