import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const collectorSources = join(__dirname, '..', '..', 'lib', 'collector');

describe('lib/collector is pure', () => {
  const files = readdirSync(collectorSources).filter((name) => name.endsWith('.ts'));

  test.each(files)('%s imports neither aws-cdk-lib nor constructs', (file) => {
    const source = readFileSync(join(collectorSources, file), 'utf8');
    expect(source.match(/from '(aws-cdk-lib[^']*|constructs)'/g)).toBeNull();
  });

  test.each(files)('%s reads nothing outside the repository at run time', (file) => {
    const source = readFileSync(join(collectorSources, file), 'utf8');
    expect(source).not.toMatch(/\/work\/shared|node:fs|readFileSync/);
  });
});
