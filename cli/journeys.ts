import { runCli } from './dispatch';

/*
 * The `journeys` command line: `npx journeys <command> [args…]` (package.json's bin, cli/bin.cjs, runs
 * this file under tsx) or `npm run journeys -- <command>`; see cli/dispatch.ts.
 */

runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
