/**
 * The `tripline` command line: dispatches to one command per file. The only
 * place argv, exit codes and the terminal are handled.
 */
import { readFileSync } from 'node:fs';
import type { CliIo, Command } from './command.js';
import { UsageError } from './command.js';
import { actorsCommand } from './commands/actors-command.js';
import { campaignCommand, campaignsCommand } from './commands/campaigns-command.js';
import { demoCommand } from './commands/demo-command.js';
import { directoryCommand } from './commands/directory-command.js';
import { evalCommand } from './commands/eval-command.js';
import { exposureCommand } from './commands/exposure-command.js';
import { graphCommand } from './commands/graph-command.js';
import { ingestCommand } from './commands/ingest-command.js';
import { intelCommand } from './commands/intel-command.js';
import { keysCommand } from './commands/keys-command.js';
import { serveCommand } from './commands/serve-command.js';
import { simulateCommand } from './commands/simulate-command.js';

export const COMMANDS = [
  serveCommand,
  ingestCommand,
  directoryCommand,
  keysCommand,
  simulateCommand,
  graphCommand,
  exposureCommand,
  campaignsCommand,
  campaignCommand,
  actorsCommand,
  intelCommand,
  evalCommand,
  demoCommand,
] as const satisfies readonly Command[];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `tripline: detect and stop targeted account-takeover campaigns

Usage: tripline COMMAND [options]    (tripline COMMAND --help for details)

${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Common options:
  --db sqlite:PATH | postgres://…   the store (default sqlite:./tripline.db)
`;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`tripline: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`Usage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const e = error as Error & { code?: string };
    if (error instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`tripline ${command.name}: ${e.message}\n\nUsage: ${command.usage}\n`);
      return 2;
    }
    io.stderr.write(`tripline ${command.name}: error: ${e.message}\n`);
    if (process.env.TRIPLINE_DEBUG) io.stderr.write(`${e.stack}\n`);
    return 1;
  }
}
