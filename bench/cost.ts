/**
 * `npm run cost`: synthesizes the default app in process (cdk.json's context, as `cdk synth` sees
 * it) and prints the monthly observability cost of each environment (`--env` for one); `--json`
 * prints the estimates. `npm run cost -- --help` says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, App } from 'aws-cdk-lib';
import { Command, CommanderError } from 'commander';
import { knownEnvironment } from '../lib/cli/config';
import { type DescribedError, describeError, errorJson } from '../lib/cli/errors';
import { EXIT } from '../lib/cli/exit-codes';
import { type OutputStream, terminalProgress } from '../lib/cli/io';
import { generateCollectorConfig } from '../lib/collector/generate';
import type { EnvironmentProfile } from '../lib/profile/schema';
import { buildDefaultApp, COLLECTOR_IMAGE_WARNING_ID } from '../lib/stacks/default-app';
import { cdkContext, cdkProfiles } from './context';
import {
  type EnvironmentCostInput,
  type EnvironmentEstimate,
  estimateEnvironments,
  type GatewayCostInput,
} from './cost-model/estimate';
import type { CfnTemplate } from './cost-model/inventory';
import { expectedLogVolumes } from './cost-model/log-volume';
import { PRICES } from './cost-model/prices';
import { renderCostReport } from './cost-model/render';

/** The cost inputs of every environment of the default app built from `environments`. */
export function defaultAppCostInputs(environments: unknown, selection?: string): EnvironmentCostInput[] {
  const outdir = mkdtempSync(join(tmpdir(), 'cost-synth-'));
  try {
    const app = new App({ context: { ...cdkContext() }, outdir, builtinCloudFormationValidation: false });
    const { platforms, services } = buildDefaultApp(app, { environments, selection });
    // A cost estimate deploys nothing: the image-pinning warning is for `cdk synth`.
    for (const platform of platforms) {
      Annotations.of(platform).acknowledgeWarning(COLLECTOR_IMAGE_WARNING_ID, 'a cost estimate deploys nothing');
    }
    const assembly = app.synth();
    const template = (stackName: string) => assembly.getStackByName(stackName).template as CfnTemplate;
    return platforms.map((platform) => {
      const { environmentName, profile } = platform;
      // Service stacks import their platform by name; each depends on its own platform stack.
      const own = services.filter((stack) => stack.dependencies.includes(platform));
      const instrumented = Object.values(profile.services).some((service) => service.instrumentation ?? true);
      return {
        environmentName,
        account: profile.account,
        region: profile.region,
        grafanaStack: profile.grafanaCloud.instanceId,
        templates: [platform, ...own].map((stack) => template(stack.stackName)),
        collectorConfig: instrumented ? generateCollectorConfig(environmentName, profile).config : undefined,
        gateway: gatewayCostInput(environmentName, profile),
        services: Object.entries(profile.services).map(([name, service]) => ({
          name,
          tasks: service.desiredCount ?? 1,
          instrumented: service.instrumentation ?? true,
        })),
        logVolumes: expectedLogVolumes(environmentName, profile),
      };
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The gateway tier's cost input: the profile's sizing and the generator's gateway config; undefined without one. */
export function gatewayCostInput(environmentName: string, profile: EnvironmentProfile): GatewayCostInput | undefined {
  return profile.gateway === undefined
    ? undefined
    : { sizing: profile.gateway, config: generateCollectorConfig(environmentName, profile, 'gateway').config };
}

export function defaultAppCostEstimates(environments: unknown, selection?: string): EnvironmentEstimate[] {
  return estimateEnvironments(defaultAppCostInputs(environments, selection), PRICES);
}

export interface CostCliDependencies {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** The estimates of cdk.json's environments, or of the one selected. */
  readonly estimate?: (environments: unknown, selection?: string) => EnvironmentEstimate[];
}

/**
 * `npm run cost -- [--env <env>] [--json]`, parsed by commander as obsctl is: `--help`, a clear
 * one-line error and exit 2 for a bad argument or an unknown environment (with the nearest one),
 * and under `--json` errors as obsctl's JSON error objects.
 */
export async function runCostCli(args: readonly string[], dependencies: CostCliDependencies): Promise<number> {
  const { stdout, stderr } = dependencies;
  const estimate = dependencies.estimate ?? defaultAppCostEstimates;
  const json = args.includes('--json');
  let exitCode = 0;
  const program = new Command('npm run cost --')
    .description(
      "Estimate each environment's monthly observability cost from the synthesized default app, the generated " +
        'collector configs and the profiles in cdk.json, priced from bench/cost-model/prices.json.',
    )
    .option('--env <env>', 'only this environment, a key of "environments" in cdk.json (default: every environment)')
    .option('--json', 'print JSON only: {prices, estimates[]}')
    .addHelpText('after', '\nExamples:\n  npm run cost\n  npm run cost -- --env prod\n  npm run cost -- --json\n')
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
      outputError: (text, write) => {
        if (!json) write(text);
      },
    })
    .exitOverride()
    .action((options: { env?: string; json?: boolean }) => {
      const environments = cdkContext().environments;
      const names = Object.keys(cdkProfiles());
      if (options.env !== undefined) knownEnvironment(names, options.env, `--env ${options.env}`, 'cdk.json');
      const progress = terminalProgress(stderr);
      progress.update(`Synthesizing ${options.env ?? `${names.length} environments`}`);
      let estimates: EnvironmentEstimate[];
      try {
        estimates = estimate(environments, options.env);
      } finally {
        progress.stop();
      }
      stdout.write(
        options.json === true
          ? `${JSON.stringify({ prices: PRICES, estimates }, null, 2)}\n`
          : renderCostReport(estimates, PRICES),
      );
      exitCode = 0;
    });
  const report = (described: DescribedError): number => {
    if (json) stdout.write(errorJson(described));
    else for (const line of described.lines) stderr.write(`${line}\n`);
    return described.exitCode;
  };
  try {
    await program.parseAsync([...args], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (!json) return EXIT.usage;
      return report({
        code: error.code === 'commander.invalidArgument' ? 'invalid-argument' : 'usage',
        lines: [error.message.replace(/^error: /, '')],
        exitCode: EXIT.usage,
      });
    }
    return report(describeError(error));
  }
}

if (require.main === module) {
  runCostCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
}
