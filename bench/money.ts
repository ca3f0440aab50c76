/**
 * The monthly CloudWatch bill one benchmark variant adds, from its synthesized templates: alarms,
 * dashboards, custom metrics, and the logs observability itself writes (collector, EMF). The
 * services' application logs are left out: every variant writes the same ones. Gross, without
 * free tiers, at the prices of lib/cost/prices.json.
 */
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { generateCollectorConfig } from '../lib/collector/generate';
import { estimateEnvironments } from '../lib/cost/estimate';
import type { CfnTemplate } from '../lib/cost/inventory';
import { expectedLogVolumes } from '../lib/cost/log-volume';
import { PRICES } from '../lib/cost/prices';
import type { EnvironmentProfile } from '../lib/profile/schema';
import type { Variant } from './variants';

export function variantMonthlyUsd(
  assembly: CloudAssembly,
  variant: Variant,
  environmentName: string,
  profile: EnvironmentProfile,
): number {
  const observed = variant === 'observed';
  const [estimate] = estimateEnvironments(
    [
      {
        environmentName,
        account: profile.account,
        grafanaStack: profile.grafanaCloud.instanceId,
        templates: assembly.stacks.map((stack) => stack.template as CfnTemplate),
        collectorConfig: observed ? generateCollectorConfig(environmentName, profile).config : undefined,
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
  return estimate.lines
    .filter((line) => line.category !== 'free tier')
    .reduce((total, line) => total + line.monthlyUsd, 0);
}
