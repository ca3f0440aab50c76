import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = '@starmates/cdk-otel-observability';

/** The package version, found by walking up from this file (lib/cli in the repo, dist/lib/cli when built). */
export function packageVersion(start: string = __dirname): string {
  let directory = start;
  for (let level = 0; level < 6; level++) {
    const file = join(directory, 'package.json');
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (json.name === PACKAGE_NAME && json.version !== undefined) return json.version;
    }
    directory = dirname(directory);
  }
  return 'unknown';
}
