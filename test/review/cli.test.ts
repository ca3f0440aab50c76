/**
 * `obsctl review` on the command line: sides given as directories, or the base synthesized from a
 * git ref in a temporary worktree (the synth itself replaced by one that copies a committed
 * template, so the test needs no CDK app), the output formats and --fail-on-risk's exit code.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Synthesize } from '../../lib/cli/commands/review';
import type { InputStream } from '../../lib/cli/io';
import { runCli } from '../../lib/cli/program';
import { CapturedOutput, FakeClock } from '../cli/support/harness';

const STACK = 'Shop-Prod-Checkout';

/** A template with one alarm at `threshold`, and the environment tag the app puts on resources. */
function template(threshold: number): string {
  const alarm = {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: 'shop-prod-checkout-errorRate-critical',
      Threshold: threshold,
      Tags: [{ Key: 'environment', Value: 'prod' }],
    },
  };
  const logGroup = {
    Type: 'AWS::Logs::LogGroup',
    Properties: { LogGroupName: '/ecs/shop-prod/checkout', RetentionInDays: threshold > 6 ? 30 : 90 },
  };
  return JSON.stringify({ Resources: { Errors: alarm, Logs: logGroup } });
}

/** Writes a cloud assembly of one stack whose template is `templateText` into `directory`. */
function writeAssembly(directory: string, templateText: string): string {
  mkdirSync(directory, { recursive: true });
  const manifest = {
    artifacts: {
      [STACK]: { type: 'aws:cloudformation:stack', properties: { templateFile: `${STACK}.template.json` } },
    },
  };
  writeFileSync(join(directory, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(directory, `${STACK}.template.json`), templateText);
  return directory;
}

/** Stands in for `npm run synth`: the app's "template" is the committed app/template.json. */
const copySynth: Synthesize = (directory) => {
  writeAssembly(join(directory, 'cdk.out'), readFileSync(join(directory, 'app', 'template.json'), 'utf8'));
};

async function obsctl(args: readonly string[], cwd: string) {
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  const code = await runCli(args, {
    io: { stdout, stderr, stdin: Readable.from([]) as InputStream },
    clock: new FakeClock(),
    cwd,
    variables: {},
    createClients: () => {
      throw new Error('obsctl review makes no AWS call');
    },
    synthesize: copySynth,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const work = mkdtempSync(join(tmpdir(), 'obsctl-review-test-'));
const base = writeAssembly(join(work, 'base'), template(5));
const head = writeAssembly(join(work, 'head'), template(8));

test('the text review names the change with old → new, and exits 0 without --fail-on-risk', async () => {
  const result = await obsctl(['review', '--base', base, '--head', head], work);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('threshold: 5 → 8');
});

test('--fail-on-risk exits 1 and lists each risk on stderr', async () => {
  const result = await obsctl(['review', '--base', base, '--head', head, '--fail-on-risk'], work);
  expect(result.code).toBe(1);
  expect(result.stderr).toBe(
    'obsctl review: 1 risk (--fail-on-risk):\n' +
      '  - prod/checkout: log group /ecs/shop-prod/checkout: retention shortened from 90 days to 30 days: older logs are deleted\n',
  );
});

test('--markdown prints a pull-request comment', async () => {
  const result = await obsctl(['review', '--base', base, '--head', head, '--markdown'], work);
  expect(result.stdout).toContain(
    '- **changed** alarms: `alarm shop-prod-checkout-errorRate-critical`\n  - threshold: `5` → `8`',
  );
});

test('--json prints the changes and the risks', async () => {
  const result = await obsctl(['review', '--base', base, '--head', head, '--json'], work);
  expect(JSON.parse(result.stdout)).toMatchObject({
    summary: '2 changes, 1 risk',
    changes: [{ category: 'alarms', fields: [{ field: 'threshold', old: '5', new: '8' }] }, { category: 'log groups' }],
  });
});

test('the same assembly on both sides reads "no observability changes"', async () => {
  const result = await obsctl(['review', '--base', base, '--head', base, '--fail-on-risk'], work);
  expect([result.code, result.stdout]).toEqual([0, 'no observability changes\n']);
});

test('a base that is not a cloud assembly is a usage error naming the directory', async () => {
  const result = await obsctl(['review', '--base', work, '--head', head], work);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`${join(work, 'cdk.out')}: no manifest.json: not a cloud assembly`);
});

test('without --base or --base-ref it is a usage error', async () => {
  const result = await obsctl(['review', '--head', head], work);
  expect(result.code).toBe(2);
});

describe('--base-ref', () => {
  const repository = join(work, 'repository');
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: repository,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
    });

  beforeAll(() => {
    mkdirSync(join(repository, 'app'), { recursive: true });
    writeFileSync(join(repository, 'app', 'template.json'), template(5));
    git('init', '--quiet', '--initial-branch=main');
    git('add', '.');
    git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '--quiet', '-m', 'base');
    // The pull request's change, not committed: the head is the work tree.
    writeFileSync(join(repository, 'app', 'template.json'), template(8));
  });

  test('synthesizes the ref in a worktree and the work tree as the head, and compares them', async () => {
    const result = await obsctl(['review', '--base-ref', 'main'], repository);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('threshold: 5 → 8');
  });

  test('leaves no worktree behind', async () => {
    await obsctl(['review', '--base-ref', 'main'], repository);
    expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
  });

  test('an unknown ref is a usage error naming it', async () => {
    const result = await obsctl(['review', '--base-ref', 'no-such-branch'], repository);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no-such-branch');
  });
});
