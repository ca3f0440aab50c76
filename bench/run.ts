/**
 * `npm run bench`: synth time, peak memory, resources, template bytes and monthly CloudWatch cost
 * of bare, observed and cdk-monitoring-constructs apps with N = 1, 10, 100, 500 services; writes
 * bench/results.json and bench/results.md. Each cell runs in its own process, one at a time, so
 * timings do not compete for the cores and peak RSS is the cell's own. `--render` only re-renders
 * results.md from results.json; `--services 1,10` is a smoke run of those N only, written to a
 * temporary directory (the committed results stay the full run's).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './context';
import type { ProfileSummary } from './cpu-profile';
import { median } from './measure';
import { type BenchResults, increments, renderResults, type WholeProcessResult } from './results';
import { VARIANTS, type Variant } from './variants';
import type { CellResult } from './worker';

const SERVICE_COUNTS = [1, 10, 100, 500] as const;
/** Timed runs per in-process cell, after one warm-up. */
const RUNS = 3;
/** From this N on, one timed run per cell: an observed N=500 synth takes several seconds, and the bench should stay under 15 min on 2 cores. */
const SINGLE_RUN_FROM = 500;
const runsFor = (services: number) => (services >= SINGLE_RUN_FROM ? 1 : RUNS);
/** Whole-process `cdk synth` runs per cell: each pays CLI, tsx and module start-up (several seconds). */
const WHOLE_PROCESS_RUNS = 3;
const WHOLE_PROCESS_COUNTS = [10, 100] as const;
/** The N whose synth time is broken down and profiled. */
const PROFILED_SERVICES = 100;

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const CDK = join(REPO_ROOT, 'node_modules', '.bin', 'cdk');

function runTsx(script: string, args: readonly string[]): string {
  const result = spawnSync(TSX, [join(REPO_ROOT, 'bench', script), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CDK_VALIDATION: undefined },
  });
  if (result.status !== 0) throw new Error(`${script} ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout.trim().split('\n').at(-1) ?? '';
}

function cell(variant: Variant, services: number, options: { validation?: boolean; compliance?: boolean } = {}) {
  const flags = [
    options.validation ? 'validation' : 'novalidation',
    options.compliance ? 'compliance' : 'nocompliance',
  ];
  process.stderr.write(`  ${variant} N=${services} ${flags.join(' ')}\n`);
  return JSON.parse(
    runTsx('worker.ts', [variant, String(services), String(runsFor(services)), ...flags]),
  ) as CellResult;
}

/** `cdk synth` as `npm run synth` runs it, timed from start to exit. */
function wholeProcess(variant: Variant, services: number): WholeProcessResult {
  process.stderr.write(`  cdk synth ${variant} N=${services}\n`);
  const runsMs = Array.from({ length: WHOLE_PROCESS_RUNS }, () => {
    const outdir = mkdtempSync(join(tmpdir(), 'bench-cdk-'));
    try {
      const start = performance.now();
      const result = spawnSync(
        CDK,
        ['synth', '--app', 'npx tsx bench/app.ts', '--output', outdir, '--quiet', '--no-notices'],
        {
          cwd: REPO_ROOT,
          encoding: 'utf8',
          env: {
            ...process.env,
            CDK_DISABLE_CLI_TELEMETRY: 'true',
            CDK_VALIDATION: undefined,
            BENCH_VARIANT: variant,
            BENCH_SERVICES: String(services),
          },
        },
      );
      const elapsed = performance.now() - start;
      if (result.status !== 0) throw new Error(`cdk synth ${variant} N=${services} failed:\n${result.stderr}`);
      return elapsed;
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
  return { variant, services, runsMs, validation: true };
}

function packageVersion(name: string): string {
  return (require(`${name}/package.json`) as { version: string }).version;
}

/** `--services 1,10`: the N of a smoke run; undefined for the full run. */
function smokeCounts(args: readonly string[]): number[] | undefined {
  const index = args.indexOf('--services');
  if (index < 0) return undefined;
  const counts = (args[index + 1] ?? '').split(',').map(Number);
  if (counts.length < 2 || counts.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error('--services takes two or more service counts, such as --services 1,10');
  }
  return counts;
}

function main(smoke: readonly number[] | undefined): void {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const serviceCounts = smoke ?? SERVICE_COUNTS;
  const wholeCounts = smoke ?? WHOLE_PROCESS_COUNTS;
  const profiled = smoke?.at(-1) ?? PROFILED_SERVICES;
  process.stderr.write('in process, validator off:\n');
  const cells = VARIANTS.flatMap((variant) => serviceCounts.map((services) => cell(variant, services)));
  process.stderr.write('in process, validator on:\n');
  const validatedCells = VARIANTS.flatMap((variant) =>
    wholeCounts.map((services) => cell(variant, services, { validation: true })),
  );
  process.stderr.write('whole process:\n');
  const whole = VARIANTS.flatMap((variant) => wholeCounts.map((services) => wholeProcess(variant, services)));

  process.stderr.write('breakdown:\n');
  const observed = cells.find((c) => c.variant === 'observed' && c.services === profiled);
  const validated = cell('observed', profiled, { validation: true });
  const nagged = cell('observed', profiled, { compliance: true });
  if (observed === undefined) throw new Error(`no observed N=${profiled} cell`);
  const cpu = JSON.parse(runTsx('cpu-profile.ts', [String(profiled)])) as ProfileSummary;

  const results: BenchResults = {
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 1024 ** 3),
      node: process.versions.node,
      versions: Object.fromEntries(
        ['aws-cdk-lib', 'aws-cdk', 'cdk-monitoring-constructs', 'cdk-nag'].map((name) => [name, packageVersion(name)]),
      ),
    },
    startedAt,
    durationSeconds: 0,
    runsPerCell: RUNS,
    singleRunFrom: SINGLE_RUN_FROM,
    serviceCounts,
    cells,
    validatedCells,
    wholeProcess: whole,
    increments: increments(cells, whole),
    breakdown: {
      services: profiled,
      constructMs: median(observed.constructMs),
      synthMs: median(observed.synthMs),
      validatorMs: median(validated.synthMs) - median(observed.synthMs),
      cdkNagMs: median(nagged.synthMs) - median(observed.synthMs),
      cpu,
    },
  };
  const final = { ...results, durationSeconds: (performance.now() - started) / 1000 };
  const directory = smoke === undefined ? join(REPO_ROOT, 'bench') : mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  writeFileSync(join(directory, 'results.json'), `${JSON.stringify(final, null, 2)}\n`);
  writeFileSync(join(directory, 'results.md'), renderResults(final));
  process.stderr.write(
    `done in ${final.durationSeconds.toFixed(0)} s: ${join(directory, 'results.md')}, results.json\n`,
  );
}

if (process.argv.includes('--render')) {
  // Re-renders results.md from results.json (after a change to the table), without measuring again.
  const results = JSON.parse(readFileSync(join(REPO_ROOT, 'bench', 'results.json'), 'utf8')) as BenchResults;
  writeFileSync(join(REPO_ROOT, 'bench', 'results.md'), renderResults(results));
} else {
  main(smokeCounts(process.argv.slice(2)));
}
