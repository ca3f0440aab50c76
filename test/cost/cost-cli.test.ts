/** `npm run cost` takes its arguments as obsctl does: commander, --help, one-line errors, exit 2. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCostCli } from '../../bench/cost';
import type { EnvironmentEstimate } from '../../bench/cost-model/estimate';
import { CapturedOutput } from '../cli/support/harness';

const REPO_ROOT = join(__dirname, '..', '..');

/** Runs the cost CLI with an estimator that records its selection instead of synthesizing. */
async function cost(args: readonly string[], options: { stderrIsTTY?: boolean } = {}) {
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput(options.stderrIsTTY ?? false);
  const selections: (string | undefined)[] = [];
  const code = await runCostCli(args, {
    stdout,
    stderr,
    estimate: (_environments, selection) => {
      selections.push(selection);
      return [] as EnvironmentEstimate[];
    },
  });
  return { code, stdout: stdout.text, stderr: stderr.text, selections };
}

test.each([[['--env', 'prod']], [['--env=prod']]])('%j estimates that environment only', async (args) => {
  const result = await cost(args);
  expect({ code: result.code, stderr: result.stderr, selections: result.selections }).toEqual({
    code: 0,
    stderr: '',
    selections: ['prod'],
  });
});

test('without --env every environment is estimated', async () => {
  expect((await cost([])).selections).toEqual([undefined]);
});

test('--help describes the options and exits 0 without synthesizing', async () => {
  const result = await cost(['--help']);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^Usage: npm run cost -- \[options\]/);
  expect(result.stdout).toContain('--env <env>');
  expect(result.selections).toEqual([]);
});

test.each([
  [['--env=qa'], '--env qa: no environment "qa" in cdk.json. Environments: dev, staging, prod\n'],
  [
    ['--env', 'prd'],
    '--env prd: no environment "prd" in cdk.json. Did you mean "prod"? Environments: dev, staging, prod\n',
  ],
  [['--evn', 'prod'], "error: unknown option '--evn'\n(Did you mean --env?)\n"],
  [['prod'], 'error: too many arguments. Expected 0 arguments but got 1.\n'],
  [['--env'], "error: option '--env <env>' argument missing\n"],
])('%j is one clear line and exit 2, before any synth', async (args, stderr) => {
  const result = await cost(args);
  expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ code: 2, stdout: '', stderr });
  expect(result.selections).toEqual([]);
});

test('under --json an error is the JSON error object on stdout', async () => {
  const result = await cost(['--env=qa', '--json']);
  expect(result.code).toBe(2);
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout).error).toEqual({
    code: 'unknown-environment',
    message: '--env qa: no environment "qa" in cdk.json. Environments: dev, staging, prod',
    exitCode: 2,
  });
});

test('on a terminal the synth shows progress, cleared before the report; none when piped', async () => {
  const tty = await cost(['--env', 'prod'], { stderrIsTTY: true });
  expect(tty.stderr).toBe('\r| Synthesizing prod\u001b[K\r\u001b[K');
  expect((await cost(['--env', 'prod'])).stderr).toBe('');
});

test('npm run cost -- --env=qa, as typed: exit 2, one line, no stack trace', () => {
  const result = spawnSync('npm', ['run', '--silent', 'cost', '--', '--env=qa'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect({ status: result.status, stderr: result.stderr }).toEqual({
    status: 2,
    stderr: '--env qa: no environment "qa" in cdk.json. Environments: dev, staging, prod\n',
  });
}, 60_000);
