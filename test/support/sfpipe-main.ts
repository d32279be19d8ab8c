// The sfpipe CLI run from source (what bin/sfpipe.js does with dist/), so e2e tests exercise
// the tree as it is, without a build step. Started by test/support/sfpipeCli.ts.
import { main } from '../../src/cli.js';

process.exitCode = await main(process.argv.slice(2));
