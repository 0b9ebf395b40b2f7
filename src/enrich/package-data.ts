/**
 * Finds data files shipped in npm packages (IP geolocation, ASN), so the
 * enrich stage reads real data without any download at run time.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Absolute path of `file` inside the installed package `name`. */
export function packageFile(name: string, file: string): string {
  return join(dirname(require.resolve(`${name}/package.json`)), file);
}
