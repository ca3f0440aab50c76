import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATE_COMMAND } from '../lib/generated-file';
import { allGeneratedFiles } from '../lib/generated-files';
import { loadEnvironmentProfiles } from '../lib/profile-loader/load';
import { committedGeneratedPaths } from '../scripts/generate';
import { cdkJsonEnvironments } from './support/cdk-json';

const repoRoot = join(__dirname, '..');
const generated = allGeneratedFiles(loadEnvironmentProfiles(cdkJsonEnvironments()));

describe('committed generated files', () => {
  test.each(generated.map((file) => [file.path, file] as const))('%s is what the code generates', (path, file) => {
    let committed: string | undefined;
    try {
      committed = readFileSync(join(repoRoot, path), 'utf8');
    } catch {
      committed = undefined;
    }
    // A plain equality keeps jest's diff readable; the message says how to fix it.
    if (committed !== file.content) {
      throw new Error(
        `${path} ${committed === undefined ? 'is missing' : 'differs from what the code generates'}. ` +
          `Run \`${GENERATE_COMMAND}\` and commit the result.`,
      );
    }
  });

  test('the generated folders hold no file the code no longer generates', () => {
    const wanted = new Set(generated.map((file) => file.path));
    const stale = committedGeneratedPaths().filter((path) => !wanted.has(path));
    expect(stale).toEqual([]);
  });
});
