/**
 * One CLI command. Each lives in its own file under commands/ and is listed in
 * main.ts; the CLI is a thin shell, so a command only parses argv, calls the
 * core and prints.
 */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stdin: NodeJS.ReadableStream;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Resolves to the process exit code. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseIntegerOption(
  value: string | undefined,
  option: string,
  { min, max }: { min: number; max: number },
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value))
    throw new UsageError(`${option}: expected a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max)
    throw new UsageError(`${option}: must be from ${min} to ${max}, got ${n}`);
  return n;
}
