import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleEnvironments } from '../support/example-app';

const repoRoot = join(__dirname, '..', '..');

/** Runs bin/app.ts as the CDK CLI does: context in CDK_CONTEXT_JSON, output to CDK_OUTDIR. */
function runApp(context: Record<string, unknown>) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'bin', 'app.ts')], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_CONTEXT_JSON: JSON.stringify(context),
      CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'cdk-out-')),
      CDK_VALIDATION: 'false',
    },
  });
}

describe('bin/app.ts', () => {
  test('a wrong profile exits 1 with the field and the fix, and no stack trace', () => {
    const environments = exampleEnvironments();
    environments.prod.logRetentionDays = 31;
    const result = runApp({ environments });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('cdk.json: environments.prod.logRetentionDays: 31 is not allowed');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  test('an unknown environment exits 1 listing the known ones', () => {
    const result = runApp({ environments: exampleEnvironments(), env: 'qa' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('unknown environment "qa". Known environments: dev, staging, prod');
  });
});
