import { findCollectorConfigProblems } from '../../lib/collector/checks';
import { type CollectorDistribution, PINNED_DISTRIBUTION } from '../../lib/collector/distributions';
import { type GeneratedCollectorConfig, generateCollectorConfig } from '../../lib/collector/generate';
import type { CollectorConfig, CollectorEnvironment, CollectorRole } from '../../lib/collector/model';
import type { EnvironmentProfile } from '../../lib/profile/schema';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';

import { exampleEnvironments } from '../support/example-app';

/** The validated profiles of the example app (dev, staging, prod: test/fixtures/example-app). */
export function defaultProfiles(): Record<string, EnvironmentProfile> {
  return loadEnvironmentProfiles(exampleEnvironments());
}

export function generated(environmentName = 'prod', role: CollectorRole = 'sidecar'): GeneratedCollectorConfig {
  return generateCollectorConfig(environmentName, defaultProfiles()[environmentName], role);
}

// biome-ignore lint/suspicious/noExplicitAny: tests break the typed config on purpose, at any depth.
export type Mutable = any;

/**
 * The problems found after `mutate` has broken a copy of the generated prod sidecar config (and,
 * optionally, its environment contract).
 */
export function problemsAfter(
  mutate: (config: Mutable, environment: Mutable[]) => void,
  distribution: CollectorDistribution = PINNED_DISTRIBUTION,
): string[] {
  return problemsAfterIn(generated('prod'), mutate, distribution);
}

/** The problems found after `mutate` has broken a copy of `source` (and, optionally, its environment contract). */
export function problemsAfterIn(
  source: GeneratedCollectorConfig,
  mutate: (config: Mutable, environment: Mutable[]) => void,
  distribution: CollectorDistribution = PINNED_DISTRIBUTION,
): string[] {
  const { config, environment } = source;
  const brokenConfig = structuredClone(config) as Mutable;
  const brokenEnvironment = structuredClone(environment) as Mutable[];
  mutate(brokenConfig, brokenEnvironment);
  return findCollectorConfigProblems(
    brokenConfig as CollectorConfig,
    brokenEnvironment as CollectorEnvironment,
    distribution,
  );
}
