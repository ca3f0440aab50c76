/**
 * Environment profiles generated for the benchmark and the scale test: cdk.json's prod profile
 * with N services. Pure: the same N always gives the same profile.
 */
import type { EnvironmentProfile, ServiceProfile } from '../lib/profile/schema';

/** The first port of the generated services; each service gets the next one. */
const FIRST_PORT = 8000;

/** `service-007`: unique, sortable, and valid as a service name, stack name part and log group part. */
export function generatedServiceName(index: number): string {
  return `service-${String(index + 1).padStart(3, '0')}`;
}

/**
 * `base` with `count` services, each a copy of the base's first service under its own name, image
 * and port. Every other setting (sampling, thresholds, notifications, retention) stays the base's.
 */
export function scaledProfile(base: EnvironmentProfile, count: number): EnvironmentProfile {
  const template = Object.values(base.services)[0];
  if (template === undefined) throw new Error('scaledProfile: the base profile has no service to copy');
  const services: Record<string, ServiceProfile> = {};
  for (let index = 0; index < count; index++) {
    const name = generatedServiceName(index);
    services[name] = {
      ...template,
      image: template.image.replace(/[^/]+(?=:[^:/]+$)/, name),
      port: FIRST_PORT + index,
    };
  }
  // Services observed from other repositories would add to the count and the view groups: the bench measures its own N.
  const { externalServices: _observedElsewhere, ...rest } = base;
  return { ...rest, services };
}

/** `environments` with only `environmentName`, scaled to `count` services: the shape cdk.json's context has. */
export function scaledEnvironments(
  environments: Readonly<Record<string, EnvironmentProfile>>,
  environmentName: string,
  count: number,
): Record<string, EnvironmentProfile> {
  const base = environments[environmentName];
  if (base === undefined) throw new Error(`scaledEnvironments: no environment "${environmentName}"`);
  return { [environmentName]: scaledProfile(base, count) };
}
