import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The layer rules (no CDK package, no upward import, no file reads) are test/architecture/layers.test.ts.
const sources = join(__dirname, '..', '..', 'lib', 'local-stack');

describe('lib/local-stack', () => {
  const files = readdirSync(sources).filter((name) => name.endsWith('.ts'));

  test.each(files)('%s imports the profile schema for its type only', (file) => {
    const source = readFileSync(join(sources, file), 'utf8');
    const valueImports = source
      .split('\n')
      .filter((line) => line.includes("profile/schema'") && !/^import type /.test(line));
    expect(valueImports).toEqual([]);
  });
});
