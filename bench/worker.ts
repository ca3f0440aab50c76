/**
 * One benchmark cell in its own process, so its peak RSS is its own:
 *   tsx bench/worker.ts <variant> <services> <runs> [validation]
 * Builds and synthesizes a fresh App once to warm up, then `runs` times, and prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { addComplianceChecks } from '../lib/compliance';
import { BASE_ENVIRONMENT, cdkContext, cdkProfiles } from './context';
import { type AppWeight, assemblyWeight } from './measure';
import { type VariantMoney, variantMonthlyUsd } from './money';
import { scaledProfile } from './profiles';
import { buildVariant, isVariant, type Variant } from './variants';

export interface CellOptions {
  readonly variant: Variant;
  readonly services: number;
  readonly runs: number;
  /** aws-cdk-lib's built-in CloudFormation validator. */
  readonly validation: boolean;
  /** The cdk-nag packs, as bin/app.ts registers them (only the observed variant acknowledges its findings). */
  readonly compliance: boolean;
}

export interface CellResult extends CellOptions {
  /** Building the constructs, per run (ms). */
  readonly constructMs: readonly number[];
  /** `app.synth()`, per run (ms). */
  readonly synthMs: readonly number[];
  readonly weight: Omit<AppWeight, 'stacks'> & {
    readonly stackCount: number;
    readonly platform: { readonly resources: number; readonly bytes: number; readonly outputs: number };
    readonly service: { readonly resources: number; readonly bytes: number };
  };
  /** CloudWatch USD per month the variant's templates add (bench/money.ts). */
  readonly monthlyUsd: number;
  /** Alarms and their monthly USD per service stack and for the environment (results before December 2026 lack them). */
  readonly alarms?: CellAlarms;
  /** The process's resident-set high-water mark (KiB), warm-up included. */
  readonly maxRssKiB: number;
}

export interface CellAlarms {
  readonly perService: number;
  readonly perServiceUsd: number;
  readonly environment: number;
  readonly environmentUsd: number;
}

interface RunResult {
  readonly constructMs: number;
  readonly synthMs: number;
  readonly weight: AppWeight;
  readonly money: VariantMoney;
  /** The stacks whose weights the cell reports: the platform and the first service. */
  readonly platformStackName: string;
  readonly serviceStackName: string;
}

function runOnce(options: CellOptions): RunResult {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  try {
    const start = performance.now();
    const app = new App({
      context: { ...cdkContext() },
      outdir,
      builtinCloudFormationValidation: options.validation,
    });
    const profile = scaledProfile(cdkProfiles()[BASE_ENVIRONMENT], options.services);
    const variantApp = buildVariant(app, options.variant, BASE_ENVIRONMENT, profile);
    if (options.compliance) addComplianceChecks(app);
    const built = performance.now();
    const assembly = app.synth();
    const synthesized = performance.now();
    return {
      constructMs: built - start,
      synthMs: synthesized - built,
      weight: assemblyWeight(assembly),
      money: variantMonthlyUsd(assembly, options.variant, BASE_ENVIRONMENT, profile),
      platformStackName: variantApp.platform.stackName,
      serviceStackName: variantApp.services[0].stackName,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function runCell(options: CellOptions): CellResult {
  runOnce(options); // warm-up: module loading and JIT, which every later App reuses
  const runs = Array.from({ length: options.runs }, () => runOnce(options));
  const { stacks, ...totals } = runs[0].weight;
  // By name: past 50 services the observed app has view stacks besides its service stacks.
  const [platform, service] = [
    stacks.find((s) => s.stackName === runs[0].platformStackName),
    stacks.find((s) => s.stackName === runs[0].serviceStackName),
  ];
  if (platform === undefined || service === undefined) throw new Error('expected a platform and a service stack');
  return {
    ...options,
    constructMs: runs.map((run) => run.constructMs),
    synthMs: runs.map((run) => run.synthMs),
    weight: {
      ...totals,
      stackCount: stacks.length,
      platform: { resources: platform.resources, bytes: platform.bytes, outputs: platform.outputs },
      service: { resources: service.resources, bytes: service.bytes },
    },
    monthlyUsd: runs[0].money.monthlyUsd,
    alarms: {
      perService: runs[0].money.alarms.perService.alarms,
      perServiceUsd: runs[0].money.alarms.perService.monthlyUsd,
      environment: runs[0].money.alarms.environment.alarms,
      environmentUsd: runs[0].money.alarms.environment.monthlyUsd,
    },
    maxRssKiB: process.resourceUsage().maxRSS,
  };
}

if (require.main === module) {
  const [variant, services, runs, validation, compliance] = process.argv.slice(2);
  if (variant === undefined || !isVariant(variant))
    throw new Error(`usage: worker.ts <bare|observed|monitored> <services> <runs>`);
  const result = runCell({
    variant,
    services: Number(services ?? 1),
    runs: Number(runs ?? 3),
    validation: validation === 'validation',
    compliance: compliance === 'compliance',
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
