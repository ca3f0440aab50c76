/** cdk.json's context (profiles and feature flags) as the CDK CLI hands it to the app, over what bin/app.ts sets itself. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentProfile } from '../lib/profile/schema';
import { loadEnvironmentProfiles } from '../lib/profile-loader/load';
import { DEFAULT_APP_CONTEXT } from '../lib/stacks/default-app';

export const REPO_ROOT = join(__dirname, '..');

/** The environment every generated profile copies. */
export const BASE_ENVIRONMENT = 'prod';

export function cdkContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return { ...DEFAULT_APP_CONTEXT, ...cdkJson.context };
}

/** cdk.json's validated profiles. */
export function cdkProfiles(): Record<string, EnvironmentProfile> {
  return loadEnvironmentProfiles(cdkContext().environments);
}
