/**
 * `npm run cost`: synthesizes the default app in process (cdk.json's context, as `cdk synth` sees
 * it) and prints the monthly observability cost of each environment; `--json` prints the estimates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, App } from 'aws-cdk-lib';
import { generateCollectorConfig } from '../lib/collector/generate';
import {
  type EnvironmentCostInput,
  type EnvironmentEstimate,
  estimateEnvironments,
  type GatewayCostInput,
} from '../lib/cost/estimate';
import type { CfnTemplate } from '../lib/cost/inventory';
import { expectedLogVolumes } from '../lib/cost/log-volume';
import { PRICES } from '../lib/cost/prices';
import { renderCostReport } from '../lib/cost/render';
import type { EnvironmentProfile } from '../lib/profile/schema';
import { buildDefaultApp, COLLECTOR_IMAGE_WARNING_ID } from '../lib/stacks/default-app';
import { cdkContext } from './context';

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
      const own = services.filter((stack) => stack.observed.service.cluster === platform.cluster);
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

if (require.main === module) {
  const args = process.argv.slice(2);
  const env = args.find((arg) => arg.startsWith('--env='))?.slice('--env='.length);
  const estimates = defaultAppCostEstimates(cdkContext().environments, env);
  process.stdout.write(
    args.includes('--json')
      ? `${JSON.stringify({ prices: PRICES, estimates }, null, 2)}\n`
      : renderCostReport(estimates, PRICES),
  );
}
