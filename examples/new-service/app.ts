// A new service, from a team's own repository: the shortest path.
import {
  addComplianceChecks,
  containerImageFromReference,
  ObservabilityPlatform,
  ObservedFargateService,
  readPlatformSettings,
} from '@starmates/cdk-otel-observability';
import { App, Stack } from 'aws-cdk-lib';

const app = new App();
// The platform team's generated settings of the environment (its npm run generate writes them), copied here.
const settings = readPlatformSettings('platform-settings/prod.json');
const stack = new Stack(app, 'Checkout', { env: { account: settings.account, region: settings.region } });
const platform = ObservabilityPlatform.fromEnvironmentName(stack, 'Platform', { settings });
new ObservedFargateService(stack, 'Checkout', {
  platform,
  serviceName: 'checkout',
  image: containerImageFromReference(
    stack,
    'Image',
    `${settings.account}.dkr.ecr.${settings.region}.amazonaws.com/checkout:7.0.1`,
  ),
  port: 8080,
  healthCheckPath: '/ready',
  cpu: 512,
  memoryLimitMiB: 1024,
  user: '1000:1000', // non-root, as Control Tower's CT.ECS.PR.3 requires
});
addComplianceChecks(app); // optional: cdk-nag AwsSolutions + NIST 800-53 R5, Control Tower controls
