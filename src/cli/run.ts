/** Entry point of the `tripline` binary (bin/tripline loads this). */
import { main } from './main.js';

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tripline: fatal: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
