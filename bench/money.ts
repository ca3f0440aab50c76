/**
 * The monthly CloudWatch bill one benchmark variant adds, from its synthesized templates: alarms,
 * dashboards, custom metrics, and the logs observability itself writes (collector, EMF, and the
 * gateway's where the profile has one). The services' application logs are left out: every variant
 * writes the same ones; so are the gateway's Fargate tasks and Cloud Map namespace, which are not
 * CloudWatch (`npm run cost` prices them). Gross, without free tiers, at the prices of
 * bench/cost-model/prices.json.
 */
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { generateCollectorConfig } from '../lib/collector/generate';
import { stackName } from '../lib/naming';
import type { EnvironmentProfile } from '../lib/profile/schema';
import { viewGroups } from '../lib/profile-loader/scale';
import { gatewayCostInput } from './cost';
import { type AlarmPrices, CLOUDWATCH_CATEGORIES, estimateEnvironments } from './cost-model/estimate';
import type { CfnTemplate } from './cost-model/inventory';
import { expectedLogVolumes } from './cost-model/log-volume';
import { PRICES } from './cost-model/prices';
import type { Variant } from './variants';

export interface VariantMoney {
  /** The CloudWatch USD a month the variant's templates add. */
  readonly monthlyUsd: number;
  /** Its alarms by placement: per service stack and for the environment (its platform stack). */
  readonly alarms: AlarmPrices;
}

export function variantMonthlyUsd(
  assembly: CloudAssembly,
  variant: Variant,
  environmentName: string,
  profile: EnvironmentProfile,
): VariantMoney {
  const observed = variant === 'observed';
  // The platform stack holds view group 1 and each further group has a view stack: the environment's.
  const environmentStacks = new Set(
    viewGroups(profile).map((group) => stackName(profile.project, environmentName, group.stackPart)),
  );
  const [estimate] = estimateEnvironments(
    [
      {
        environmentName,
        account: profile.account,
        region: profile.region,
        grafanaStack: profile.grafanaCloud.instanceId,
        templates: assembly.stacks.map((stack) => stack.template as CfnTemplate),
        templateScopes: assembly.stacks.map((stack) =>
          environmentStacks.has(stack.stackName) ? 'environment' : 'service',
        ),
        collectorConfig: observed ? generateCollectorConfig(environmentName, profile).config : undefined,
        // Every variant's platform deploys the gateway; only the observed services send it anything to lose.
        gateway: observed ? gatewayCostInput(environmentName, profile) : undefined,
        services: Object.entries(profile.services).map(([name, service]) => ({
          name,
          tasks: service.desiredCount ?? 1,
          instrumented: observed && (service.instrumentation ?? true),
        })),
        logVolumes: observed
          ? expectedLogVolumes(environmentName, profile).filter(
              (v) => v.kind === 'collector' || v.kind === 'EMF metrics',
            )
          : [],
      },
    ],
    PRICES,
  );
  return {
    monthlyUsd: estimate.lines
      .filter((line) => CLOUDWATCH_CATEGORIES.includes(line.category))
      .reduce((total, line) => total + line.monthlyUsd, 0),
    alarms: estimate.alarmPrices,
  };
}
