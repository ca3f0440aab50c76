/**
 * The CDK app the benchmark times as a whole process (`cdk synth --app "npx tsx bench/app.ts"`):
 * BENCH_VARIANT (bare | observed | monitored) with BENCH_SERVICES services, from cdk.json's prod profile.
 */
import { App } from 'aws-cdk-lib';
import { loadEnvironmentProfiles } from '../lib/profile-loader/load';
import { DEFAULT_APP_CONTEXT } from '../lib/stacks/default-app';
import { BASE_ENVIRONMENT } from './context';
import { scaledProfile } from './profiles';
import { buildVariant, isVariant } from './variants';

const variant = process.env.BENCH_VARIANT ?? '';
const services = Number(process.env.BENCH_SERVICES ?? '');
if (!isVariant(variant) || !Number.isInteger(services) || services < 1) {
  throw new Error('set BENCH_VARIANT (bare, observed or monitored) and BENCH_SERVICES (a positive integer)');
}
// The CLI hands cdk.json's context (profiles and feature flags) to the app; the rest as bin/app.ts sets it.
const app = new App({ context: { ...DEFAULT_APP_CONTEXT } });
const profiles = loadEnvironmentProfiles(app.node.tryGetContext('environments'));
buildVariant(app, variant, BASE_ENVIRONMENT, scaledProfile(profiles[BASE_ENVIRONMENT], services));
