import { runCli } from './dispatch';

/* The `journeys` command line: `npm run journeys -- <command> [args…]`; see cli/dispatch.ts. */

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
