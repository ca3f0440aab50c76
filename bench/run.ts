/**
 * `npm run bench`: synth time, peak memory, resources, template bytes and monthly CloudWatch cost
 * of bare, observed and cdk-monitoring-constructs apps with N = 1, 10, 50, 100 services; writes
 * bench/results.json and bench/results.md. Each cell runs in its own process, one at a time, so
 * timings do not compete for the cores and peak RSS is the cell's own. `--render` only re-renders
 * results.md from results.json.
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

const SERVICE_COUNTS = [1, 10, 50, 100] as const;
/** Timed runs per in-process cell, after one warm-up. */
const RUNS = 3;
/** Whole-process `cdk synth` runs per cell: each pays CLI, tsx and module start-up (several seconds). */
const WHOLE_PROCESS_RUNS = 3;
const WHOLE_PROCESS_COUNTS = [10, 100] as const;
/** The N whose synth time is broken down and profiled. */
const PROFILED_SERVICES = 50;

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
  return JSON.parse(runTsx('worker.ts', [variant, String(services), String(RUNS), ...flags])) as CellResult;
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

function main(): void {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  process.stderr.write('in process, validator off:\n');
  const cells = VARIANTS.flatMap((variant) => SERVICE_COUNTS.map((services) => cell(variant, services)));
  process.stderr.write('in process, validator on:\n');
  const validatedCells = VARIANTS.flatMap((variant) =>
    WHOLE_PROCESS_COUNTS.map((services) => cell(variant, services, { validation: true })),
  );
  process.stderr.write('whole process:\n');
  const whole = VARIANTS.flatMap((variant) => WHOLE_PROCESS_COUNTS.map((services) => wholeProcess(variant, services)));

  process.stderr.write('breakdown:\n');
  const observed = cells.find((c) => c.variant === 'observed' && c.services === PROFILED_SERVICES);
  const validated = cell('observed', PROFILED_SERVICES, { validation: true });
  const nagged = cell('observed', PROFILED_SERVICES, { compliance: true });
  if (observed === undefined) throw new Error(`no observed N=${PROFILED_SERVICES} cell`);
  const cpu = JSON.parse(runTsx('cpu-profile.ts', [String(PROFILED_SERVICES)])) as ProfileSummary;

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
    serviceCounts: SERVICE_COUNTS,
    cells,
    validatedCells,
    wholeProcess: whole,
    increments: increments(cells, whole),
    breakdown: {
      services: PROFILED_SERVICES,
      constructMs: median(observed.constructMs),
      synthMs: median(observed.synthMs),
      validatorMs: median(validated.synthMs) - median(observed.synthMs),
      cdkNagMs: median(nagged.synthMs) - median(observed.synthMs),
      cpu,
    },
  };
  const final = { ...results, durationSeconds: (performance.now() - started) / 1000 };
  writeFileSync(join(REPO_ROOT, 'bench', 'results.json'), `${JSON.stringify(final, null, 2)}\n`);
  writeFileSync(join(REPO_ROOT, 'bench', 'results.md'), renderResults(final));
  process.stderr.write(`done in ${final.durationSeconds.toFixed(0)} s: bench/results.md, bench/results.json\n`);
}

if (process.argv.includes('--render')) {
  // Re-renders results.md from results.json (after a change to the table), without measuring again.
  const results = JSON.parse(readFileSync(join(REPO_ROOT, 'bench', 'results.json'), 'utf8')) as BenchResults;
  writeFileSync(join(REPO_ROOT, 'bench', 'results.md'), renderResults(results));
} else {
  main();
}
