// A new service, from a team's own repository: the shortest path.
import {
  addComplianceChecks,
  containerImageFromReference,
  loadEnvironmentProfiles,
  ObservabilityPlatform,
  ObservedFargateService,
} from '@starmates/cdk-otel-observability';
import { App, Stack } from 'aws-cdk-lib';

const app = new App();
// The platform team's profile of the environment, in this repository's cdk.json context.
const profile = loadEnvironmentProfiles(app.node.tryGetContext('environments')).prod;
const stack = new Stack(app, 'Checkout', { env: { account: profile.account, region: profile.region } });
const platform = ObservabilityPlatform.fromEnvironmentName(stack, 'Platform', { environmentName: 'prod', profile });
new ObservedFargateService(stack, 'Checkout', {
  platform,
  serviceName: 'checkout',
  image: containerImageFromReference(
    stack,
    'Image',
    `${profile.account}.dkr.ecr.${profile.region}.amazonaws.com/checkout:7.0.1`,
  ),
  port: 8080,
  healthCheckPath: '/ready',
  cpu: 512,
  memoryLimitMiB: 1024,
  user: '1000:1000', // non-root, as Control Tower's CT.ECS.PR.3 requires
});
addComplianceChecks(app); // optional: cdk-nag AwsSolutions + NIST 800-53 R5, Control Tower controls
